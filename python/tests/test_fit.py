"""resihmr.fit and resihmr.Result: the same results as `resihmr fit`, on
any number of threads, with the GIL released; every field documented."""
import json
import os
import struct
import threading
import time

import numpy as np
import pytest

import resihmr
from conftest import read_binary_ply_vertices, run, without_times
from pose_reference_test import reference

RESIDUAL_LIMB_FIELDS = {"limb", "level", "observed", "lambda", "lambda_sigma", "joint_t", "joint_a", "endpoint_3d",
                        "endpoint_2d", "reprojection_error_px", "accepted", "reason", "length_mm", "length_sigma_mm",
                        "length_fraction", "depth_tilt_deg"}


@pytest.fixture(scope="module")
def persons(synth_dir):
    return resihmr.read_keypoints(os.path.join(synth_dir, "keypoints.json"))


@pytest.fixture(scope="module")
def results(model, persons):
    return resihmr.fit(model, persons, method="resihmr", threads=2)


@pytest.mark.parametrize("method", ["resihmr", "intact", "ajahr-zero"])
def test_results_are_those_of_the_command_line(tmp_path, exe, model, persons, synth_dir, method):
    out = str(tmp_path / "fit")
    run(exe, "fit", "--keypoints", os.path.join(synth_dir, "keypoints.json"), "--out", out, "--method", method,
        "--threads", "2")
    results = resihmr.fit(model, persons, method=method, threads=1)
    assert len(results) == len(persons)
    for r in results:
        stem = f"{os.path.splitext(r.person.image)[0]}_{r.person.annotation_id}"
        written = open(os.path.join(out, stem + ".json")).read()
        assert without_times(r.to_json()) == without_times(written)  # the same text, but for the wall-clock times
        if not r.ok:
            continue
        z = np.load(os.path.join(out, stem + ".npz"))
        for key, value in r.params.items():
            np.testing.assert_array_equal(value, z[key], err_msg=key)
        np.testing.assert_array_equal(r.camera["K"], z["camera_K"])
        ply = read_binary_ply_vertices(os.path.join(out, stem + ".ply"))
        np.testing.assert_array_equal(ply["xyz"], r.mesh.vertices.astype(np.float32))
        np.testing.assert_array_equal(ply["residual"] == 1, r.mesh.residual)


def test_threads_do_not_change_results(model, persons, results):
    one = resihmr.fit(model, persons, method="resihmr", threads=1)
    assert [without_times(r.to_json()) for r in one] == [without_times(r.to_json()) for r in results]


def test_result_fields(results, persons):
    assert all(r.status in ("ok", "suspect") for r in results)
    cut = 0
    for r, p in zip(results, persons):
        assert r.params["global_orient"].shape == (3,) and r.params["body_pose"].shape == (69,)
        assert r.params["betas"].shape == (10,) and r.params["transl"].shape == (3,)
        assert r.camera["K"].shape == (3, 3) and r.camera["image_size"] == p.image_size
        assert r.keypoints_2d.shape == (25, 2) and r.keypoint_errors_px.shape == (25,)
        assert r.mesh.watertight and r.mesh.vertices.shape[1] == 3 and r.mesh.faces.dtype == np.int32
        assert r.mesh.residual.dtype == bool and r.mesh.residual.shape == (r.mesh.vertices.shape[0],)
        as_json = json.loads(r.to_json())
        assert r.residual_limbs == as_json["residual_limbs"]
        for limb in r.residual_limbs:
            assert RESIDUAL_LIMB_FIELDS <= set(limb)
            if limb.get("measurements"):
                assert r.measurements[limb["limb"]] == limb["measurements"]
                assert limb["measurements"]["volume_ml"] > 0
                cut += 1
        assert r.mesh.residual.any() == bool(r.measurements)
    assert cut >= 4  # stumps were built and measured


def test_numpy_forward_pass_reproduces_the_intact_mesh(tmp_path, exe, persons):
    path = str(tmp_path / "model.npz")
    run(exe, "make-model", "--out", path)
    model = resihmr.BodyModel.load(path)
    r = resihmr.fit(model, persons[:2], method="intact")[1]
    p = r.params
    pose = np.concatenate([p["global_orient"], p["body_pose"]]).reshape(-1, 3)
    vertices, _ = reference(dict(np.load(path)), {"betas": p["betas"], "pose": pose, "transl": p["transl"]}, "smpl")
    np.testing.assert_allclose(vertices, r.mesh.vertices, atol=1e-6)
    again, _ = model.pose(betas=p["betas"], pose=pose, transl=p["transl"])
    np.testing.assert_allclose(again, r.mesh.vertices, atol=1e-9)


def test_fit_releases_the_gil(model, persons):
    many = persons * 8
    ticks = []
    done = threading.Event()

    def work():
        resihmr.fit(model, many, threads=1)
        done.set()

    start = time.monotonic()
    worker = threading.Thread(target=work)
    worker.start()
    while not done.is_set():
        ticks.append(time.monotonic())
        time.sleep(0.002)
    worker.join()
    seconds = time.monotonic() - start
    assert seconds > 0.1, "the fit was too quick to tell"
    # With the GIL held for the whole call this thread would not run at all meanwhile.
    assert len(ticks) > 0.2 * seconds / 0.002, f"{len(ticks)} ticks in {seconds:.2f} s"


