"""Without person ids (every image its own subject), intervals resample images, not people:
report.md and ``aufeat-bench compare`` say so for a plain run as for a ``cross`` one."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import aufeat
from aufeat.cli._bench_report import write_outputs
from aufeat.datasets import FaceDataset
from aufeat.evaluation import evaluate
from aufeat.evaluation.results import write_results_json
from aufeat.exceptions import AufeatWarning


def _evaluated(subjects):
    n = len(subjects)
    emotion = np.array(["happy", "sad"] * (n // 2))
    X = np.random.default_rng(0).normal(size=(n, 5))
    X[:, 0] += (emotion == "happy") * 2
    data = FaceDataset(images=np.zeros((n, 4, 4), np.uint8), subject=subjects, emotion=emotion,
                       name="t")
    return evaluate(data, X, model="logreg", protocol="group-kfold:3", features_name="f",
                    keep_predictions=True, n_bootstrap=50)


def _compared(path):
    env = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}  # this aufeat
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "compare", path, path],
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_a_plain_run_without_person_ids_resamples_images(tmp_path):
    with pytest.warns(AufeatWarning, match="has its own subject id"):
        result = _evaluated([f"image{i}.png" for i in range(30)])
    write_outputs([("emotion", [result])], tmp_path / "out")
    report = (tmp_path / "out" / "report.md").read_text()
    assert "resamples of the tested images (no person ids" in report
    assert "tested people" not in report
    shown = _compared(str(write_results_json(tmp_path / "r.json", [result])))
    assert "30 images tested in both (no person ids)" in shown
    assert "people" not in shown


def test_a_run_with_person_ids_resamples_people(tmp_path):
    result = _evaluated([f"s{i % 6}" for i in range(30)])
    write_outputs([("emotion", [result])], tmp_path / "out")
    assert "resamples of the tested people" in (tmp_path / "out" / "report.md").read_text()
    shown = _compared(str(write_results_json(tmp_path / "r.json", [result])))
    assert "6 people tested in both" in shown
