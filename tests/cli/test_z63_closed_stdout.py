"""aufeat-bench with its standard output closed by the reader (``| head``): the command
goes on, writes its files and exits 0, without a traceback or an "error"."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import aufeat
from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation import evaluate
from aufeat.evaluation.results import write_results_json
from aufeat.features.geometry import extract_geometry


def _closed_reader(args, tmp_path):
    """Run aufeat-bench with stdout a pipe whose reader is gone before anything is printed."""
    env = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}  # this aufeat
    proc = subprocess.Popen([sys.executable, "-m", "aufeat.cli.bench", *args], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # as head does once it has its lines
    stderr = proc.stderr.read()
    return proc.wait(timeout=600), stderr


def test_run_writes_its_outputs_when_stdout_is_closed(tmp_path):
    status, stderr = _closed_reader(
        ["run", "--dataset", "synthetic:4x8", "--features", "hog", "--classifiers", "nb",
         "--protocol", "group-kfold:2", "--out", "out", "--cache", "cache", "--n-jobs", "1",
         "--no-progress"], tmp_path)
    assert status == 0, stderr
    assert "Traceback" not in stderr
    assert "error" not in stderr
    assert {"results.json", "results.csv", "report.md"} <= {
        p.name for p in (tmp_path / "out").iterdir()}


def test_compare_exits_quietly_when_stdout_is_closed(tmp_path):
    data = make_synthetic_faces(n_subjects=4, n_per_subject=6, random_state=0)
    result = evaluate(data, extract_geometry(data.meta["landmarks"]), model="nb",
                      protocol="group-kfold:2", n_bootstrap=0, keep_predictions=True)
    path = write_results_json(tmp_path / "a.json", [result])
    status, stderr = _closed_reader(["compare", str(path), str(path)], tmp_path)
    assert (status, stderr) == (0, "")


@pytest.mark.slow
def test_speed_writes_its_json_when_stdout_is_closed(tmp_path):
    status, stderr = _closed_reader(["speed", "--quick", "--families", "lbp", "--json",
                                     "speed.json"], tmp_path)
    assert status == 0, stderr
    assert "Traceback" not in stderr
    assert json.loads((tmp_path / "speed.json").read_text())["results"]
