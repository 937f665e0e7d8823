"""AU-intensity results name the regressor fitted, and the bench fits each regressor once.

For ``au-intensity`` a classifier name stands for a regressor (``logreg`` -> ``ridge``,
``linear-svm`` -> ``linear-svr``), but the result kept the name asked for:
``aufeat-bench`` reported LinearSVR rows as "linear-svm", and ``--classifiers
linear-svm,linear-svr,logreg,ridge`` fitted two models twice and ranked the copies as four
rows, while ``aufeat train`` recorded the regressor's name.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import aufeat
from aufeat.evaluation.runner import REGRESSOR_FOR

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def small():
    data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=5, size=48)
    return data, aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))


@pytest.mark.parametrize("name", ["logreg", "linear-svm", "ridge"])
def test_an_intensity_result_names_its_regressor(small, name):
    data, X = small
    result = aufeat.evaluate(data, X, model=name, task="au-intensity",
                             protocol="group-kfold:2", n_bootstrap=0)
    assert result.classifier == REGRESSOR_FOR[name]
    emotion = aufeat.evaluate(data, X, model="linear-svm", protocol="group-kfold:2",
                              n_bootstrap=0)
    assert emotion.classifier == "linear-svm"  # a classifier task keeps its name


def test_the_bench_runs_each_intensity_regressor_once_and_says_so(tmp_path):
    out = tmp_path / "o"
    argv = [sys.executable, "-m", "aufeat.cli.bench", "run", "--task", "au-intensity",
            "--dataset", "synthetic:4x5", "--features", "hog", "--classifiers",
            "linear-svm,linear-svr,logreg,ridge", "--protocol", "group-kfold:2",
            "--n-jobs", "1", "--no-progress", "--cache", str(tmp_path / "c"), "--out", str(out)]
    run = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    rows = json.loads((out / "results.json").read_text())["results"]
    assert sorted(r["classifier"] for r in rows) == ["linear-svr", "ridge"]
    note = ("au-intensity: linear-svm and linear-svr are both linear-svr; logreg and ridge are "
            "both ridge (the regressor a classifier name stands for): each regressor is run "
            "once, under its own name.")
    assert run.stdout.count(note) == 1
    assert run.stdout.index(note) < run.stdout.index("aligned")  # said before the long part
    assert note in (out / "report.md").read_text()
