"""Shared fixtures of the resihmr Python tests.

They run from the repository root (as ctest runs them) with the built module
on PYTHONPATH; RESIHMR_EXE names the built `resihmr` command line, against
which the module's results are compared. Data from ../shared/data is
required where a test uses it: a missing file fails the test.
"""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import resihmr

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.path.join(ROOT, "..", "shared", "data")
sys.path.insert(0, os.path.join(ROOT, "tests", "apps"))  # pose_reference_test: the NumPy forward pass


def shared(path):
    full = os.path.join(SHARED, path)
    if not os.path.exists(full):
        pytest.fail(f"missing test data {full} (../shared/data beside the repository)")
    return full


@pytest.fixture(scope="session")
def exe():
    path = os.environ.get("RESIHMR_EXE", os.path.join(ROOT, "build", "apps", "resihmr"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"the resihmr command line is not built at {path} (set RESIHMR_EXE)")
    return path


def run(exe, *args):
    done = subprocess.run([exe, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"resihmr {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done.stdout


@pytest.fixture(scope="session")
def model():
    return resihmr.BodyModel.embedded()


@pytest.fixture(scope="session")
def synth_dir(tmp_path_factory, exe):
    """Six synthetic people, every one with residual limbs, made by the command line."""
    out = str(tmp_path_factory.mktemp("synth") / "data")
    run(exe, "synth", "--n", "6", "--seed", "5", "--amputee-fraction", "1", "--out", out)
    return out


def without_times(text):
    """A result JSON with its wall-clock times removed (they differ between any two runs)."""
    j = json.loads(text)
    j.pop("time_ms", None)
    for stage in j.get("stages", []):
        stage.pop("time_ms", None)
    return j


def read_binary_ply_vertices(path):
    raw = open(path, "rb").read()
    end = raw.index(b"end_header\n") + len(b"end_header\n")
    header = raw[:end].decode()
    n = int(header.split("element vertex ")[1].split()[0])
    dtype = np.dtype([("xyz", "<f4", 3), ("rgb", "u1", 3), ("residual", "<i4")])
    return np.frombuffer(raw, dtype=dtype, count=n, offset=end)
