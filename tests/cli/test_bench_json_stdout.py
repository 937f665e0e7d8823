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


# 6 people x 4 faces (not x10) where nothing counts the rows: these tests are about where
# the JSON and its predictions file go, which does not depend on the data's size
def _run_streamed(tmp_path, out, stdout):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "run", "--dataset",
                           "synthetic:6x4", "--protocol", "group-kfold:3", "--features", "hog",
                           "--classifiers", "linear-svm", "--no-progress", "--n-jobs", "1",
                           "--cache", str(tmp_path / "cache"), "--out", str(out),
                           "--json", "/dev/fd/1"],
                          stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=300)


@pytest.mark.slow
def test_a_stream_saved_into_out_by_its_reader_is_kept(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    tee = subprocess.Popen(["tee", str(out / "results.json")], stdin=subprocess.PIPE,
                           stdout=subprocess.DEVNULL)  # | tee OUT/results.json: made first
    try:
        proc = _run_streamed(tmp_path, out, tee.stdin)
    finally:
        tee.stdin.close()
        tee.wait(timeout=60)
    assert proc.returncode == 0, proc.stderr
    document = json.loads((out / "results.json").read_text())  # before: removed as old
    sidecar = out / document["predictions"]["file"]
    assert hashlib.sha256(sidecar.read_bytes()).hexdigest() == document["predictions"]["sha256"]


@pytest.mark.slow
def test_a_stream_reader_gone_costs_only_the_json(tmp_path):
    out = tmp_path / "out"
    read, write = os.pipe()
    os.close(read)  # the reader has gone before the JSON is written (jq ending on a typo)
    try:
        proc = _run_streamed(tmp_path, out, write)
    finally:
        os.close(write)
    assert proc.returncode == 0, proc.stderr  # as for | head: before, exit 2 and OUT empty
    assert "Traceback" not in proc.stderr
    assert {"results.csv", "report.md", "emotion-scores.png"} <= set(os.listdir(out))


@pytest.mark.slow
def test_a_stream_rerun_removes_the_earlier_runs_results_json(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "results.json").write_text('{"an": "earlier run"}')  # not a reader's new file
    proc = _run_streamed(tmp_path, out, subprocess.PIPE)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["task"] == "emotion"
    assert not (out / "results.json").exists()  # never beside the new predictions


@pytest.mark.slow
def test_a_pipe_named_out_results_json_is_written_into_not_removed(tmp_path):
    import threading

    out = tmp_path / "out"
    out.mkdir()
    fifo = out / "results.json"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()  # waits for the run to open the pipe
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "run", "--dataset",
                           "synthetic:6x4", "--protocol", "group-kfold:3", "--features", "hog",
                           "--classifiers", "linear-svm", "--no-progress", "--n-jobs", "1",
                           "--cache", str(tmp_path / "cache"), "--out", str(out),
                           "--json", str(fifo)], capture_output=True, text=True, timeout=300)
    reader.join(timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(got[0])["task"] == "emotion"  # before: removed, then a regular file
    assert not fifo.is_file()
