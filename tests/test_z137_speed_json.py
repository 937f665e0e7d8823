"""Z137 F4: ``aufeat-bench speed --json`` says how each side was timed and with what software.

Each row names the images and dtype the reference was timed on (it is not aufeat's
batch); the payload names the versions and how the rates were measured. The real CLI,
in a subprocess, on the quick LBP cases.
"""

import json
import platform
import subprocess
import sys

import numpy as np
import pytest
import skimage

import aufeat


@pytest.fixture(scope="module")
def payload(tmp_path_factory):
    target = tmp_path_factory.mktemp("speed") / "speed.json"
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "speed", "--quick",
                           "--families", "lbp", "--json", str(target)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(target.read_text())


def test_payload_names_the_software_and_the_timing(payload):
    assert payload["python"] == platform.python_version()
    assert payload["aufeat"] == aufeat.__version__
    assert payload["numpy"] == np.__version__
    assert payload["skimage"] == skimage.__version__
    assert "opencv" in payload  # None where the run never imported OpenCV
    assert payload["opencv"] is None or isinstance(payload["opencv"], str)
    assert "best of" in payload["timing"]
    assert "images/s" in payload["timing"]


def test_each_row_names_what_the_reference_was_timed_on(payload):
    rows = payload["results"]
    timed = [r for r in rows if r["reference"] != "-"]
    assert len(timed) == 4  # the four sizes
    for row in timed:
        assert 1 <= row["reference_n_images"] <= 4  # --quick: at most 4 reference images
        assert row["reference_n_images"] <= row["n_images"]
        assert row["dtype"] == "float64"
        assert row["reference_dtype"] == "float64"
    assert any(r["reference_n_images"] < r["n_images"] for r in timed)  # not aufeat's batch
    single = [r for r in rows if r["reference"] == "-"]
    assert single
    assert all(r["reference_n_images"] == 0 for r in single)
    assert all(r["reference_dtype"] is None for r in single)
