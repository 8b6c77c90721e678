#!/usr/bin/env python3
"""Does the fit's orientation error come from its start or from its
objective? Fits a synthetic dataset (`resihmr synth`) three ways with the
Python module: from the default start, from the true parameters (pose,
shape, translation and orientation, as an --init npz) and from the true
orientation with the default fit's pose; prints the root rotation error
(degrees; median, 90th percentile, per pose family) of each, and for how
many people the true start ends at a lower cost than the default one. If
the true start drifts back to the same error, the objective's minimum is
not at the truth (docs/fitting.md, "Orientation and posture").

Usage: PYTHONPATH=build/python orientation_oracle.py DATASET [CONFIG_JSON]
"""
import json
import os
import sys
import tempfile

import numpy as np

import resihmr


def rodrigues(r):
    r = np.asarray(r, float)
    a = np.linalg.norm(r)
    if a < 1e-12:
        return np.eye(3)
    k = r / a
    K = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(a) * K + (1 - np.cos(a)) * K @ K


def angle_deg(R):
    return float(np.degrees(np.arccos(np.clip((np.trace(R) - 1) / 2, -1, 1))))


def main():
    dataset = sys.argv[1]
    config = json.loads(sys.argv[2]) if len(sys.argv) > 2 else None
    model = resihmr.BodyModel.embedded()
    persons = resihmr.read_keypoints(os.path.join(dataset, "keypoints.json"))
    truth = {p["annotation_id"]: p for p in json.load(open(os.path.join(dataset, "ground_truth.json")))["persons"]}
    true_params = [truth[p.annotation_id]["params"] for p in persons]

    def fit(init=None):
        return resihmr.fit(model, persons, method="resihmr", threads=2, silhouette=False, config=config, init=init)

    def report(name, results):
        errors, families = [], {}
        for p, r in zip(persons, results):
            if not r.ok:
                continue
            t = truth[p.annotation_id]
            e = angle_deg(rodrigues(r.params["global_orient"]).T @ rodrigues(t["params"]["pose"][0]))
            errors.append(e)
            families.setdefault(t["family"], []).append(e)
        print(f"{name}: root rotation error median {np.median(errors):.1f}, p90 {np.percentile(errors, 90):.1f} deg; "
              + ", ".join(f"{f} {np.median(v):.1f}" for f, v in sorted(families.items())))

    def lower_cost(a, b):
        pairs = [(x, y) for x, y in zip(a, b) if x.ok and y.ok]
        return sum(x.stages[-1]["cost_final"] < y.stages[-1]["cost_final"] for x, y in pairs), len(pairs)

    default = fit()
    report("default start", default)
    with tempfile.TemporaryDirectory() as tmp:
        everything = os.path.join(tmp, "truth.npz")
        betas = [(list(t["betas"]) + [0.0] * 10)[:10] for t in true_params]
        np.savez(everything, global_orient=np.array([t["pose"][0] for t in true_params]),
                 body_pose=np.array([np.ravel(t["pose"][1:]) for t in true_params]), model_betas=np.array(betas),
                 transl=np.array([t["transl"] for t in true_params]))
        from_truth = fit(everything)
        report("from the true parameters", from_truth)
        orientation = os.path.join(tmp, "orientation.npz")
        np.savez(orientation, global_orient=np.array([t["pose"][0] for t in true_params]),
                 body_pose=np.array([r.params["body_pose"] if r.ok else np.zeros(69) for r in default]))
        report("from the true orientation and the default fit's pose", fit(orientation))
    better, n = lower_cost(from_truth, default)
    print(f"the true start ends at a lower cost than the default one for {better} of {n} people")


if __name__ == "__main__":
    main()
