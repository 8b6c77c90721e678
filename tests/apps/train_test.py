#!/usr/bin/env python3
"""`resihmr train`: the tokenizer trains from the pose library and from a
user's .npz of poses, writing a checkpoint and a metrics log after every
epoch; what is not trainable yet and bad input are refused with a message.
Usage: train_test.py path/to/resihmr
"""
import csv
import os
import sys
import tempfile

import numpy as np

from cli_run import expect_error, run


def main():
    exe = os.path.abspath(sys.argv[1])
    tiny = ["--tokens", "8", "--codebook", "32", "--code-dim", "8", "--hidden", "16", "--batch", "64", "--epochs", "2"]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "tokenizer.pt")
        r = run(exe, "train", "tokenizer", "--n", "800", "--out", out, *tiny)
        rows = list(csv.DictReader(open(out + ".metrics.csv")))
        if len(rows) != 2 or not os.path.getsize(out) or "epoch 2/2" not in r.stdout:
            raise SystemExit(f"FAILED: expected 2 epochs logged and a checkpoint:\n{r.stdout}")
        for row in rows:
            if not (0 < float(row["held_out_deg"]) < 180 and 0 < int(row["codes_used"]) <= 32):
                raise SystemExit(f"FAILED: implausible metrics {row}")
        # A user's poses: axis-angle [N, 69].
        poses = os.path.join(tmp, "poses.npz")
        np.savez(poses, body_pose=np.random.default_rng(0).normal(0, 0.2, (500, 69)))
        r = run(exe, "train", "tokenizer", "--data", poses, "--out", os.path.join(tmp, "user.pt"), *tiny)
        if "poses: 500 from" not in r.stdout:
            raise SystemExit(f"FAILED: the user's poses were not used:\n{r.stdout}")
        print("train tokenizer: library and user poses, checkpoint and metrics after every epoch")

        def refused(args, fragment):
            expect_error(exe, ["train", *args], fragment)

        np.savez(poses, body_pose=np.zeros((500, 22, 3)))
        refused(["tokenizer", "--data", poses, "--out", out], "body_pose has shape (500, 22, 3)")
        refused(["tokenizer", "--out", out, "--device", "cuda", *tiny], "--device cuda")
        refused(["tokenizer", "--out", out, "--n", "50", *tiny], "fewer than one batch")
        refused(["bpac", "--out", out], "not available yet")
        refused(["tokenizer"], "--out is required")
        refused([], "one of bpac, tokenizer, regressor expected")
        print("train: bad input refused with a message")


if __name__ == "__main__":
    main()
