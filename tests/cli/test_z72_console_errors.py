"""Standard output or error that fails (a full disk), and ``predict --out -`` with it closed.

A console stream whose writes fail stops printing: the files are still written, one line
says what failed, and the exit status is nonzero. ``predict --out -`` with standard
output never open is one line, exit 2.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

import aufeat
from aufeat.cli.main import main
from tests.cache.conftest import write_pngs

_ENV = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}  # this aufeat


def _extract(tmp_path, images, out, features="hog"):
    return ["extract", "--dataset", f"folder:{images}", "--features", features, "--cache",
            str(tmp_path / "cache"), "--no-progress", "--out-dir", str(out)]


def _run_full(argv, *, stdout=None, stderr=None, cwd=None):
    """Run ``aufeat`` with standard output (or error) on ``/dev/full`` (every write fails)."""
    with open(os.devnull if stdout is None else "/dev/full", "w") as out, \
            open("/dev/full", "w") if stderr == "full" else open(os.devnull, "w") as err:
        return subprocess.run([sys.executable, "-m", "aufeat.cli.main", *argv], cwd=cwd,
                              env=_ENV, stdout=out if stdout else subprocess.PIPE,
                              stderr=err if stderr == "full" else subprocess.PIPE, text=True,
                              timeout=600)


def test_extract_with_stdout_on_a_full_disk_writes_its_files_and_says_so(tmp_path):
    write_pngs(tmp_path / "imgs", 3)
    out = tmp_path / "out"
    run = _run_full(_extract(tmp_path, tmp_path / "imgs", out, "hog,lbp"), stdout="full")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.count("\n") == 1, run.stderr
    assert "could not write to standard output ([Errno 28]" in run.stderr
    assert {p.name for p in out.iterdir()} == {".aufeat-extract", "hog.npy", "lbp.npy",
                                               "rows.csv"}
    assert np.load(out / "lbp.npy").shape[0] == 3


def test_cache_info_with_stdout_on_a_full_disk_is_one_line(tmp_path):
    write_pngs(tmp_path / "imgs", 2)
    assert main(_extract(tmp_path, tmp_path / "imgs", tmp_path / "out")) == 0
    run = _run_full(["cache", "info", str(tmp_path / "cache")], stdout="full")
    assert run.returncode == 1
    assert run.stderr.startswith("aufeat cache: error: could not write to standard output")
    assert run.stderr.count("\n") == 1


def test_predict_with_stderr_on_a_full_disk_writes_its_csv(tmp_path, emotion_model):
    images = sorted(emotion_model["images"].glob("*.png"))[:2]
    csv = tmp_path / "p.csv"
    run = _run_full(["predict", str(emotion_model["model"]), *map(str, images), "--out",
                     str(csv), "--crops"], stderr="full")
    assert run.returncode == 1  # what it wrote to stderr is lost; the status says so
    assert len(csv.read_text().splitlines()) == 3


def test_predict_to_a_closed_stdout_is_one_line_exit_2(tmp_path, emotion_model):
    image = sorted(emotion_model["images"].glob("*.png"))[0]
    argv = [sys.executable, "-m", "aufeat.cli.main", "predict", str(emotion_model["model"]),
            str(image), "--out", "-", "--crops", "--quiet"]
    run = subprocess.run(["sh", "-c", 'exec "$0" "$@" >&-', *argv], env=_ENV,
                         stderr=subprocess.PIPE, text=True, timeout=600)
    assert run.returncode == 2
    assert run.stderr == ("aufeat predict: error: --out -: standard output is closed, the "
                          "rows would be lost; give --out FILE.csv, or run it with standard "
                          "output open\n")



def test_bench_with_stdout_on_a_full_disk_writes_its_json_and_fails(tmp_path):
    json_out = tmp_path / "speed.json"
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "speed", "--quick",
                              "--families", "lbp", "--json", str(json_out)], env=_ENV,
                             stdout=full, stderr=subprocess.PIPE, text=True, timeout=600)
    assert run.returncode == 1  # the table is lost: not a success
    assert run.stderr.startswith("aufeat-bench speed: error: could not write to standard output")
    assert run.stderr.count("\n") == 1
    assert json_out.stat().st_size > 0  # its file is written all the same
