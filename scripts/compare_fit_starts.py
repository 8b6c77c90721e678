#!/usr/bin/env python3
"""Compares fits of a synthetic dataset (`resihmr synth`) made from different
starts, against its ground truth, and scores BPAC-Net's limb classes.

For each fit folder (`resihmr fit --out DIR`): persons fitted, mean 2D error
(px, over the fitted keypoints, as the fit reports it), mean geodesic error of
the body joints' rotations 1..21 (degrees) and of the global orientation
against the true parameters. With --init NPZ (what `resihmr predict` wrote):
BPAC-Net's accuracy per limb head against the true residual limbs, the
keypoint-presence rule's on the same people, and the start's own errors.

Usage: compare_fit_starts.py DATASET FIT_DIR [FIT_DIR ...] [--init predict.npz]
"""
import argparse
import json
import os

import numpy as np

HEADS = {"right_arm": 0, "left_arm": 1, "left_leg": 2, "right_leg": 3}
COCO_MID_END = [(8, 10), (7, 9), (13, 15), (14, 16)]  # elbow / knee, wrist / ankle per head


def rodrigues(r):
    r = np.asarray(r, float)
    a = np.linalg.norm(r)
    if a < 1e-12:
        return np.eye(3)
    k = r / a
    K = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(a) * K + (1 - np.cos(a)) * K @ K


def angle_deg(a, b):
    R = rodrigues(a).T @ rodrigues(b)
    return np.degrees(np.arccos(np.clip((np.trace(R) - 1) / 2, -1, 1)))


def true_classes(person):
    c = [3, 3, 3, 3]
    for r in person["residual_limbs"]:
        c[HEADS[r["limb"]]] = 1 if r["level"].startswith("below") else 2
    return c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("fits", nargs="+")
    ap.add_argument("--init")
    args = ap.parse_args()
    gt = json.load(open(os.path.join(args.dataset, "ground_truth.json")))["persons"]
    for fit in args.fits:
        errors, joints, roots, fitted = [], [], [], 0
        for p in gt:
            path = os.path.join(fit, os.path.splitext(p["image"])[0] + f"_{p['annotation_id']}.json")
            r = json.load(open(path))
            if r.get("status") != "ok":
                continue
            fitted += 1
            errors.append(r["keypoints_2d_error_px"]["mean"])
            joints += [angle_deg(r["params"]["pose"][j], p["params"]["pose"][j]) for j in range(1, 22)]
            roots.append(angle_deg(r["params"]["pose"][0], p["params"]["pose"][0]))
        print(f"{fit}: {fitted}/{len(gt)} fitted, mean 2D error {np.mean(errors):.2f} px, body joints "
              f"{np.mean(joints):.1f} deg, global orientation {np.mean(roots):.1f} deg (median {np.median(roots):.1f})")
    if args.init:
        z = np.load(args.init)
        truth = np.array([true_classes(p) for p in gt])
        net = z["bpac_classes"]
        kp = json.load(open(os.path.join(args.dataset, "keypoints.json")))["annotations"]
        rule = []
        for a in kp:
            v = np.array(a["keypoints"]).reshape(-1, 3)[:, 2] > 0
            rule.append([2 if not v[m] else 1 if not v[e] else 3 for m, e in COCO_MID_END])
        rule = np.array(rule)
        print(f"BPAC-Net accuracy per head {np.round((net == truth).mean(0), 3).tolist()}, mean {(net == truth).mean():.3f}; "
              f"keypoint rule {(rule == truth).mean():.3f}")
        pose = [angle_deg(z["body_pose"][i][j - 1], p["params"]["pose"][j]) for i, p in enumerate(gt) for j in range(1, 22)]
        root = [angle_deg(z["global_orient"][i], p["params"]["pose"][0]) for i, p in enumerate(gt)]
        depth = [abs(z["transl"][i][2] - p["params"]["transl"][2]) for i, p in enumerate(gt)]
        print(f"the start itself: body joints {np.mean(pose):.1f} deg, global orientation {np.mean(root):.1f} deg "
              f"(median {np.median(root):.1f}), depth error {np.median(depth):.2f} m (median)")


if __name__ == "__main__":
    main()
