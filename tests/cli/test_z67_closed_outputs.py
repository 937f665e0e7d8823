"""``aufeat`` and ``aufeat-bench`` with a standard output (or error) that is closed.

Two ways: the reader of a pipe has gone (``| head``, ``2>&1 | head``), and the
descriptor was never open (``>&-``: Python's ``sys.stdout`` is None). Either way
the command goes on, writes its files and exits with its own status, quietly.
"""

import os
import subprocess
import sys
from pathlib import Path

import aufeat
from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation import evaluate
from aufeat.evaluation.results import write_results_json
from aufeat.features.geometry import extract_geometry

_ENV = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}  # this aufeat
_RUN = ["run", "--dataset", "synthetic:4x8", "--features", "hog", "--classifiers", "nb",
        "--protocol", "group-kfold:2", "--out", "out", "--cache", "cache", "--n-jobs", "1"]
_EXTRACT = ["extract", "--dataset", "synthetic:3x4", "--features", "hog", "--cache", "cache",
            "--n-jobs", "1", "--out-dir", "feats"]


def _command(module, args):
    return [sys.executable, "-m", f"aufeat.cli.{module}", *args]


def _reader_gone(module, args, tmp_path, both=False):
    """Run with stdout (``both``: and stderr) a pipe whose reader has gone before any output.

    Returns the exit status and, unless ``both``, what was written to stderr.
    """
    proc = subprocess.Popen(_command(module, args), cwd=tmp_path, env=_ENV,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT if both else subprocess.PIPE, text=True)
    proc.stdout.close()  # as head does once it has its lines
    stderr = "" if both else proc.stderr.read()
    return proc.wait(timeout=600), stderr


def _stdout_never_open(module, args, tmp_path):
    """Run with no standard output at all (the shell's ``>&-``): ``sys.stdout`` is None."""
    proc = subprocess.run(["sh", "-c", 'exec "$0" "$@" >&-', *_command(module, args)],
                          cwd=tmp_path, env=_ENV, stderr=subprocess.PIPE, text=True, timeout=600)
    return proc.returncode, proc.stderr


def _results_file(tmp_path):
    data = make_synthetic_faces(n_subjects=4, n_per_subject=6, random_state=0)
    result = evaluate(data, extract_geometry(data.meta["landmarks"]), model="nb",
                      protocol="group-kfold:2", n_bootstrap=0, keep_predictions=True)
    return str(write_results_json(tmp_path / "a.json", [result]))


def _names(folder):
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def test_bench_run_without_stdout_writes_its_outputs(tmp_path):
    status, stderr = _stdout_never_open("bench", [*_RUN, "--no-progress"], tmp_path)
    assert status == 0, stderr
    assert "Traceback" not in stderr
    assert {"results.json", "results.csv", "report.md"} <= _names(tmp_path / "out")


def test_bench_compare_without_stdout_exits_0(tmp_path):
    path = _results_file(tmp_path)
    assert _stdout_never_open("bench", ["compare", path, path], tmp_path) == (0, "")


def test_bench_run_with_stdout_and_stderr_into_a_closed_pipe_writes_its_outputs(tmp_path):
    # 2>&1 | head: the progress bars (on stderr) meet the closed pipe first
    status, _ = _reader_gone("bench", _RUN, tmp_path, both=True)
    assert status == 0
    assert {"results.json", "results.csv", "report.md"} <= _names(tmp_path / "out")


def test_extract_into_a_closed_pipe_writes_its_out_dir(tmp_path):
    status, stderr = _reader_gone("main", [*_EXTRACT, "--no-progress"], tmp_path)
    assert (status, stderr) == (0, "")
    assert {"hog.npy", "rows.csv"} <= _names(tmp_path / "feats")


def test_extract_with_stdout_and_stderr_into_a_closed_pipe_writes_its_out_dir(tmp_path):
    status, _ = _reader_gone("main", _EXTRACT, tmp_path, both=True)
    assert status == 0
    assert {"hog.npy", "rows.csv"} <= _names(tmp_path / "feats")


def test_extract_without_stdout_writes_its_out_dir(tmp_path):
    status, stderr = _stdout_never_open("main", [*_EXTRACT, "--no-progress"], tmp_path)
    assert (status, stderr) == (0, "")
    assert {"hog.npy", "rows.csv"} <= _names(tmp_path / "feats")


def test_cache_info_into_a_closed_pipe_exits_quietly(tmp_path):
    subprocess.run(_command("main", [*_EXTRACT, "--no-progress"]), cwd=tmp_path, env=_ENV,
                   check=True, capture_output=True)
    assert _reader_gone("main", ["cache", "info", "cache"], tmp_path) == (0, "")
