#!/usr/bin/env python3
"""`resihmr fit`'s .npz, loaded with NumPy alone: every key documented in
docs/output.md with its shape; the parameters, posed by an independent
NumPy forward pass (pose_reference_test.reference) on the model file,
reproduce the written binary PLY (intact and ajahr-zero, whose meshes are
the posed model); the camera and the residual limbs agree with the JSON.
Usage: fit_npz_test.py path/to/resihmr
"""
import json
import os
import sys
import tempfile

import numpy as np

from cli_run import run
from pose_reference_test import reference

KEYS = {"global_orient": (3,), "body_pose": (69,), "betas": (10,), "transl": (3,), "camera_K": (3, 3),
        "camera_R": (3, 3), "camera_t": (3,), "image_size": (2,)}
PER_LIMB = {"residual_limb": (), "residual_level": (), "lambda": (), "lambda_sigma": (), "length_mm": (),
            "length_sigma_mm": (), "length_fraction": (), "joint_t": (3,), "joint_a": (3,), "endpoint_3d": (3,),
            "endpoint_2d": (2,), "accepted": ()}


def read_binary_ply(path):
    raw = open(path, "rb").read()
    end = raw.index(b"end_header\n") + len(b"end_header\n")
    header = raw[:end].decode()
    if "binary_little_endian" not in header:
        raise SystemExit(f"FAILED: {path} is not binary little-endian by default")
    n = int(header.split("element vertex ")[1].split()[0])
    dtype = np.dtype([("xyz", "<f4", 3), ("rgb", "u1", 3), ("residual", "<i4")])
    return np.frombuffer(raw, dtype=dtype, count=n, offset=end)["xyz"].astype(np.float64)


def main():
    exe = os.path.abspath(sys.argv[1])
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        model_path = os.path.join(tmp, "model.npz")
        run(exe, "make-model", "--out", model_path)
        m = dict(np.load(model_path))
        data = os.path.join(tmp, "synth")
        run(exe, "synth", "--n", "6", "--seed", "5", "--amputee-fraction", "1", "--out", data)
        for method in ("intact", "ajahr-zero", "resihmr"):
            out = os.path.join(tmp, method)
            run(exe, "fit", "--keypoints", os.path.join(data, "keypoints.json"), "--out", out, "--method", method)
            for name in sorted(f for f in os.listdir(out) if f.endswith(".npz")):
                stem = name[:-4]
                z = np.load(os.path.join(out, name))  # NumPy only: no pickles
                result = json.load(open(os.path.join(out, stem + ".json")))
                for key, shape in KEYS.items():
                    if key not in z or z[key].shape != shape:
                        failures.append(f"{method} {name}: {key} {z[key].shape if key in z else 'missing'}, expected {shape}")
                L = len(result["residual_limbs"])
                for key, tail in PER_LIMB.items():
                    if z[key].shape != (L, *tail):
                        failures.append(f"{method} {name}: {key} {z[key].shape}, expected {(L, *tail)}")
                cam = result["camera"]
                if not np.allclose(z["camera_K"], [[cam["focal_length"][0], 0, cam["principal_point"][0]],
                                                    [0, cam["focal_length"][1], cam["principal_point"][1]], [0, 0, 1]]):
                    failures.append(f"{method} {name}: camera_K differs from the JSON camera")
                for i, limb in enumerate(result["residual_limbs"]):
                    if z["residual_limb"][i] != limb["limb"] or abs(z["lambda"][i] - limb["lambda"]) > 1e-12 or \
                            abs(z["length_mm"][i] - limb["length_mm"]) > 1e-9:
                        failures.append(f"{method} {name}: residual limb {i} differs from the JSON")
                if method == "resihmr":
                    continue  # its mesh is cut and capped: not the posed model
                params = {"betas": z["betas"].tolist(), "transl": z["transl"].tolist(),
                          "pose": np.concatenate([z["global_orient"], z["body_pose"]]).reshape(24, 3).tolist(),
                          "zeroed_joints": z["zeroed_joints"].tolist()}
                verts, _ = reference(m, params, "smpl")
                ply = read_binary_ply(os.path.join(out, stem + ".ply"))
                err = np.abs(verts - ply).max()
                if not err < 2e-6:
                    failures.append(f"{method} {name}: NumPy forward pass differs from the PLY by {err:.2e} m")
            print(f"{method}: {len(os.listdir(out))} files checked")
    for f in failures:
        print("FAILED:", f)
    print("the npz poses to the written meshes with NumPy alone" if not failures else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
