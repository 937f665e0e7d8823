"""aufeat-bench compare on crafted results files: one line, never a traceback."""

import hashlib
import io
import json
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation.results import read_results, write_results_json
from aufeat.evaluation.runner import evaluate
from aufeat.features.geometry import extract_geometry


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    ds = make_synthetic_faces(n_subjects=4, n_per_subject=6, random_state=0)
    result = evaluate(ds, extract_geometry(ds.meta["landmarks"]), model="logreg",
                      protocol="group-kfold:2", n_bootstrap=0, keep_predictions=True)
    return write_results_json(tmp_path_factory.mktemp("res") / "a.json", [result])


def _compare(a, b):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "compare", str(a), str(b)],
                          capture_output=True, text=True, timeout=300)


def _write(folder, name, document, npz=None):
    document = json.loads(json.dumps(document))
    if npz is not None:
        (folder / f"{name}.predictions.npz").write_bytes(npz)
        document["predictions"] = {"file": f"{name}.predictions.npz",
                                   "sha256": hashlib.sha256(npz).hexdigest()}
    path = folder / f"{name}.json"
    path.write_text(json.dumps(document))
    return path


def test_headline_metric_object_is_refused(results):
    document = json.loads(results.read_text())
    document.pop("predictions", None)
    document["results"][0]["metrics"]["accuracy"] = {"value": 0.9}
    crafted = _write(results.parent, "metric_dict", document)
    with pytest.raises(ValueError, match="'accuracy' is an object, not a number or null"):
        read_results(crafted)
    run = _compare(results, crafted)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert "'accuracy' is an object" in run.stderr


def test_npz_declaring_a_huge_array_is_refused(results):
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (2**40,)})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("0.y_true.npy", header.getvalue())
    crafted = _write(results.parent, "huge", json.loads(results.read_text()),
                     buffer.getvalue())
    with pytest.raises(ValueError, match=r"declares a .* array"):
        read_results(crafted)
    run = _compare(results, crafted)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "no paired interval" in run.stdout
    assert "declares a" in run.stdout


def test_genuine_predictions_still_read(results):
    back = read_results(results)[0]
    assert len(back.predictions["y_pred"]) == 24
    run = _compare(results, results)
    assert run.returncode == 0, run.stderr
    assert "B-A 95% CI" in run.stdout
