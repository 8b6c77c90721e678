#!/usr/bin/env python3
"""Each stump's own profile in `resihmr fit` (docs/stump.md): with exact
masks every built stump reports `measurements.profile`, fitted ones with
parameters inside their bounds and finite uncertainties, the others with the
reason the convex cap was kept (also in `stump_note`); with `--silhouette
off` or `stump_profile_rounds` 0 no profile is fitted and the stumps are the
convex caps, with the same volumes in both.
Usage: stump_profile_test.py path/to/resihmr
"""
import json
import math
import os
import sys
import tempfile

from cli_run import run

BOUNDS = {"end_ratio": (0.3, 1.3), "taper": (0.3, 8.0), "tissue_mm": (0.0, 80.0), "roundness": (0.3, 2.5)}


def stumps(folder):
    """{(file, limb): residual limb with measurements} of every result in `folder`."""
    out = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        result = json.load(open(os.path.join(folder, name)))
        for limb in result.get("residual_limbs", []):
            if limb.get("measurements"):
                out[(name, limb["limb"])] = limb
    return out


def main():
    exe = os.path.abspath(sys.argv[1])
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "synth")
        run(exe, "synth", "--n", "8", "--seed", "5", "--amputee-fraction", "1", "--mask-dilation-px", "0", "--out", data)
        keypoints = os.path.join(data, "keypoints.json")
        with_masks, off, no_rounds = (os.path.join(tmp, n) for n in ("on", "off", "rounds0"))
        config = os.path.join(tmp, "c.json")
        with open(config, "w") as f:
            json.dump({"stump_profile_rounds": 0}, f)
        run(exe, "fit", "--keypoints", keypoints, "--out", with_masks)
        run(exe, "fit", "--keypoints", keypoints, "--out", off, "--silhouette", "off")
        run(exe, "fit", "--keypoints", keypoints, "--out", no_rounds, "--config", config)
        fitted = 0
        built = stumps(with_masks)
        for key, limb in built.items():
            profile = limb["measurements"].get("profile")
            if profile is None:
                failures.append(f"{key}: no measurements.profile")
            elif profile["fitted"]:
                fitted += 1
                for name, (lo, hi) in BOUNDS.items():
                    if not lo - 1e-9 <= profile[name] <= hi + 1e-9:
                        failures.append(f"{key}: {name} {profile[name]} outside [{lo}, {hi}]")
                    at_bound = min(abs(profile[name] - lo), abs(profile[name] - hi)) < 1e-6 * (hi - lo)
                    if at_bound != (name in profile["at_bound"]):
                        failures.append(f"{key}: {name} {profile[name]}, at_bound {profile['at_bound']}")
                    sigma = profile["sigma"][name]
                    if sigma is not None and not (math.isfinite(sigma) and sigma >= 0):
                        failures.append(f"{key}: sigma of {name} {sigma}")
                if profile["contour_points"] < 12 or not profile["rms_px"] >= 0:
                    failures.append(f"{key}: fitted on {profile['contour_points']} points, rms {profile['rms_px']}")
            elif not profile.get("note") or profile["note"].split(": ", 1)[-1] not in limb.get("stump_note", ""):
                failures.append(f"{key}: convex cap kept without its reason in stump_note: {profile} / {limb.get('stump_note')}")
        if len(built) < 4 or fitted < 2:
            failures.append(f"{len(built)} stumps built, {fitted} profiles fitted (at least 4 and 2 expected)")
        for folder in (off, no_rounds):
            for key, limb in stumps(folder).items():
                profile = limb["measurements"]["profile"]
                if profile["fitted"] or "no profile fitted" not in profile["note"]:
                    failures.append(f"{folder} {key}: {profile}")
        convex_off, convex_rounds = stumps(off), stumps(no_rounds)
        for key, limb in convex_rounds.items():
            if key in built and not built[key]["measurements"]["profile"]["fitted"]:
                if abs(built[key]["measurements"]["volume_ml"] - limb["measurements"]["volume_ml"]) > 1e-6:
                    failures.append(f"{key}: a kept convex cap's volume differs from the unprofiled one's")
        if not convex_off or not convex_rounds:
            failures.append("no stumps without profiles")
    if failures:
        raise SystemExit("FAILED:\n" + "\n".join(failures))
    print(f"{len(built)} stumps, {fitted} profiles fitted, the rest and the unprofiled runs say why")


if __name__ == "__main__":
    main()
