#!/usr/bin/env python3
"""The several-views table of docs/multiview.md: each person of a
`resihmr synth --views 4` folder fitted with `resihmr fit --views` over its
first 1, 2, 3 and 4 cameras (the same people in every row), scored against
ground_truth.json (whose camera frame is the views' world frame).

Per row: median residual length error (mm), lambda error, endpoint 3D error
(mm) over the accepted residual limbs, and how many of the true residual
limbs were accepted; MPJPE (mm) over the joints the residual limbs keep
(the intact body); how many persons failed.

With --extrinsics estimate the cameras' R, t are not given to the fit
(uncalibrated views, intrinsics known): the fit's world is then the frame of
the view it started from, so its joints and endpoints are carried into
camera 00's frame (the truth's world) through the pose it estimated for
camera 00 (else for the first view it used); and the table adds the camera
rotation error, the angle between each view's estimated rotation relative to
camera 00 and the true one (median and 90th percentile over every view but
camera 00 of every fitted person).

Usage: multiview_table.py path/to/resihmr SYNTH_DIR [--views 1,2,3,4] [--jobs 2] [--extrinsics estimate]
"""
import argparse
import concurrent.futures
import json
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np

# SMPL joints beyond each residual segment's upper joint (the joints a residual limb loses).
LOST = {("left_arm", "above_elbow"): [18, 20, 22], ("left_arm", "below_elbow"): [20, 22],
        ("right_arm", "above_elbow"): [19, 21, 23], ("right_arm", "below_elbow"): [21, 23],
        ("left_leg", "above_knee"): [4, 7, 10], ("left_leg", "below_knee"): [7, 10],
        ("right_leg", "above_knee"): [5, 8, 11], ("right_leg", "below_knee"): [8, 11]}


def fit_one(exe, data, person, count, out, extrinsics):
    views = ",".join(os.path.join(data, v) for v in person["views"][:count])
    r = subprocess.run([exe, "fit", "--views", views, "--cameras", os.path.join(data, person["cameras"]), "--out", out,
                        "--extrinsics", extrinsics], capture_output=True, text=True)
    path = os.path.join(out, f"person_{person['annotation_id']}.json")
    return json.load(open(path)) if r.returncode == 0 and os.path.exists(path) else None


def angle_deg(R):
    return float(np.degrees(np.arccos(np.clip((np.trace(R) - 1) / 2, -1, 1))))


def true_cameras(data, person):
    path = os.path.join(data, person["cameras"])
    rig = json.load(open(os.path.join(path, "cameras.json") if os.path.isdir(path) else path))["cameras"]
    return {c["name"]: (np.array(c["R"], float), np.array(c["t"], float)) for c in rig}


def to_truth_frame(result, cams):
    """A function carrying the fit's world points into camera 00's frame
    (the truth's world), and the per-view rotation errors (degrees)."""
    views = [v for v in result["views"] if v.get("used") and "R" in v]
    if not views:
        return None, []
    ref = next((v for v in views if v["name"] == "00"), views[0])
    R, t = np.array(ref["R"]), np.array(ref["t"])
    Rt, tt = cams[ref["name"]]
    def carry(X):
        return (Rt.T @ (R @ np.asarray(X).T + t[:, None] - tt[:, None])).T
    errors = []
    for v in views:
        if v["name"] == ref["name"]:
            continue
        rel_fit = np.array(v["R"]) @ R.T
        rel_true = cams[v["name"]][0] @ Rt.T
        errors.append(angle_deg(rel_fit.T @ rel_true))
    return carry, errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("exe")
    ap.add_argument("data")
    ap.add_argument("--views", default="1,2,3,4")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--extrinsics", default="given", choices=["given", "estimate"])
    args = ap.parse_args()
    estimate = args.extrinsics == "estimate"
    listing = json.load(open(os.path.join(args.data, "views.json")))["persons"]
    truth = {p["annotation_id"]: p for p in json.load(open(os.path.join(args.data, "ground_truth.json")))["persons"]}
    extra = " rotation err median / p90 (deg) |" if estimate else ""
    print("| views | persons | failed | length err (mm) | lambda err | endpoint 3D (mm) | accepted / residual limbs | MPJPE (mm) |" + extra)
    print("|---|---|---|---|---|---|---|---|" + ("---|" if estimate else ""))
    with tempfile.TemporaryDirectory() as tmp, concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for count in [int(c) for c in args.views.split(",")]:
            jobs = [pool.submit(fit_one, args.exe, args.data, p, count, os.path.join(tmp, f"{count}_{p['annotation_id']}"),
                                args.extrinsics) for p in listing]
            length, lam, end, mpjpe, rotation = [], [], [], [], []
            failed = accepted = limbs = 0
            for person, job in zip(listing, jobs):
                result = job.result()
                gt = truth[person["annotation_id"]]
                limbs += len(gt["residual_limbs"])
                if result is None or result["status"] != "ok":
                    failed += 1
                    continue
                carry = lambda X: np.asarray(X)
                if estimate:
                    carry, errors = to_truth_frame(result, true_cameras(args.data, person))
                    if carry is None:
                        failed += 1
                        continue
                    rotation += errors
                lost = set()
                for t in gt["residual_limbs"]:
                    lost.update(LOST[(t["limb"], t["level"])])
                    for r in result["residual_limbs"]:
                        if r["limb"] == t["limb"] and r["accepted"]:
                            accepted += 1
                            length.append(abs(r["length_mm"] - t["length_mm"]))
                            lam.append(abs(r["lambda"] - t["lambda"]))
                            end.append(1000 * np.linalg.norm(carry(np.array([r["endpoint_3d"]]))[0] - np.array(t["endpoint_3d"])))
                keep = [j for j in range(24) if j not in lost]
                fitted = carry(np.array(result["joints_3d"]))[keep]
                true = np.array(gt["joints_3d"])[keep]
                mpjpe.append(1000 * np.linalg.norm(fitted - true, axis=1).mean())
            med = lambda v: statistics.median(v) if v else float("nan")
            rot = (f" {med(rotation):.2f} / {np.percentile(rotation, 90):.2f} |" if rotation else " - |") if estimate else ""
            print(f"| {count} | {len(listing)} | {failed} | {med(length):.1f} | {med(lam):.3f} | {med(end):.1f} | "
                  f"{accepted} / {limbs} | {med(mpjpe):.1f} |" + rot)
            sys.stdout.flush()


if __name__ == "__main__":
    main()
