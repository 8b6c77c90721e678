#!/usr/bin/env python3
"""`resihmr fit --masks DIR` and `eval --masks DIR` (data/mask_files.h): the
masks of a folder are those of the keypoint file (same mIoU), and a mask
file that cannot be used is a warning in that person's result naming the
file and annotation, while the person is still fitted; with --strict, fit
and eval refuse it, naming the file, and write nothing.
Usage: fit_masks_test.py path/to/resihmr
"""
import json
import os
import shutil
import sys
import tempfile

from cli_run import expect_error, run


def main():
    exe = os.path.abspath(sys.argv[1])
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "synth")
        run(exe, "synth", "--n", "3", "--seed", "4", "--out", data)
        reports = {}
        for name, extra in (("file", []), ("folder", ["--masks", os.path.join(data, "masks")])):
            out = os.path.join(tmp, name + ".json")
            run(exe, "eval", "--dataset", data, "--methods", "intact", "--out", out, *extra)
            reports[name] = json.load(open(out))["methods"]["intact"]["miou"]
        if reports["file"] != reports["folder"]:
            failures.append(f"mIoU with the folder's masks {reports['folder']}, with the file's {reports['file']}")
        masks = os.path.join(tmp, "masks")
        shutil.copytree(os.path.join(data, "masks"), masks)
        with open(os.path.join(masks, "synth_000001.png"), "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n broken")
        out = os.path.join(tmp, "fit")
        run(exe, "fit", "--keypoints", os.path.join(data, "keypoints.json"), "--masks", masks, "--out", out)
        for i in range(3):
            result = json.load(open(os.path.join(out, f"synth_00000{i}_{i}.json")))
            said = " ".join(result["warnings"])
            if result["status"] == "failed":
                failures.append(f"person {i} not fitted: {result['error']}")
            if i == 1 and not ("synth_000001.png" in said and "annotation 1" in said and "no mask" in said):
                failures.append(f"the broken mask of person 1 is not named in its warnings: {said}")
            if i != 1 and "mask" in said:
                failures.append(f"person {i} warns about a mask: {said}")
        never = os.path.join(tmp, "never")
        expect_error(exe, ["fit", "--keypoints", os.path.join(data, "keypoints.json"), "--masks", masks, "--strict",
                           "--out", never], "synth_000001.png")
        expect_error(exe, ["eval", "--dataset", data, "--methods", "intact", "--masks", masks, "--strict",
                           "--out", os.path.join(never, "r.json")], "synth_000001.png")
        if os.path.exists(never):
            failures.append("a --strict refusal left an output folder")
    if failures:
        raise SystemExit("FAILED:\n" + "\n".join(failures))
    print("fit and eval read mask folders; a broken mask file is a warning naming it, an error with --strict")


if __name__ == "__main__":
    main()
