#!/usr/bin/env python3
"""Determinism: `resihmr fit` on 1 and on 2 threads writes the same files,
byte for byte, timings aside (the `time_ms` fields of the JSON results);
so does `synth` on 1 and 2 threads.
Usage: determinism_test.py path/to/resihmr
"""
import filecmp
import json
import os
import subprocess
import sys
import tempfile


def without_times(value):
    if isinstance(value, dict):
        return {k: without_times(v) for k, v in value.items() if k != "time_ms"}
    if isinstance(value, list):
        return [without_times(v) for v in value]
    return value


def compare(a, b, problems):
    names_a, names_b = sorted(os.listdir(a)), sorted(os.listdir(b))
    if names_a != names_b:
        problems.append(f"{a} and {b} hold different files")
        return
    for name in names_a:
        pa, pb = os.path.join(a, name), os.path.join(b, name)
        if os.path.isdir(pa):
            compare(pa, pb, problems)
        elif name.endswith(".json") and name not in ("keypoints.json", "ground_truth.json"):
            if without_times(json.load(open(pa))) != without_times(json.load(open(pb))):
                problems.append(f"{name} differs")
        elif not filecmp.cmp(pa, pb, shallow=False):
            problems.append(f"{name} differs")


def main():
    exe = os.path.abspath(sys.argv[1])
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for t in ("1", "2"):
            subprocess.run([exe, "synth", "--n", "30", "--seed", "4", "--out", os.path.join(tmp, "s" + t), "--threads", t],
                           check=True, stdout=subprocess.DEVNULL)
        compare(os.path.join(tmp, "s1"), os.path.join(tmp, "s2"), problems)
        kp = os.path.join(tmp, "s1", "keypoints.json")
        for t in ("1", "2"):
            subprocess.run([exe, "fit", "--keypoints", kp, "--images", os.path.join(tmp, "s1", "images"),
                            "--out", os.path.join(tmp, "f" + t), "--threads", t], check=True, stdout=subprocess.DEVNULL)
        compare(os.path.join(tmp, "f1"), os.path.join(tmp, "f2"), problems)
    for p in problems:
        print("FAILED:", p)
    print("fit and synth give the same files on 1 and 2 threads" if not problems else f"{len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
