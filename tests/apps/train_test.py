#!/usr/bin/env python3
"""`resihmr train`, `resihmr predict` and `resihmr fit --init regressor:`.

- the tokenizer trains from the pose library and from a user's .npz of
  poses, writing a checkpoint and a metrics log after every epoch;
- on `resihmr synth --crops` renderings, BPAC-Net and then the regressor
  (with that tokenizer and BPAC-Net) train at tiny sizes, each writing a
  checkpoint and metrics after every epoch;
- `resihmr predict` writes the start of a fit for every person, in the
  shapes `fit --init` reads; `fit --init regressor:` runs it and fits every
  person, its residual limbs those of BPAC-Net's classes;
- bad input is refused with a message.
Usage: train_test.py path/to/resihmr
"""
import csv
import json
import os
import shutil
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

        def refused(args, *fragments):
            expect_error(exe, ["train", *args], *fragments)

        np.savez(poses, body_pose=np.zeros((500, 22, 3)))
        refused(["tokenizer", "--data", poses, "--out", out], "body_pose has shape (500, 22, 3)")
        refused(["tokenizer", "--out", out, "--device", "cuda", *tiny], "--device cuda")
        refused(["tokenizer", "--out", out, "--n", "50", *tiny], "fewer than one batch")
        refused(["bpac", "--out", out], "--data is required")
        refused(["regressor", "--data", tmp, "--out", out], "--tokenizer is required")
        refused(["tokenizer"], "--out is required")
        refused([], "one of bpac, tokenizer, regressor expected")
        print("train: bad input refused with a message")

        # BPAC-Net and the regressor on synthetic crops, then predict and fit.
        data = os.path.join(tmp, "crops")
        run(exe, "synth", "--n", "24", "--seed", "3", "--crops", "64", "--image-size", "640x480", "--out", data)
        records = json.load(open(os.path.join(data, "crops.json")))["persons"]
        if len(records) != 24 or not all(len(r["bpac_classes"]) == 4 and len(r["body_pose"]) == 21 for r in records):
            raise SystemExit("FAILED: crops.json does not hold 24 records with classes and poses")
        bpac = os.path.join(tmp, "bpac.pt")
        r = run(exe, "train", "bpac", "--data", data, "--out", bpac, "--base-width", "8", "--blocks", "1,1,1,1",
                "--epochs", "2", "--batch", "8")
        rows = list(csv.DictReader(open(bpac + ".metrics.csv")))
        if len(rows) != 2 or not all(0 <= float(row["mean_accuracy"]) <= 1 for row in rows) or "confusion" not in r.stdout:
            raise SystemExit(f"FAILED: train bpac logged no 2 epochs or no confusion:\n{r.stdout}")
        model = os.path.join(tmp, "model.pt")
        regressor = ["--vit-dim", "16", "--vit-depth", "1", "--vit-heads", "2", "--decoder-dim", "16",
                     "--decoder-layers", "1", "--epochs", "2", "--batch", "8"]
        r = run(exe, "train", "regressor", "--data", data, "--tokenizer", out, "--bpac", bpac, "--out", model,
                *regressor)
        rows = list(csv.DictReader(open(model + ".metrics.csv")))
        if len(rows) != 2 or not all(0 <= float(row["token_accuracy"]) <= 1 for row in rows):
            raise SystemExit(f"FAILED: train regressor logged no 2 epochs:\n{r.stdout}")
        print("train bpac and regressor: checkpoints and metrics after every epoch")

        keypoints = os.path.join(data, "keypoints.json")
        images = os.path.join(data, "images")
        init = os.path.join(tmp, "init.npz")
        run(exe, "predict", "--regressor", model, "--keypoints", keypoints, "--images", images, "--out", init)
        z = np.load(init)
        shapes = {k: z[k].shape for k in z.files}
        expected = {"global_orient": (24, 3), "body_pose": (24, 21, 3), "transl": (24, 3),
                    "bpac_classes": (24, 4), "bpac_probabilities": (24, 4, 4)}
        if any(shapes.get(k) != v for k, v in expected.items()) or shapes["model_betas"][0] != 24:
            raise SystemExit(f"FAILED: predict wrote {shapes}")
        if not (np.all(z["transl"][:, 2] > 0) and np.allclose(z["bpac_probabilities"].sum(2), 1)):
            raise SystemExit("FAILED: a translation behind the camera or probabilities that do not sum to 1")
        fitted = os.path.join(tmp, "fitted")
        r = run(exe, "fit", "--keypoints", keypoints, "--images", images, "--init", "regressor:" + model, "--out", fitted)
        if "24/24 persons fitted" not in r.stdout or not os.path.exists(os.path.join(fitted, "regressor_init.npz")):
            raise SystemExit(f"FAILED: fit --init regressor: did not fit everyone:\n{r.stdout}")
        names = ["right_arm", "left_arm", "left_leg", "right_leg"]
        classes = np.load(os.path.join(fitted, "regressor_init.npz"))["bpac_classes"]
        for i, rec in enumerate(records):
            stem = os.path.splitext(rec["image"])[0] + f"_{i}"
            got = sorted(l["limb"] for l in json.load(open(os.path.join(fitted, stem + ".json")))["residual_limbs"])
            if got != sorted(names[h] for h in range(4) if classes[i, h] != 3):
                raise SystemExit(f"FAILED: person {i}: residual limbs {got}, BPAC-Net's classes {classes[i]}")
        print("predict and fit --init regressor: a start for every person, limbs from BPAC-Net's classes")

        refused_predict = lambda args, *fragments: expect_error(exe, ["predict", *args], *fragments)
        refused_predict(["--regressor", out, "--keypoints", keypoints, "--images", images, "--out", init],
                        "a checkpoint of 'pose_tokenizer', 'regressor_bundle' expected")
        refused_predict(["--regressor", model, "--keypoints", keypoints, "--images", tmp, "--out", init],
                        "person 0", "missing or unreadable")
        refused(["bpac", "--data", data, "--out", bpac, "--epochs", "1", "--batch", "64"], "fewer than one batch")
        refused(["regressor", "--data", data, "--tokenizer", bpac, "--out", model], "'bpac_net', 'pose_tokenizer' expected")
        broken = os.path.join(tmp, "broken")
        os.makedirs(os.path.join(broken, "crops"))
        records[0]["camera"] = [1.0, 2.0]
        json.dump({"crop_size": 64, "persons": records}, open(os.path.join(broken, "crops.json"), "w"))
        refused(["bpac", "--data", broken, "--out", bpac], "persons[0]", "missing or not an image")
        shutil.copy(os.path.join(data, "crops", records[0]["crop"]), os.path.join(broken, "crops"))
        refused(["bpac", "--data", broken, "--out", bpac], "persons[0]: field 'camera' missing or not 3 numbers")
        print("train and predict: bad crops, checkpoints and images refused with a message")


if __name__ == "__main__":
    main()
