#!/usr/bin/env python3
"""`resihmr synth --views N` and `resihmr fit --views ... --cameras ...`.

- synth writes per person N cameras in both forms (EasyMocap's intri.yml /
  extri.yml, cameras.json) and one keypoint file per camera, listed in
  views.json; camera 00 is the person's own (R = I, t = 0);
- fitting each person over 1, 2 and 4 of its views: everyone is fitted, and
  the median residual length error against ground_truth.json is smaller with
  4 views than with 1, and the pelvis (world frame) nearer the truth;
- the YAML and the JSON cameras give the same fit; the result has a
  watertight mesh and every accepted stump measured;
- --images: an overlay per view; EasyMocap's folder DIR/<camera>/<frame>.json
  fits each frame as its file list does;
- uncalibrated (--extrinsics estimate, no --cameras): every pose estimated,
  the median camera rotation error within 5 degrees;
- eval --views 1,4: the length error smaller with 4 views;
- bad input: --views without --cameras, a keypoint file that names no
  camera, the same camera twice, a rotation that is not one, --masks with
  --views, --extrinsics or eval --views counts out of range, a views.json
  path outside its folder, a folder without cameras: non-zero exit, a
  message naming the file / camera / field, and no output folder.
Usage: fit_views_test.py path/to/resihmr
"""
import json
import os
import statistics
import shutil
import struct
import sys
import tempfile
import zlib

import numpy as np

from cli_run import expect_error, run


