"""``aufeat-bench run --json X --out X`` (a real command): refused before any work.

The run would fit everything, create the --out folder, write X.predictions.npz beside it,
then fail to put the JSON where the folder now is.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import aufeat

ENV = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}


@pytest.mark.parametrize(("out", "json", "says"), [
    ("res", "res", "it names the --out folder res,"),
    ("res/inner", "res", "it names a folder above --out res/inner,"),
    ("res", "./res/", "it names the --out folder res,"),
    ("res.predictions.npz", "res",
     "its predictions file res.predictions.npz names the --out folder res.predictions.npz,"),
])
def test_a_json_that_is_the_out_folder_or_above_it_is_refused(tmp_path, out, json, says):
    argv = ["--dataset", "synthetic:4x6", "--protocol", "group-kfold:2", "--features", "hog",
            "--classifiers", "linear-svm", "--n-jobs", "1", "--cache", str(tmp_path / "cache"),
            "--no-progress", "--out", out, "--json", json]
    done = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "run", *argv], env=ENV,
                          cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 2, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"aufeat-bench: error: --json {json}: ")
    assert says in lines[0]
    assert "choose another --json file name" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no folder, no cache, no npz