def test_a_person_without_keypoints_fails_with_a_reason(model):
    empty = resihmr.Person.from_arrays(np.zeros((25, 3)), layout="ldpose25", image_size=(640, 480))
    (r,) = resihmr.fit(model, empty)
    assert r.status == "failed" and not r.ok and r.error
    assert r.params is None and r.mesh is None and r.measurements == {}
    assert json.loads(r.to_json())["status"] == "failed"


@pytest.mark.parametrize("kwargs, error, fragment", [
    ({"method": "smplify"}, ValueError, "method 'smplify' is unknown"),
    ({"threads": -1}, ValueError, "threads"),
    ({"limbs": "left_leg=below_elbow"}, ValueError, "left_leg"),
    ({"focal": -5.0}, ValueError, "focal"),
    ({"config": {"no_such_weight": 1}}, ValueError, "no_such_weight"),
])
def test_bad_arguments_raise(model, persons, kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        resihmr.fit(model, persons[:1], **kwargs)


def test_limbs_and_config_are_applied(model, persons):
    (r,) = resihmr.fit(model, persons[:1], limbs={"right_arm": "above_elbow"})
    assert [(l["limb"], l["level"]) for l in r.residual_limbs] == [("right_arm", "above_elbow")]
    (a,) = resihmr.fit(model, persons[:1], config={"camera_max_iterations": 1})
    (b,) = resihmr.fit(model, persons[:1])
    assert a.stages[0]["iterations"] <= 1 < b.stages[0]["iterations"]


def test_silhouette_stage_runs_with_masks_and_can_be_turned_off(model, persons):
    assert all(p.mask is not None for p in persons[:2])
    on = resihmr.fit(model, persons[:2], threads=1)
    off = resihmr.fit(model, persons[:2], threads=1, silhouette=False)
    for a, b in zip(on, off):
        assert [s["name"] for s in a.stages][-1] == "silhouette"
        assert "silhouette" not in [s["name"] for s in b.stages]
        # The keypoint stages before it are the same solves.
        assert [(s["name"], s["cost_final"]) for s in a.stages[:-1]] == [(s["name"], s["cost_final"]) for s in b.stages]
        assert not np.array_equal(a.params["betas"], b.params["betas"])  # the masks moved the shape


def read_glb(path):
    raw = open(path, "rb").read()
    magic, version, length = struct.unpack_from("<4sII", raw, 0)
    assert magic == b"glTF" and version == 2 and length == len(raw)
    json_length, json_type = struct.unpack_from("<II", raw, 12)
    assert json_type == 0x4E4F534A  # JSON
    gltf = json.loads(raw[20:20 + json_length])
    bin_length, bin_type = struct.unpack_from("<II", raw, 20 + json_length)
    assert bin_type == 0x004E4942  # BIN
    blob = raw[28 + json_length:28 + json_length + bin_length]

    def accessor(index, dtype, width):
        a = gltf["accessors"][index]
        view = gltf["bufferViews"][a["bufferView"]]
        start = view.get("byteOffset", 0) + a.get("byteOffset", 0)
        return np.frombuffer(blob, dtype=dtype, count=a["count"] * width, offset=start).reshape(a["count"], width)

    primitive = gltf["meshes"][0]["primitives"][0]
    attributes = primitive["attributes"]
    return (gltf, accessor(attributes["POSITION"], "<f4", 3), accessor(primitive["indices"], "<u4", 1).reshape(-1, 3),
            accessor(attributes["COLOR_0"], "<f4", 3), accessor(attributes["_RESIDUAL"], "<f4", 1).ravel())


def test_save_writes_the_command_line_files_and_a_glb(tmp_path, results):
    r = next(r for r in results if r.measurements)
    r.save(str(tmp_path), glb=True)
    stem = f"{os.path.splitext(r.person.image)[0]}_{r.person.annotation_id}"
    assert sorted(os.listdir(tmp_path)) == sorted(stem + ext for ext in (".json", ".npz", ".ply", ".glb"))
    assert without_times(open(tmp_path / (stem + ".json")).read()) == without_times(r.to_json())
    gltf, position, faces, colour, residual = read_glb(str(tmp_path / (stem + ".glb")))
    assert gltf["asset"]["version"] == "2.0"
    expected = r.mesh.vertices * [1, -1, -1]  # glTF's axes: y up, the camera at +z
    np.testing.assert_allclose(position, expected, atol=1e-6)
    np.testing.assert_allclose(gltf["accessors"][gltf["meshes"][0]["primitives"][0]["attributes"]["POSITION"]]["min"],
                               position.min(0), atol=0)
    np.testing.assert_array_equal(faces, r.mesh.faces)
    np.testing.assert_array_equal(residual == 1, r.mesh.residual)
    assert (colour[r.mesh.residual, 0] > 0.8).all() and (colour[~r.mesh.residual, 0] < 0.8).all()
    r.mesh.save(str(tmp_path / "again.glb"))
    assert open(tmp_path / "again.glb", "rb").read() == open(tmp_path / (stem + ".glb"), "rb").read()


def test_posture_is_the_results_trunk_lean(results):
    for r in results:
        assert r.posture == json.loads(r.to_json())["posture"]
        p = r.posture
        assert 0 <= p["trunk_lean_deg"] <= 180
        assert abs(p["trunk_toward_camera_deg"]) <= 180 and abs(p["trunk_sideways_deg"]) <= 180
        assert abs(np.linalg.norm(p["body_up_axis"]) - 1) < 1e-9
