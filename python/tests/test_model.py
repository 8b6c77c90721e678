"""resihmr.BodyModel: loading, topology, names, and posing against an
independent NumPy forward pass written from the published order."""
import json
import os

import numpy as np
import pytest

import resihmr
from conftest import run, shared
from pose_reference_test import reference


def test_embedded_model_has_smpl_layout(model):
    assert model.kind == "smpl"
    assert model.source == "embedded"
    assert model.num_joints == 24 and len(model.joint_names) == 24 and model.joint_names[0] == "pelvis"
    assert model.faces.dtype == np.int32 and model.faces.shape[1] == 3
    assert model.faces.min() == 0 and model.faces.max() == model.num_vertices - 1
    assert model.v_template.shape == (model.num_vertices, 3)
    assert model.parents[0] == -1 and all(0 <= p < j for j, p in enumerate(model.parents) if j)


def test_pose_returns_float64_vertices_and_joints(model):
    vertices, joints = model.pose()
    assert vertices.shape == (model.num_vertices, 3) and vertices.dtype == np.float64
    assert joints.shape == (24, 3) and joints.dtype == np.float64
    np.testing.assert_allclose(vertices, model.v_template, atol=1e-12)  # the rest pose


def test_pose_matches_numpy_reference(tmp_path, exe):
    path = str(tmp_path / "model.npz")
    run(exe, "make-model", "--out", path)
    m = dict(np.load(path))
    model = resihmr.BodyModel.load(path)
    rng = np.random.default_rng(3)
    for _ in range(3):
        params = {"betas": rng.normal(size=10), "pose": rng.normal(size=(24, 3)) * 0.5,
                  "transl": np.array([0.1, -0.2, 3.0]), "zeroed_joints": [5, 18]}
        vertices, joints = model.pose(betas=params["betas"], pose=params["pose"], transl=params["transl"],
                                      zeroed_joints=["right_knee", 18])
        ref_vertices, ref_joints = reference(m, params, "smpl")
        np.testing.assert_allclose(vertices, ref_vertices, atol=1e-6)
        np.testing.assert_allclose(joints, ref_joints, atol=1e-6)
        flat, _ = model.pose(betas=params["betas"], pose=params["pose"].reshape(-1), transl=params["transl"],
                             zeroed_joints=[5, 18])
        np.testing.assert_array_equal(flat, vertices)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"pose": np.zeros((23, 3))}, "pose: expected 24 x 3"),
    ({"betas": np.full(3, np.nan)}, "not finite"),
    ({"transl": np.zeros(2)}, "transl"),
    ({"zeroed_joints": ["no_such_joint"]}, "no joint 'no_such_joint'"),
    ({"betas": np.full(10, 50.0)}, "betas"),
])
def test_pose_rejects_bad_parameters(model, kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        model.pose(**kwargs)


def test_load_names_the_file(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(resihmr.Error, match="bad.npz"):
        resihmr.BodyModel.load(str(bad))
    assert issubclass(resihmr.Error, ValueError)


def test_keypoint_layouts():
    layouts = resihmr.keypoint_layouts()
    assert set(layouts) == {"coco17", "ldpose25", "body25"}
    assert len(layouts["coco17"]) == 17 and len(layouts["ldpose25"]) == 25 and len(layouts["body25"]) == 25
    assert layouts["ldpose25"][:17] == layouts["coco17"]


def test_makehuman_body_for_a_stature_and_mass(tmp_path, exe):
    """import_makehuman writes the model and its phenotype map as make-model
    does; phenotype_body meets a stature and a mass, gives the command line's
    betas, and refuses a bad map naming its key and a stature out of reach."""
    out = str(tmp_path / "mh.npz")
    mh = resihmr.import_makehuman(os.path.dirname(shared("makehuman/base.obj")), out)
    assert mh.num_vertices == 13380 and mh.num_betas == 10 and mh.source == out
    assert os.path.exists(str(tmp_path / "mh.phenotype.json"))
    body = resihmr.phenotype_body(mh, stature_m=1.75, mass_kg=68, gender=0.2)
    assert abs(body["stature_m"] - 1.75) < 1e-3 and abs(body["mass_kg"] - 68) < 0.1
    assert body["phenotype"]["gender"] == 0.2 and len(body["betas"]) == 10
    vertices, _ = mh.pose(betas=np.array(body["betas"]))
    assert abs(np.ptp(vertices[:, 1]) - 1.75) < 1e-3  # the posed rest body is that tall
    params = str(tmp_path / "params.json")
    run(exe, "phenotype", "--model", out, "--stature-m", "1.75", "--mass-kg", "68", "--gender", "0.2", "--out", params)
    np.testing.assert_allclose(json.load(open(params))["betas"], body["betas"], atol=1e-9)
    bad = tmp_path / "bad.phenotype.json"
    m = json.load(open(tmp_path / "mh.phenotype.json"))
    del m["sampled_range"]
    bad.write_text(json.dumps(m))
    with pytest.raises(resihmr.Error, match="bad.phenotype.json: missing key 'sampled_range'"):
        resihmr.phenotype_body(mh, phenotype_map=str(bad), stature_m=1.7)
    with pytest.raises(resihmr.Error, match="out of this model's reach"):
        resihmr.phenotype_body(mh, stature_m=2.45)
