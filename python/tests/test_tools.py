"""resihmr.measure, measure_file, synth, evaluate and merge_reports against
the command line's files."""
import json
import os

import numpy as np
import pytest

import resihmr
from conftest import run, shared


def test_measure_file_is_the_command_line_measure(tmp_path, exe):
    scan = shared("ampscan-samples/stl_file_4.stl")
    out = str(tmp_path / "m.json")
    run(exe, "measure", "--mesh", scan, "--units", "mm", "--out", out)
    assert resihmr.measure_file(scan, units="mm") == json.load(open(out))


def closed_cylinder(radius, height, n=256):
    angle = np.linspace(0, 2 * np.pi, n, endpoint=False)
    ring = np.stack([radius * np.cos(angle), radius * np.sin(angle)], 1)
    vertices = np.concatenate([np.c_[ring, np.zeros(n)], np.c_[ring, np.full(n, height)], [[0, 0, 0], [0, 0, height]]])
    faces = []
    for i in range(n):
        j = (i + 1) % n
        faces += [[i, j, n + j], [i, n + j, n + i], [2 * n, j, i], [2 * n + 1, n + i, n + j]]
    return vertices, np.array(faces)


def test_measure_arrays_of_a_cylinder(tmp_path):
    vertices, faces = closed_cylinder(40.0, 200.0)
    m = resihmr.measure(vertices, faces, units="mm", axis="z")
    exact = np.pi * 40.0 ** 2 * 200.0 / 1000.0  # mL
    assert m["measurements"]["volume_ml"] == pytest.approx(exact, rel=1e-3)
    assert m["measurements"]["length_mm"] == pytest.approx(200.0, rel=1e-6)
    assert m["measurements"]["circumference_mm"][5] == pytest.approx(2 * np.pi * 40.0, rel=1e-3)
    in_metres = resihmr.measure(vertices / 1000.0, faces, units="m", axis="z")
    assert in_metres["measurements"]["volume_ml"] == pytest.approx(m["measurements"]["volume_ml"], rel=1e-9)


@pytest.mark.parametrize("change, fragment", [
    (lambda v, f: (v, f, "cm"), "units must be given as mm or m"),
    (lambda v, f: (v, f + 1000, "mm"), "face 0 indexes vertex"),
    (lambda v, f: (v * 1e9, f, "mm"), "beyond"),
    (lambda v, f: (v[:, :2], f, "mm"), r"expected shape \(n, 3\)"),
])
def test_measure_rejects_bad_meshes(change, fragment):
    vertices, faces, units = change(*closed_cylinder(40.0, 200.0, n=16))
    with pytest.raises(ValueError, match=fragment):
        resihmr.measure(vertices, faces, units=units)


def test_measure_file_names_a_bad_file(tmp_path):
    bad = tmp_path / "bad.stl"
    bad.write_bytes(b"solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 nan\n")
    with pytest.raises(resihmr.Error, match="bad.stl"):
        resihmr.measure_file(str(bad), units="mm")


def test_synth_writes_the_command_line_dataset(tmp_path, exe):
    cli, py = str(tmp_path / "cli"), str(tmp_path / "py")
    run(exe, "synth", "--n", "4", "--seed", "3", "--out", cli)
    summary = resihmr.synth(py, n=4, seed=3, threads=2)
    assert summary["people"] == 4 and summary["folder"] == py
    for name in ("keypoints.json", "ground_truth.json", "images/synth_000002.png", "masks/synth_000003.png"):
        assert open(os.path.join(py, name), "rb").read() == open(os.path.join(cli, name), "rb").read(), name
    with pytest.raises(ValueError, match="noise_px"):
        resihmr.synth(str(tmp_path / "bad"), n=2, noise_px=-1)
    assert not os.path.exists(tmp_path / "bad")


def scores_without_times(report):
    for method in report["methods"].values():
        method.pop("persons_per_s")
    for persons in report["persons"].values():
        for p in persons:
            p.pop("time_ms")
    report.pop("threads")
    report["dataset"].pop("path")
    return report


def test_evaluate_and_merge_are_the_command_line_eval(tmp_path, exe, synth_dir):
    out = str(tmp_path / "report.json")
    run(exe, "eval", "--dataset", synth_dir, "--methods", "resihmr,intact", "--out", out)
    report = resihmr.evaluate(synth_dir, methods=["resihmr", "intact"], threads=2)
    assert scores_without_times(report) == scores_without_times(json.load(open(out)))
    shards = []
    for i in range(2):
        path = str(tmp_path / f"shard{i}.json")
        with open(path, "w") as f:
            json.dump(resihmr.evaluate(synth_dir, methods=["resihmr", "intact"], threads=1, shard=f"{i}/2"), f)
        shards.append(path)
    merged = resihmr.merge_reports(shards)
    for method in ("resihmr", "intact"):
        a, b = merged["methods"][method], report["methods"][method]
        for key in ("mpjpe2d_body_px", "length_err_mm_median", "n_persons", "n_failed"):
            assert a[key] == pytest.approx(b[key], rel=1e-12), key
    with pytest.raises(ValueError, match="shard"):
        resihmr.evaluate(synth_dir, shard="2/2")


