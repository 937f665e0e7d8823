"""``aufeat-bench ... --json /dev/stdout | jq``: the pipe gets the JSON alone.

The command's own lines (table, "wrote ...") go to standard error then, and the
predictions file of a --json that is a pipe goes into --out: a stream has no folder
of its own (``/dev/stdout.predictions.npz`` would be a file in /dev). The run test
names ``/dev/fd/1``, never ``/dev/stdout``, so that code without the fix cannot write
into the real /dev.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import numpy as np
import pytest


@pytest.mark.slow
def test_speed_json_to_stdout_is_the_only_thing_on_stdout():
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "speed", "--quick",
                           "--families", "hog", "--json", "/dev/stdout"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)["results"]  # before: the table, then the JSON
    assert {r["family"] for r in rows} == {"hog"}
    assert "images/s" in proc.stderr
    assert "wrote /dev/stdout" in proc.stderr


@pytest.mark.slow
def test_run_json_to_a_stream_puts_its_predictions_in_out(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "run", "--dataset",
                           "synthetic:6x10", "--protocol", "group-kfold:3", "--features", "hog",
                           "--classifiers", "linear-svm", "--no-progress",
                           "--cache", str(tmp_path / "cache"), "--out", str(out),
                           "--json", "/dev/fd/1"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)
    assert document["task"] == "emotion"
    sidecar = out / document["predictions"]["file"]
    assert sidecar == out / "results.predictions.npz"
    data = sidecar.read_bytes()
    assert hashlib.sha256(data).hexdigest() == document["predictions"]["sha256"]
    with np.load(sidecar, allow_pickle=False) as arrays:
        assert len(arrays["0.y_true"]) == document["n_samples"] == 60
    assert "wrote 6 files to" in proc.stderr
    assert ", and /dev/fd/1 in" in proc.stderr
    assert "emotion-scores.png" in os.listdir(out)


def test_a_pipe_json_has_no_predictions_file_beside_it(tmp_path):
    from aufeat.cli._bench_report import json_outputs

    fifo, plain = tmp_path / "pipe", tmp_path / "r.json"
    os.mkfifo(fifo)
    assert json_outputs(str(fifo)) == [str(fifo)]
    assert [str(p) for p in json_outputs(str(plain))] == [str(plain),
                                                          str(tmp_path / "r.predictions.npz")]
    assert json_outputs(None) == []
