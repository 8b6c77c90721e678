#!/usr/bin/env python3
"""`resihmr measure` on the real scans of ../shared/data, checked against an
independent computation: this script parses each STL itself (NumPy), welds
the corners, clips the triangles at the 0% plane that measure reports
(the plane at `start` along `axis`) and sums the divergence-theorem volume
with the origin on that plane; for the closed spheres, the whole surface. Spheres must match to 0.1%, and lie about 1.6%
below 4/3 pi R^3 as their polyhedra do. Also bad input: missing file, not a
mesh, no --units.
Usage: measure_scans_test.py path/to/resihmr   (run from the project root)
"""
import json
import math
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

import numpy as np

DATA = os.path.join("..", "shared", "data")


def read_stl(path):
    raw = open(path, "rb").read()
    n = int(np.frombuffer(raw, dtype="<u4", count=1, offset=80)[0])
    if 84 + 50 * n == len(raw):
        rec = np.frombuffer(raw, dtype=np.dtype([("n", "<f4", 3), ("v", "<f4", (3, 3)), ("a", "<u2")]), count=n, offset=84)
        corners = rec["v"].reshape(-1, 3).astype(np.float64)
    else:  # ASCII
        corners = np.array([[float(x) for x in line.split()[1:4]] for line in raw.decode().splitlines()
                            if line.strip().startswith("vertex")])
    verts, faces = np.unique(corners, axis=0, return_inverse=True)
    faces = faces.reshape(-1, 3)
    keep = (faces[:, 0] != faces[:, 1]) & (faces[:, 1] != faces[:, 2]) & (faces[:, 0] != faces[:, 2])
    return verts, faces[keep]  # welded corners can make a triangle degenerate


def volume_beyond(v, f, q, n):
    """Volume of the surface beyond the plane (q, n), closed by the plane."""
    d = (v - q) @ n
    total = 0.0
    for tri in f:
        p, s = v[tri] - q, d[tri]
        pos = s > 0
        if pos.sum() == 0:
            continue
        if pos.sum() == 3:
            parts = [p]
        else:
            o = int(np.where(pos == (pos.sum() == 1))[0][0])
            a, b, c = p[o], p[(o + 1) % 3], p[(o + 2) % 3]
            da, db, dc = s[o], s[(o + 1) % 3], s[(o + 2) % 3]
            ab, ac = a + da / (da - db) * (b - a), a + da / (da - dc) * (c - a)
            parts = [np.array([a, ab, ac])] if pos.sum() == 1 else [np.array([ab, b, c]), np.array([ab, c, ac])]
        for t in parts:
            total += t[0].dot(np.cross(t[1], t[2]))
    return total / 6


def closed_volume(v, f):
    vol = np.einsum("ij,ij->i", v[f[:, 0]], np.cross(v[f[:, 1]], v[f[:, 2]])).sum()
    directed = set(map(tuple, np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])))
    nxt = defaultdict(list)
    for a, b in directed:
        if (b, a) not in directed:
            nxt[a].append(b)
    for start in list(nxt):
        while nxt[start]:
            cycle, x = [], start
            while True:
                cycle.append(x)
                if not nxt[x]:
                    break
                x = nxt[x].pop()
                if x == start:
                    break
            c = v[cycle].mean(0)
            for i in range(len(cycle)):
                vol += v[cycle[(i + 1) % len(cycle)]].dot(np.cross(v[cycle[i]], c))
    return vol / 6


def main():
    exe = os.path.abspath(sys.argv[1])
    failures = []
    cases = [("ampscan-samples/stl_file_4.stl", 1.0), ("ampscan-samples/stl_file_5.stl", 1.2),
             ("ampscan-samples/stl_file_7.stl", None), ("ampscan-samples/cone1.stl", None),
             ("ampscan-samples/stl_file.stl", None), ("ampscan-samples/stl_file_2.stl", None),
             ("openlimb-tt/full_size_mean_skin_shape.stl", None)]
    with tempfile.TemporaryDirectory() as tmp:
        for name, radius in cases:
            path = os.path.join(DATA, name)
            if not os.path.exists(path):
                print(f"missing test data {path} (../shared/data beside the repository)")
                return 1
            out = os.path.join(tmp, "m.json")
            subprocess.run([exe, "measure", "--mesh", path, "--units", "mm", "--out", out], check=True,
                           stdout=subprocess.DEVNULL)
            result = json.load(open(out))
            m = result["measurements"]
            v, f = read_stl(path)
            if result["open"]:
                axis = np.array(result["axis"])
                q = np.array(result["plane_point"])
                independent = volume_beyond(v, f, q - 1e-9 * axis, axis) / 1000.0
            else:
                independent = closed_volume(v, f) / 1000.0  # mm^3 -> mL
            rel = abs(m["volume_ml"] - independent) / independent
            line = f"{name}: resihmr {m['volume_ml']:.6g} mL, independent {independent:.6g} mL ({100 * rel:.3f}%)"
            if radius:
                sphere = 4 / 3 * math.pi * radius ** 3 / 1000.0
                line += f", 4/3 pi R^3 = {sphere:.6g} mL ({100 * (independent / sphere - 1):.2f}%)"
                if not 0.01 < 1 - independent / sphere < 0.025:
                    failures.append(name + " is not the expected polyhedral sphere")
            print(line)
            if rel > 0.001:
                failures.append(name + " volume differs by more than 0.1%")
        for args, needle in [(["--mesh", os.path.join(tmp, "none.stl"), "--units", "mm"], "no such file"),
                             (["--mesh", __file__, "--units", "mm"], "unknown mesh format"),
                             (["--mesh", os.path.join(DATA, "ampscan-samples/cone1.stl")], "--units")]:
            r = subprocess.run([exe, "measure", *args, "--out", os.path.join(tmp, "bad.json")], capture_output=True, text=True)
            if r.returncode != 1 or needle not in r.stderr or os.path.exists(os.path.join(tmp, "bad.json")):
                failures.append(f"bad input {args}: exit {r.returncode}, {r.stderr.strip()}")
    print("FAILED: " + "; ".join(failures) if failures else "measure agrees with the independent volumes")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
