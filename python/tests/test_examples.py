"""The worked example of docs/python.md runs, and the page shows it as it is."""
import os
import re
import sys

import numpy as np

from conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, "python", "examples"))
import worked_example  # noqa: E402


def test_worked_example_runs_and_its_forward_pass_agrees(tmp_path, synth_dir, capsys):
    vertices, again = worked_example.main(os.path.join(synth_dir, "keypoints.json"), str(tmp_path))
    np.testing.assert_allclose(vertices, again, atol=1e-9)
    printed = capsys.readouterr().out
    assert "stump volume" in printed and "largest difference" in printed
    assert os.path.exists(tmp_path / "person.ply") and os.path.exists(tmp_path / "model.npz")


def test_docs_show_the_example_as_it_is():
    page = open(os.path.join(ROOT, "docs", "python.md")).read()
    blocks = re.findall(r"```python\n(.*?)```", page, re.S)
    source = open(os.path.join(ROOT, "python", "examples", "worked_example.py")).read()
    assert source in blocks, "docs/python.md must show python/examples/worked_example.py verbatim"