def main():
    exe = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "synth")
        run(exe, "synth", "--n", "8", "--seed", "21", "--views", "4", "--amputee-fraction", "1", "--out", data)
        listing = json.load(open(os.path.join(data, "views.json")))["persons"]
        truth = {p["annotation_id"]: p for p in json.load(open(os.path.join(data, "ground_truth.json")))["persons"]}
        if len(listing) != 8 or any(len(p["views"]) != 4 for p in listing):
            raise SystemExit(f"FAILED: views.json does not list 8 persons with 4 views: {listing[:1]}")
        rig = json.load(open(os.path.join(data, listing[0]["cameras"], "cameras.json")))["cameras"]
        if [c["name"] for c in rig] != ["00", "01", "02", "03"] or not np.allclose(rig[0]["R"], np.eye(3)) \
                or not np.allclose(rig[0]["t"], 0):
            raise SystemExit(f"FAILED: camera 00 is not the person's own: {rig[0]}")
        for name in ("intri.yml", "extri.yml"):
            if not os.path.exists(os.path.join(data, listing[0]["cameras"], name)):
                raise SystemExit(f"FAILED: no {name}")
        print("synth --views: cameras in both forms, a keypoint file per camera, views.json")

        errors = {1: [], 2: [], 4: []}
        pelvis = {1: [], 4: []}
        for person in listing:
            cameras = os.path.join(data, person["cameras"])
            for count in errors:
                views = ",".join(os.path.join(data, v) for v in person["views"][:count])
                out = os.path.join(tmp, f"fit_{person['annotation_id']}_{count}")
                r = run(exe, "fit", "--views", views, "--cameras", cameras, "--out", out)
                if "1/1 persons fitted" not in r.stdout:
                    raise SystemExit(f"FAILED: person {person['annotation_id']} with {count} views:\n{r.stdout}")
                result = json.load(open(os.path.join(out, f"person_{person['annotation_id']}.json")))
                if len(result["views"]) != count or result["status"] != "ok":
                    raise SystemExit(f"FAILED: {result['views']}")
                gt = truth[person["annotation_id"]]
                for limb in result["residual_limbs"]:
                    for t in gt["residual_limbs"]:
                        if t["limb"] == limb["limb"] and limb["accepted"]:
                            errors[count].append(abs(limb["length_mm"] - t["length_mm"]))
                if count in pelvis:
                    # The fitted pelvis, posed: transl plus the shape's rest root joint, which
                    # the truth's own transl shares up to the shape's difference: compare transl.
                    pelvis[count].append(1000 * np.linalg.norm(np.array(result["params"]["transl"]) -
                                                               np.array(gt["params"]["transl"])))
        medians = {c: statistics.median(e) for c, e in errors.items()}
        print("residual length error, median over accepted limbs: " +
              ", ".join(f"{c} view(s) {m:.1f} mm ({len(errors[c])} limbs)" for c, m in medians.items()) +
              f"; translation error median: 1 view {statistics.median(pelvis[1]):.0f} mm, "
              f"4 views {statistics.median(pelvis[4]):.0f} mm")
        if not medians[4] < medians[1] or not statistics.median(pelvis[4]) < statistics.median(pelvis[1]):
            raise SystemExit("FAILED: four views are no better than one")

        # The same cameras in either form give the same fit.
        person = listing[0]
        views = ",".join(os.path.join(data, v) for v in person["views"])
        cameras = os.path.join(data, person["cameras"])
        run(exe, "fit", "--views", views, "--cameras", cameras, "--out", os.path.join(tmp, "yaml"))
        run(exe, "fit", "--views", views, "--cameras", os.path.join(cameras, "cameras.json"), "--out",
            os.path.join(tmp, "json"))
        stem = f"person_{person['annotation_id']}.json"
        a = json.load(open(os.path.join(tmp, "yaml", stem)))["params"]
        b = json.load(open(os.path.join(tmp, "json", stem)))["params"]
        if not np.allclose(a["pose"], b["pose"], atol=1e-6) or not np.allclose(a["transl"], b["transl"], atol=1e-6):
            raise SystemExit("FAILED: the YAML and JSON cameras gave different fits")
        print("EasyMocap's YAML and the JSON cameras: the same fit")
        whole = json.load(open(os.path.join(tmp, "yaml", stem)))
        if not os.path.getsize(os.path.join(tmp, "yaml", whole["mesh"]["file"])) or not whole["mesh"]["watertight"] or \
                any("volume_ml" not in l.get("measurements", {}) for l in whole["residual_limbs"] if l["accepted"]):
            raise SystemExit(f"FAILED: the multi-view result lacks its mesh or stump measurements: {whole.get('mesh')}")
        print("the multi-view result: a watertight mesh, each accepted stump measured (" +
              ", ".join(f"{l['limb']} {l['measurements']['volume_ml']:.0f} mL" for l in whole["residual_limbs"] if l["accepted"]) + ")")

        # --images: each view's photo (here plain grey, as synth draws none for the other
        # views) with the mesh and keypoints over it, person_<id>_<camera>.png.
        def grey_png(path, width, height):
            def chunk(kind, body):
                return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
            rows = b"".join(b"\x00" + b"\x5a" * (3 * width) for _ in range(height))
            with open(path, "wb") as f:
                f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
                        chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))

        def png_size(path):
            with open(path, "rb") as f:
                head = f.read(24)
            return struct.unpack(">II", head[16:24])

        photos = os.path.join(tmp, "photos")
        for v in person["views"]:
            camera = os.path.basename(os.path.dirname(v))
            image = json.load(open(os.path.join(data, v)))["images"][0]
            os.makedirs(os.path.join(photos, camera), exist_ok=True)
            grey_png(os.path.join(photos, camera, image["file_name"]), image["width"], image["height"])
        pictures = os.path.join(tmp, "pictures")
        run(exe, "fit", "--views", views, "--cameras", cameras, "--images", photos, "--out", pictures)
        for v in person["views"]:
            camera = os.path.basename(os.path.dirname(v))
            png = os.path.join(pictures, f"person_{person['annotation_id']}_{camera}.png")
            if not os.path.exists(png) or png_size(png) != (image["width"], image["height"]):
                raise SystemExit(f"FAILED: --images: no overlay {png}")
        print("--images: an overlay per view")

        # EasyMocap's layout as one folder: DIR/intri.yml, extri.yml, DIR/<camera>/<frame>.json;
        # each frame fitted into OUT/<frame>/, the cameras found in DIR.
        mocap = os.path.join(tmp, "easymocap")
        for name in ("intri.yml", "extri.yml"):
            os.makedirs(mocap, exist_ok=True)
            shutil.copy(os.path.join(cameras, name), mocap)
        for v in person["views"]:
            camera = os.path.basename(os.path.dirname(v))
            os.makedirs(os.path.join(mocap, camera), exist_ok=True)
            for frame in ("000000", "000001"):
                shutil.copy(os.path.join(data, v), os.path.join(mocap, camera, frame + ".json"))
        r = run(exe, "fit", "--views", mocap, "--out", os.path.join(tmp, "mocap_out"))
        for frame in ("000000", "000001"):
            c = json.load(open(os.path.join(tmp, "mocap_out", frame, stem)))["params"]
            if not np.allclose(c["pose"], a["pose"], atol=1e-9):
                raise SystemExit(f"FAILED: EasyMocap folder, frame {frame}: not the fit of its files\n{r.stdout}")
        if "2/2 persons fitted in 2 frame(s)" not in r.stdout:
            raise SystemExit(f"FAILED: EasyMocap folder: {r.stdout}")
        print("EasyMocap's folder layout: each frame fitted over its cameras, as the file list")

        # Uncalibrated: no --cameras, so each view's default camera (synth's own) and
        # every pose estimated with the body; one view is the world. Scored over the
        # first 4 persons: each view's rotation relative to the world view.
        rotation = []
        for person in listing[:4]:
            views = ",".join(os.path.join(data, v) for v in person["views"])
            cameras = os.path.join(data, person["cameras"])
            out = os.path.join(tmp, f"free_{person['annotation_id']}")
            run(exe, "fit", "--views", views, "--extrinsics", "estimate", "--out", out)
            free = json.load(open(os.path.join(out, f"person_{person['annotation_id']}.json")))
            kinds = [v["extrinsics"] for v in free["views"]]
            if free["status"] != "ok" or kinds.count("given") != 1 or not all(v["used"] for v in free["views"]):
                raise SystemExit(f"FAILED: uncalibrated fit: {free['status']} {kinds} {free['warnings']}")
            true_R = {c["name"]: np.array(c["R"]) for c in json.load(open(os.path.join(cameras, "cameras.json")))["cameras"]}
            ref = next(v for v in free["views"] if v["extrinsics"] == "given")
            for v in free["views"]:
                if v is ref:
                    continue
                rel = np.array(v["R"]) @ np.array(ref["R"]).T
                true_rel = true_R[v["name"]] @ true_R[ref["name"]].T
                rotation.append(np.degrees(np.arccos(np.clip((np.trace(rel.T @ true_rel) - 1) / 2, -1, 1))))
        print(f"uncalibrated views, default cameras, 4 persons: rotation error median {statistics.median(rotation):.1f}, "
              f"worst {max(rotation):.1f} deg over {len(rotation)} views")
        if statistics.median(rotation) > 5:
            raise SystemExit("FAILED: the estimated camera rotations are more than 5 degrees off (median)")
        person = listing[0]
        views = ",".join(os.path.join(data, v) for v in person["views"])
        cameras = os.path.join(data, person["cameras"])

        # eval --views: the folder scored against the number of views.
        report_path = os.path.join(tmp, "views_report.json")
        r = run(exe, "eval", "--dataset", data, "--views", "1,4", "--out", report_path)
        report = json.load(open(report_path))
        rows = {row["views"]: row for row in report["rows"]}
        if sorted(rows) != [1, 4] or any(row["n_failed"] for row in rows.values()) or \
                not rows[4]["length_err_mm_median"] < rows[1]["length_err_mm_median"] or \
                not os.path.exists(os.path.join(tmp, "views_report.csv")):
            raise SystemExit(f"FAILED: eval --views: {report['rows']}\n{r.stdout}")
        print(f"eval --views 1,4: length error {rows[1]['length_err_mm_median']:.1f} -> "
              f"{rows[4]['length_err_mm_median']:.1f} mm")

        # Bad input.
        never = os.path.join(tmp, "never")
        expect_error(exe, ["fit", "--views", views, "--out", never], "--views needs --cameras")
        stray = os.path.join(tmp, "stray.json")
        with open(stray, "w") as f:
            f.write(open(os.path.join(data, person["views"][0])).read())
        expect_error(exe, ["fit", "--views", views + "," + stray, "--cameras", cameras, "--out", never],
                     stray, "no camera named")
        first = os.path.join(data, person["views"][0])
        expect_error(exe, ["fit", "--views", first + "," + first, "--cameras", cameras, "--out", never],
                     "a second view of camera '00'")
        bent = json.load(open(os.path.join(cameras, "cameras.json")))
        bent["cameras"][1]["R"][0][1] += 0.3
        bent_path = os.path.join(tmp, "bent.json")
        json.dump(bent, open(bent_path, "w"))
        expect_error(exe, ["fit", "--views", views, "--cameras", bent_path, "--out", never],
                     "bent.json: cameras[1] ('01')", "R is not a rotation")
        expect_error(exe, ["fit", "--views", views, "--cameras", cameras, "--masks", tmp, "--out", never],
                     "--views takes its keypoints from the view files")
        expect_error(exe, ["synth", "--n", "1", "--views", "1", "--out", never], "--views must be a number of cameras")
        expect_error(exe, ["fit", "--views", views, "--extrinsics", "guess", "--out", never],
                     "--extrinsics: given or estimate expected")
        expect_error(exe, ["eval", "--dataset", data, "--views", "5", "--out", never], "counts of 1 to 4 views")
        outside = os.path.join(tmp, "outside")
        os.makedirs(outside)
        for name in ("keypoints.json", "ground_truth.json"):
            shutil.copy(os.path.join(data, name), outside)
        json.dump({"persons": [{"annotation_id": listing[0]["annotation_id"], "cameras": "../synth/" + listing[0]["cameras"],
                                "views": listing[0]["views"]}]}, open(os.path.join(outside, "views.json"), "w"))
        expect_error(exe, ["eval", "--dataset", outside, "--views", "1", "--out", never],
                     "views.json: persons[0]: cameras: a path inside the dataset folder expected")
        os.makedirs(os.path.join(tmp, "empty_folder"), exist_ok=True)
        expect_error(exe, ["fit", "--views", os.path.join(tmp, "empty_folder"), "--extrinsics", "estimate", "--out", never],
                     "no camera folder holding keypoint files")
        expect_error(exe, ["eval", "--dataset", data, "--views", "1,x", "--out", never], "comma-separated view counts")
        expect_error(exe, ["eval", "--dataset", os.path.join(data, "keypoints.json"), "--views", "2", "--out", never],
                     "a `resihmr synth --views N` folder")
        if os.path.exists(never):
            raise SystemExit("FAILED: a refused run left an output folder")
        print("bad --views / --cameras input: refused with the file, camera and field named")


if __name__ == "__main__":
    main()
