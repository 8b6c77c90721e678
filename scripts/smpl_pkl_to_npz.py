#!/usr/bin/env python3
"""Convert an official SMPL / SMPL+H / MANO .pkl model file to the .npz that resihmr reads.

The official .pkl files are Python 2 pickles holding chumpy arrays and a
scipy sparse J_regressor. This script reads them WITHOUT chumpy or scipy
installed: it unpickles those classes into small stand-ins that keep only
their numeric payload, then writes every numeric array with numpy's savez.
Non-numeric entries (strings such as bs_style) are kept as string arrays;
anything else is skipped and listed.

usage: python3 scripts/smpl_pkl_to_npz.py SMPL_NEUTRAL.pkl SMPL_NEUTRAL.npz

Needs only numpy (Debian: python3-numpy). SMPL-X already ships as .npz.
"""
import pickle
import sys

import numpy as np


class _Stand_in:
    """Whatever the pickle names (chumpy.ch.Ch, scipy.sparse.csc_matrix, ...)."""

    def __init__(self, *args, **kwargs):
        self.args = args
        self.state = None

    def __setstate__(self, state):
        self.state = state

    def to_array(self):
        state = self.state
        if isinstance(state, dict):
            if "x" in state:  # chumpy.Ch: the value lives in 'x'
                return np.asarray(state["x"])
            if {"data", "indices", "indptr"} <= set(state):  # scipy CSC / CSR matrix
                shape = state.get("_shape") or state.get("shape")
                dense = np.zeros(shape, dtype=np.asarray(state["data"]).dtype)
                data, indices, indptr = (np.asarray(state[k]) for k in ("data", "indices", "indptr"))
                compressed_columns = type(self).__name__.startswith("csc")
                for major in range(len(indptr) - 1):
                    for k in range(indptr[major], indptr[major + 1]):
                        if compressed_columns:
                            dense[indices[k], major] = data[k]
                        else:
                            dense[major, indices[k]] = data[k]
                return dense
        raise ValueError(f"cannot turn a pickled {type(self).__name__} into an array")


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if module.startswith("chumpy") or module.startswith("scipy"):
            return type(name, (_Stand_in,), {})
        return super().find_class(module, name)


def convert(pkl_path, npz_path):
    with open(pkl_path, "rb") as f:
        data = _Unpickler(f, encoding="latin1").load()
    if not isinstance(data, dict):
        raise SystemExit(f"{pkl_path}: expected a pickled dict of model arrays, found {type(data).__name__}")
    arrays, skipped = {}, []
    for key, value in data.items():
        if isinstance(value, _Stand_in):
            value = value.to_array()
        if isinstance(value, (str, bytes)):
            value = np.array([value.decode("latin1") if isinstance(value, bytes) else value])
        try:
            array = np.asarray(value)
        except Exception:  # noqa: BLE001 - anything that is not an array is skipped, and listed
            skipped.append(key)
            continue
        if array.dtype == object:
            skipped.append(key)
            continue
        arrays[key] = array
    for required in ("v_template", "shapedirs", "posedirs", "J_regressor", "weights", "kintree_table", "f"):
        if required not in arrays:
            raise SystemExit(f"{pkl_path}: missing key '{required}' after conversion; is this an SMPL-family model?")
    np.savez(npz_path, **arrays)
    print(f"wrote {npz_path}: {len(arrays)} arrays" + (f"; skipped {', '.join(skipped)}" if skipped else ""))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    convert(sys.argv[1], sys.argv[2])
