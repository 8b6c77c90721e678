#!/usr/bin/env python3
"""scripts/smpl_pkl_to_npz.py on a pickle shaped like the official SMPL file.

Builds, in a Python 2-compatible pickle (protocol 2), a dict whose arrays are
stand-in chumpy.ch.Ch objects and a stand-in scipy CSC J_regressor, exactly
as the official file stores them, with neither package installed. Converts
it, then loads the result with `resihmr pose` and checks the joints equal
the regressor applied to the template.
Usage: smpl_pkl_to_npz_test.py path/to/resihmr
"""
import json
import os
import pickle
import subprocess
import sys
import tempfile
import types

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PARENTS = [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21]


def fake_module(name, classes):
    parts = name.split(".")
    for i in range(1, len(parts)):
        sys.modules.setdefault(".".join(parts[:i]), types.ModuleType(".".join(parts[:i])))
    module = types.ModuleType(name)
    for cls in classes:
        cls.__module__ = name
        setattr(module, cls.__name__, cls)
    sys.modules[name] = module


class Ch:
    def __init__(self, x):
        self.x = np.asarray(x)

    def __reduce__(self):
        return (Ch, (), {"x": self.x})

    def __setstate__(self, state):
        self.__dict__.update(state)


class csc_matrix:
    def __init__(self, dense):
        cols = [np.nonzero(dense[:, c])[0] for c in range(dense.shape[1])]
        self.indices = np.concatenate(cols)
        self.data = np.concatenate([dense[r, c] for c, r in enumerate(cols)])
        self.indptr = np.concatenate([[0], np.cumsum([len(r) for r in cols])])
        self._shape = dense.shape

    def __reduce__(self):
        return (csc_matrix, (np.zeros((1, 1)),), {"data": self.data, "indices": self.indices,
                                                  "indptr": self.indptr, "_shape": self._shape})

    def __setstate__(self, state):
        self.__dict__.update(state)


def main():
    exe = os.path.abspath(sys.argv[1])
    fake_module("chumpy.ch", [Ch])
    fake_module("scipy.sparse.csc", [csc_matrix])
    rng = np.random.default_rng(3)
    V, J = 120, 24
    regressor = np.zeros((J, V))
    for j in range(J):
        regressor[j, rng.integers(0, V, 5)] = 0.2
    weights = rng.uniform(size=(V, J))
    weights /= weights.sum(1, keepdims=True)
    template = rng.normal(size=(V, 3))
    model = {
        "v_template": Ch(template),
        "shapedirs": Ch(rng.normal(size=(V, 3, 10)) * 0.01),
        "posedirs": rng.normal(size=(V, 3, 207)) * 0.001,
        "J_regressor": csc_matrix(regressor),
        "weights": Ch(weights),
        "kintree_table": np.array([[4294967295] + PARENTS[1:], list(range(J))], dtype=np.int64),
        "f": np.stack([np.zeros(V - 2), np.arange(1, V - 1), np.arange(2, V)], 1).astype(np.uint32),
        "bs_style": "lbs",
        "bs_type": "lrotmin",
    }
    with tempfile.TemporaryDirectory() as tmp:
        pkl, npz = os.path.join(tmp, "SMPL_TEST.pkl"), os.path.join(tmp, "SMPL_TEST.npz")
        with open(pkl, "wb") as f:
            pickle.dump(model, f, protocol=2)
        # Convert in a fresh interpreter, where chumpy and scipy do not exist.
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "smpl_pkl_to_npz.py"), pkl, npz], check=True)
        converted = np.load(npz)
        assert np.allclose(converted["J_regressor"], regressor), "J_regressor differs after conversion"
        assert np.allclose(converted["v_template"], template)
        params = os.path.join(tmp, "zero.json")
        json.dump({}, open(params, "w"))
        joints_file = os.path.join(tmp, "joints.json")
        subprocess.run([exe, "pose", "--model", npz, "--params", params, "--out", os.path.join(tmp, "m.ply"),
                        "--joints-out", joints_file], check=True, stdout=subprocess.DEVNULL)
        joints = np.array([j["position"] for j in json.load(open(joints_file))["joints"]])
        err = np.abs(joints - regressor @ template).max()
        print(f"converted model loads; rest joints match J_regressor . v_template to {err:.1e}")
        return 0 if err < 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main())