def test_evaluate_reports_each_method_with_and_without_silhouettes(tmp_path, exe, synth_dir):
    out = str(tmp_path / "report.json")
    run(exe, "eval", "--dataset", synth_dir, "--methods", "resihmr", "--silhouette", "on", "--out", out,
        "--config", write_json(tmp_path / "c.json", {"silhouette_points": 60}))
    on = resihmr.evaluate(synth_dir, methods=["resihmr"], threads=2, silhouette="on", config={"silhouette_points": 60})
    assert list(on["methods"]) == ["resihmr+silhouette"]
    assert scores_without_times(on) == scores_without_times(json.load(open(out)))
    both = resihmr.evaluate(synth_dir, methods=["resihmr"], threads=2)  # auto: the synth folder has masks
    assert sorted(both["methods"]) == ["resihmr", "resihmr+silhouette"]
    assert list(resihmr.evaluate(synth_dir, methods=["resihmr"], silhouette="off")["methods"]) == ["resihmr"]
    with pytest.raises(ValueError, match="silhouette"):
        resihmr.evaluate(synth_dir, silhouette="sometimes")


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f)
    return str(path)


def test_fit_views_is_the_command_line_fit_views(tmp_path, exe):
    data = str(tmp_path / "synth")
    resihmr.synth(data, n=2, seed=5, views=3, threads=1)
    person = json.load(open(os.path.join(data, "views.json")))["persons"][1]
    views = [os.path.join(data, v) for v in person["views"]]
    cameras = os.path.join(data, person["cameras"])
    out = str(tmp_path / "fit")
    run(exe, "fit", "--views", ",".join(views), "--cameras", cameras, "--out", out)
    [result] = resihmr.fit_views(views, cameras, threads=1)
    expected = json.load(open(os.path.join(out, f"person_{person['annotation_id']}.json")))
    assert result["status"] == "ok" and len(result["views"]) == 3 and all(v["used"] for v in result["views"])
    assert np.allclose(result["params"]["pose"], expected["params"]["pose"], atol=1e-9)
    assert np.array(result["joints_3d"]).shape == (24, 3)
    with pytest.raises(resihmr.Error, match="no camera named"):
        resihmr.fit_views(views + [str(tmp_path / "elsewhere.json")], cameras)
    # Uncalibrated: the same views, each pose estimated with the body.
    [free] = resihmr.fit_views(views, cameras, threads=1, extrinsics="estimate")
    assert free["status"] == "ok" and [v["extrinsics"] for v in free["views"]].count("estimated") == 2
    with pytest.raises(resihmr.Error, match="extrinsics"):
        resihmr.fit_views(views, None)
    # The same folder scored against the number of views, as eval --views.
    report = resihmr.evaluate_views(data, views=[1, 3], threads=1)
    assert [r["views"] for r in report["rows"]] == [1, 3] and all(r["n_failed"] == 0 for r in report["rows"])
    assert len(report["persons"]["3"]) == 2
    with pytest.raises(resihmr.Error, match="counts of 1 to 3 views"):
        resihmr.evaluate_views(data, views=[4])


def test_fit_video_is_the_command_line_fit_video(tmp_path, exe):
    data = str(tmp_path / "synth")
    resihmr.synth(data, n=2, seed=4, frames=12, amputee_fraction=1.0, threads=1)
    video = os.path.join(data, "video", "synth_000001", "keypoints.json")
    out = str(tmp_path / "fit")
    run(exe, "fit", "--video", video, "--out", out)
    [result] = resihmr.fit_video(video, threads=1)
    expected = json.load(open(os.path.join(out, "track_0.json")))
    assert result["status"] == "ok" and len(result["frames"]) == 12
    assert np.allclose([f["params"]["pose"] for f in result["frames"]],
                       [f["params"]["pose"] for f in expected["frames"]], atol=1e-9)
    assert [r["length_mm"] for r in result["residual_limbs"]] == pytest.approx(
        [r["length_mm"] for r in expected["residual_limbs"]], abs=1e-9)
    with pytest.raises(resihmr.Error, match="frame_id"):
        resihmr.fit_video(os.path.join(data, "keypoints.json"))
    report = resihmr.evaluate_video(data, frames=[1, 12], threads=1)
    assert [r["frames"] for r in report["rows"]] == [1, 12] and report["rows"][1]["n_failed"] == 0
    with pytest.raises(resihmr.Error, match="counts of 1 to 12 frames"):
        resihmr.evaluate_video(data, frames=[13])
