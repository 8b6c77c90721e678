#!/usr/bin/env python3
"""Robustness at hard settings (label `long`): 1,000 synthetic people with
5 px noise, 10% outliers and 20% occluded keypoints, fitted with resihmr on
2 threads. No output may hold a non-finite value (JSON, meshes, the
measurements table), and no person whose mean 2D error exceeds 50 px may
be `ok`. Prints how many persons are ok, suspect and failed.
Usage: robustness_test.py path/to/resihmr [n]
"""
import csv
import glob
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np


def no_constant(name):
    raise ValueError(f"non-finite JSON constant {name}")


def finite_numbers(value, where):
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, (int, float)):
        return [] if math.isfinite(value) else [where]
    if isinstance(value, list):
        return [w for i, v in enumerate(value) for w in finite_numbers(v, f"{where}[{i}]")]
    if isinstance(value, dict):
        return [w for k, v in value.items() for w in finite_numbers(v, f"{where}.{k}")]
    return []


def ply_vertices(path):
    raw = open(path, "rb").read()
    end = raw.index(b"end_header\n") + len(b"end_header\n")
    header = raw[:end].decode().splitlines()
    n = int(next(line.split()[2] for line in header if line.startswith("element vertex")))
    props = []
    for line in header:
        if line.startswith("element face"):
            break
        if line.startswith("property"):
            props.append(line.split()[1])
    size = {"float": 4, "uchar": 1, "int": 4}
    if "binary_little_endian" in header[1]:
        dtype = np.dtype([(f"p{i}", {"float": "<f4", "uchar": "u1", "int": "<i4"}[t]) for i, t in enumerate(props)])
        rec = np.frombuffer(raw, dtype=dtype, count=n, offset=end)
        return np.stack([rec["p0"], rec["p1"], rec["p2"]], axis=1)
    del size
    lines = raw[end:].decode().splitlines()[:n]
    return np.array([[float(x) for x in line.split()[:3]] for line in lines])


def main():
    exe = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        data, out = os.path.join(tmp, "hard"), os.path.join(tmp, "fit")
        subprocess.run([exe, "synth", "--n", str(n), "--seed", "15", "--noise-px", "5", "--outliers", "0.1",
                        "--occlusion", "0.2", "--out", data, "--threads", "2"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([exe, "fit", "--keypoints", os.path.join(data, "keypoints.json"), "--out", out, "--threads", "2"],
                       check=True, stdout=subprocess.DEVNULL)
        problems, counts = [], {"ok": 0, "suspect": 0, "failed": 0}
        results = glob.glob(os.path.join(out, "*.json"))
        if len(results) != n:
            problems.append(f"{len(results)} result files for {n} persons")
        for path in results:
            name = os.path.basename(path)
            try:
                r = json.loads(open(path).read(), parse_constant=no_constant)
            except ValueError as e:
                problems.append(f"{name}: {e}")
                continue
            counts[r["status"]] += 1
            problems += [f"{name}: non-finite {w}" for w in finite_numbers(r, "result")]
            if r["status"] == "ok" and r["keypoints_2d_error_px"]["mean"] > 50:
                problems.append(f"{name}: ok with a mean 2D error of {r['keypoints_2d_error_px']['mean']:.1f} px")
            if r["status"] != "failed":
                v = ply_vertices(os.path.join(out, r["mesh"]["file"]))
                if not np.isfinite(v).all():
                    problems.append(f"{r['mesh']['file']}: non-finite vertices")
        with open(os.path.join(out, "measurements.csv")) as f:
            for row in csv.DictReader(f):
                for key, value in row.items():
                    if key in ("image", "status", "limb", "level", "watertight") or value == "":
                        continue
                    if not math.isfinite(float(value)):
                        problems.append(f"measurements.csv {row['image']}: {key} = {value}")
        print(f"{n} persons at 5 px noise, 10% outliers, 20% occlusion: {counts['ok']} ok, {counts['suspect']} suspect, "
              f"{counts['failed']} failed")
        for p in problems[:20]:
            print("FAILED:", p)
        return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
