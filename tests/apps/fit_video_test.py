#!/usr/bin/env python3
"""`resihmr synth --frames T`, `resihmr fit --video ...` and `eval --frames`.

- synth writes per person video/<stem>/keypoints.json (COCO with frame_id and
  track_id), cameras.json and truth.npz with T frames of a walk;
- fit --video on it: one track, the frames fitted, the residual limbs'
  lengths near ground_truth.json's (median within 15 mm), a watertight mesh
  with every accepted stump measured, its picture, an npz with T frames to
  animate;
- the same frames as a folder of OpenPose files (BODY_25, no residual
  endpoints: the limbs given by --limbs are unresolved, the body fitted) and
  as a COCO file with its images shuffled and one frame repeated: the same
  frames in order, the repeat left out with a warning;
- eval --frames 1,10: a row per count, every 10-frame walk fitted;
- bad input: a COCO image without frame_id, an OpenPose file with no frame
  number in its name, OpenPose frames without --image-size, --video with
  --views, eval --frames beyond the walk: non-zero exit, a message naming the
  file / image / flag, and no output folder.
Usage: fit_video_test.py path/to/resihmr
"""
import json
import os
import random
import statistics
import sys
import tempfile

import numpy as np

from cli_run import expect_error, run


def main():
    exe = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "synth")
        run(exe, "synth", "--n", "4", "--seed", "3", "--frames", "20", "--amputee-fraction", "1", "--out", data)
        truth = json.load(open(os.path.join(data, "ground_truth.json")))["persons"]
        errors = []
        for p in truth:
            stem = os.path.splitext(p["image"])[0]
            video = os.path.join(data, "video", stem)
            frames = json.load(open(os.path.join(video, "keypoints.json")))
            if sorted(im["frame_id"] for im in frames["images"]) != list(range(20)):
                raise SystemExit(f"FAILED: {video}: frame ids {[im['frame_id'] for im in frames['images']]}")
            if any(a.get("track_id") != 0 for a in frames["annotations"]):
                raise SystemExit("FAILED: every annotation of a synth walk is track 0")
            z = np.load(os.path.join(video, "truth.npz"))
            if z["joints"].shape != (20, 24, 3) or z["endpoints"].shape != (20, len(p["residual_limbs"]), 3):
                raise SystemExit(f"FAILED: truth.npz shapes {z['joints'].shape} {z['endpoints'].shape}")
            out = os.path.join(tmp, "fit_" + stem)
            r = run(exe, "fit", "--video", os.path.join(video, "keypoints.json"), "--out", out)
            if "1/1 track(s) fitted over 20 frame(s)" not in r.stdout:
                raise SystemExit(f"FAILED: {r.stdout}")
            result = json.load(open(os.path.join(out, "track_0.json")))
            if result["status"] != "ok" or len(result["frames"]) != 20 or not result["mesh"]["watertight"]:
                raise SystemExit(f"FAILED: {result['status']} {len(result['frames'])} {result.get('mesh')}")
            for limb in result["residual_limbs"]:
                for t in p["residual_limbs"]:
                    if t["limb"] == limb["limb"] and limb["accepted"]:
                        errors.append(abs(limb["length_mm"] - t["length_mm"]))
                        if "measurements" not in limb or not limb["measurements"]["volume_ml"] > 0:
                            raise SystemExit(f"FAILED: accepted limb without a measured stump: {limb}")
                        if not limb["length_sigma_mm"] > 0:
                            raise SystemExit(f"FAILED: no uncertainty: {limb}")
            if not os.path.getsize(os.path.join(out, "track_0.png")) > 1000:
                raise SystemExit("FAILED: no picture of the reference frame")
            anim = np.load(os.path.join(out, "track_0.npz"))
            if anim["pose"].shape != (20, 24, 3) or list(anim["frame"]) != list(range(20)):
                raise SystemExit(f"FAILED: npz {anim['pose'].shape} {anim['frame']}")
        if not errors or statistics.median(errors) > 15:
            raise SystemExit(f"FAILED: residual length errors {errors}")
        print(f"fit --video: {len(errors)} limbs, median length error {statistics.median(errors):.1f} mm")

        # The same walk, shuffled, with frame 5 twice.
        stem = os.path.splitext(truth[0]["image"])[0]
        source = os.path.join(data, "video", stem, "keypoints.json")
        coco = json.load(open(source))
        random.Random(1).shuffle(coco["images"])
        twice = dict(next(im for im in coco["images"] if im["frame_id"] == 5))
        twice["id"] = 1000
        coco["images"].append(twice)
        shuffled = os.path.join(tmp, "shuffled.json")
        json.dump(coco, open(shuffled, "w"))
        r = run(exe, "fit", "--video", shuffled, "--out", os.path.join(tmp, "fit_shuffled"))
        if "frame 5 given again" not in r.stderr:
            raise SystemExit(f"FAILED: no warning for the repeated frame:\n{r.stderr}")
        a = json.load(open(os.path.join(tmp, "fit_shuffled", "track_0.json")))
        b = json.load(open(os.path.join(tmp, "fit_" + stem, "track_0.json")))
        if [f["frame"] for f in a["frames"]] != list(range(20)) or \
                abs(a["residual_limbs"][0]["length_mm"] - b["residual_limbs"][0]["length_mm"]) > 1e-6:
            raise SystemExit("FAILED: the shuffled video is not fitted as the ordered one")
        print("shuffled frames are put in order; a repeated frame is left out with a warning")

        # OpenPose frames (BODY_25: no residual endpoints).
        openpose = os.path.join(tmp, "openpose")
        os.makedirs(openpose)
        names = ["nose", "neck", "right_shoulder", "right_elbow", "right_wrist", "left_shoulder", "left_elbow",
                 "left_wrist", "mid_hip", "right_hip", "right_knee", "right_ankle", "left_hip", "left_knee",
                 "left_ankle", "right_eye", "left_eye", "right_ear", "left_ear"]
        layout = coco["categories"][0]["keypoints"]
        for im in sorted(coco["images"][:-1], key=lambda im: im["frame_id"]):
            people = []
            for ann in coco["annotations"]:
                if ann["image_id"] != im["id"]:
                    continue
                pose = [0.0] * 75
                for k, name in enumerate(names):
                    if name in layout:
                        i = layout.index(name)
                        x, y, v = ann["keypoints"][3 * i:3 * i + 3]
                        pose[3 * k:3 * k + 3] = [x, y, 1.0 if v > 0 else 0.0]
                people.append({"pose_keypoints_2d": pose})
            json.dump({"version": 1.3, "people": people},
                      open(os.path.join(openpose, f"walk_{im['frame_id']:012d}_keypoints.json"), "w"))
        out = os.path.join(tmp, "fit_openpose")
        r = run(exe, "fit", "--video", openpose, "--image-size", "1280x960", "--out", out)
        result = json.load(open(os.path.join(out, "track_0.json")))
        if result["status"] != "ok" or result["fitted_frames"] < 15:
            raise SystemExit(f"FAILED: OpenPose frames: {result['status']} {result.get('fitted_frames')}")
        print(f"fit --video OPENPOSE_DIR: {result['fitted_frames']}/20 frames fitted")

        r = run(exe, "eval", "--dataset", data, "--frames", "1,10", "--out", os.path.join(tmp, "r.json"))
        rows = json.load(open(os.path.join(tmp, "r.json")))["rows"]
        # (a walk's first frame may be without the person: a one-frame video of it fails)
        if [row["frames"] for row in rows] != [1, 10] or rows[1]["n_failed"] or rows[0]["n_failed"] > 1:
            raise SystemExit(f"FAILED: eval --frames rows {rows}")
        print("eval --frames 1,10: " + ", ".join(f"{row['frames']}: {row['length_err_mm_median']}" for row in rows))

        # Bad input.
        del coco["images"][0]["frame_id"]
        bad = os.path.join(tmp, "no_frame_id.json")
        json.dump(coco, open(bad, "w"))
        expect_error(exe, ["fit", "--video", bad, "--out", os.path.join(tmp, "o1")], bad, "frame_id: missing")
        os.rename(os.path.join(openpose, "walk_000000000003_keypoints.json"), os.path.join(openpose, "walk_keypoints.json"))
        expect_error(exe, ["fit", "--video", openpose, "--image-size", "1280x960", "--out", os.path.join(tmp, "o2")],
                     "walk_keypoints.json", "no frame number")
        os.rename(os.path.join(openpose, "walk_keypoints.json"), os.path.join(openpose, "walk_000000000003_keypoints.json"))
        expect_error(exe, ["fit", "--video", openpose, "--out", os.path.join(tmp, "o3")], "--image-size")
        expect_error(exe, ["fit", "--video", source, "--views", source, "--out", os.path.join(tmp, "o4")], "--views")
        expect_error(exe, ["eval", "--dataset", data, "--frames", "30", "--out", os.path.join(tmp, "o5.json")],
                     "--frames", "20")
        for o in ("o1", "o2", "o3", "o4"):
            if os.path.exists(os.path.join(tmp, o)):
                raise SystemExit(f"FAILED: {o} was written")
        print("bad input: clear errors, nothing written")
    print("PASSED")


if __name__ == "__main__":
    main()
