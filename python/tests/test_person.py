"""resihmr.read_keypoints and resihmr.Person.from_arrays."""
import json
import os

import numpy as np
import pytest

import resihmr
from conftest import shared


def test_read_coco_sample():
    persons = resihmr.read_keypoints(shared("coco-val2017-sample/test_coco.json"))
    assert len(persons) == 14
    p = persons[0]
    assert p.layout == "coco17" and p.keypoints.shape == (17, 3)
    assert set(np.unique(p.keypoints[:, 2])) <= {0.0, 1.0, 2.0}
    w, h = p.image_size
    assert p.mask is not None and p.mask.shape == (h, w) and p.mask.dtype == np.uint8
    assert set(p.limb_states) == {"left_arm", "right_arm", "left_leg", "right_leg"}


def test_from_arrays_reproduces_a_read_person(synth_dir):
    read = resihmr.read_keypoints(os.path.join(synth_dir, "keypoints.json"))[0]
    built = resihmr.Person.from_arrays(read.keypoints, layout="ldpose25", image_size=read.image_size, mask=read.mask,
                                       image=read.image, annotation_id=read.annotation_id)
    np.testing.assert_array_equal(built.keypoints, read.keypoints)
    np.testing.assert_array_equal(built.mask, read.mask)
    assert built.limb_states == read.limb_states
    assert any(state != "intact" for state in built.limb_states.values())  # every synthetic person here lost a limb


@pytest.mark.parametrize("change, fragment", [
    (lambda k: k[:20], "keypoints has 20 rows"),
    (lambda k: np.where(np.arange(25)[:, None] == 3, 3.0, k), r"keypoints\[3\] \(left_ear\): visibility 3"),
    (lambda k: np.where(np.arange(25)[:, None] == 0, np.nan, k), r"keypoints\[0\] \(nose\)"),
    (lambda k: k * 1e8, "within"),
])
def test_from_arrays_rejects_bad_keypoints(change, fragment):
    keypoints = np.tile([100.0, 200.0, 2.0], (25, 1))
    with pytest.raises(ValueError, match=fragment):
        resihmr.Person.from_arrays(change(keypoints), layout="ldpose25", image_size=(640, 480))


def test_from_arrays_rejects_bad_image_and_mask():
    keypoints = np.tile([100.0, 200.0, 2.0], (17, 1))
    with pytest.raises(ValueError, match="plausible image size"):
        resihmr.Person.from_arrays(keypoints, layout="coco17", image_size=(0, 480))
    with pytest.raises(ValueError, match="mask is 10x10"):
        resihmr.Person.from_arrays(keypoints, layout="coco17", image_size=(640, 480), mask=np.ones((10, 10), np.uint8))
    with pytest.raises(ValueError, match="layout 'coco18' is unknown"):
        resihmr.Person.from_arrays(keypoints, layout="coco18", image_size=(640, 480))


def test_read_keypoints_errors_name_the_file(tmp_path):
    with pytest.raises(resihmr.Error, match="missing.json"):
        resihmr.read_keypoints(str(tmp_path / "missing.json"))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"images": [], "annotations": [{"id": 1, "image_id": 9, "keypoints": [1, 2]}]}))
    with pytest.warns(RuntimeWarning, match="bad.json"):
        assert resihmr.read_keypoints(str(bad)) == []


def test_masks_from_a_folder_are_those_of_the_file(synth_dir):
    from_json = resihmr.read_keypoints(os.path.join(synth_dir, "keypoints.json"))
    # synth's masks/<image stem>.png: the only person of each image, binary: the
    # exact silhouette, of which the file's input mask is a dilated, ragged copy.
    from_files = resihmr.read_keypoints(os.path.join(synth_dir, "keypoints.json"), masks=os.path.join(synth_dir, "masks"))
    assert len(from_files) == len(from_json)
    for a, b in zip(from_json, from_files):
        exact, given = b.mask.astype(bool), a.mask.astype(bool)
        assert (exact & given).sum() > 0.9 * exact.sum()
        assert (exact & given).sum() / (exact | given).sum() > 0.4  # up to 15 px wider all round


def test_a_missing_mask_file_is_a_warning_or_strict_error(tmp_path, synth_dir):
    keypoints = os.path.join(synth_dir, "keypoints.json")
    persons = resihmr.read_keypoints(keypoints, masks=str(tmp_path))
    assert all(p.mask is not None for p in persons)  # the segmentation in the file is used instead
    assert "no mask file" in persons[0].warnings[-1] and "annotation 0" in persons[0].warnings[-1]
    with pytest.raises(resihmr.Error, match="no mask file"):
        resihmr.read_keypoints(keypoints, masks=str(tmp_path), strict=True)
