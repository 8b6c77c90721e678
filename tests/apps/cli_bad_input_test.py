#!/usr/bin/env python3
"""`resihmr pose` and `make-model` on bad input: exit code, message, no output.

Every case must exit with code 1 (2 for bad usage), print a message naming
the file and the key or field, and leave no output file behind.
Usage: cli_bad_input_test.py path/to/resihmr
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np


def main():
    exe = os.path.abspath(sys.argv[1])
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        good = os.path.join(tmp, "good.npz")
        subprocess.run([exe, "make-model", "--out", good], check=True, stdout=subprocess.DEVNULL)
        model = dict(np.load(good))

        def variant(name, change):
            m = dict(model)
            change(m)
            path = os.path.join(tmp, name)
            np.savez(path, **m)
            return path

        def params_file(name, content):
            path = os.path.join(tmp, name)
            with open(path, "w") as f:
                f.write(content if isinstance(content, str) else json.dumps(content))
            return path

        text = params_file("not_a_zip.npz", "hello")
        raw = open(good, "rb").read()
        truncated = os.path.join(tmp, "truncated.npz")
        open(truncated, "wb").write(raw[: len(raw) // 2])
        no_weights = variant("no_weights.npz", lambda m: m.pop("weights"))
        bad_shape = variant("bad_shape.npz", lambda m: m.update(shapedirs=m["shapedirs"][:, :2, :]))
        nan = variant("nan.npz", lambda m: m.update(v_template=np.where(np.arange(m["v_template"].size).reshape(-1, 3) == 5, np.nan, m["v_template"])))
        strings = variant("strings.npz", lambda m: m.update(J_regressor=np.array(["a", "b"])))
        ok_params = params_file("ok.json", {})
        cases = [
            ("missing model file", ["--model", os.path.join(tmp, "nope.npz"), "--params", ok_params], 1, ["nope.npz", "no such file"]),
            ("not a zip", ["--model", text, "--params", ok_params], 1, ["not_a_zip.npz", "zip"]),
            ("truncated npz", ["--model", truncated, "--params", ok_params], 1, ["truncated.npz"]),
            ("missing key", ["--model", no_weights, "--params", ok_params], 1, ["no_weights.npz", "weights"]),
            ("wrong shape", ["--model", bad_shape, "--params", ok_params], 1, ["bad_shape.npz", "shapedirs", "expected"]),
            ("non-finite", ["--model", nan, "--params", ok_params], 1, ["nan.npz", "v_template", "non-finite"]),
            ("wrong dtype", ["--model", strings, "--params", ok_params], 1, ["strings.npz", "J_regressor", "numeric"]),
            ("23 joints", ["--model", good, "--params", params_file("p23.json", {"pose": [[0, 0, 0]] * 23})], 1, ["p23.json", "pose", "expected 24"]),
            ("not JSON", ["--model", good, "--params", params_file("bad.json", "{pose: ")], 1, ["bad.json", "JSON"]),
            ("NaN literal", ["--model", good, "--params", params_file("nan.json", '{"betas": [NaN]}')], 1, ["nan.json"]),
            ("huge number", ["--model", good, "--params", params_file("inf.json", '{"betas": [1e999]}')], 1, ["inf.json", "JSON"]),
            ("wrong type", ["--model", good, "--params", params_file("type.json", {"transl": "up"})], 1, ["type.json", "transl"]),
            ("missing params file", ["--model", good, "--params", os.path.join(tmp, "none.json")], 1, ["none.json"]),
            ("no params flag", ["--model", good], 1, ["--params"]),
            ("unknown flag", ["--model", good, "--params", ok_params, "--focal", "5"], 2, ["focal"]),
        ]
        for name, args, code, needles in cases:
            out = os.path.join(tmp, "out.obj")
            joints = os.path.join(tmp, "joints.json")
            result = subprocess.run([exe, "pose", *args, "--out", out, "--joints-out", joints], capture_output=True, text=True)
            message = result.stderr
            problems = []
            if result.returncode != code:
                problems.append(f"exit code {result.returncode}, expected {code}")
            for needle in needles:
                if needle not in message:
                    problems.append(f"message lacks '{needle}'")
            for path in (out, joints, out + ".partial.obj", joints + ".partial"):
                if os.path.exists(path):
                    problems.append(f"left {os.path.basename(path)} behind")
                    os.remove(path)
            status = "ok" if not problems else "FAIL: " + "; ".join(problems)
            print(f"{name:22s} {status}   [{message.strip().splitlines()[0] if message.strip() else ''}]")
            if problems:
                failures.append(name)
        result = subprocess.run([exe, "pose", "--params", ok_params, "--out", os.path.join(tmp, "mesh.stl")], capture_output=True, text=True)
        if result.returncode != 1 or ".obj or .ply" not in result.stderr:
            failures.append("bad extension")
        result = subprocess.run([exe, "make-model"], capture_output=True, text=True)
        if result.returncode != 1 or "--out" not in result.stderr:
            failures.append("make-model without --out")
        result = subprocess.run([exe, "no-such-command"], capture_output=True, text=True)
        if result.returncode != 2:
            failures.append("unknown command")
    print("FAILED: " + ", ".join(failures) if failures else "every bad input gave a clear error and no output")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
