"""A pipe or a link where a run's lock file goes is refused in one line, before any work.

``OUT/.aufeat-crop.lock`` as a named pipe hung ``aufeat crop`` for ever (reading the PID
of the run holding it); as a dangling link it gave a bare "[Errno 40] Too many levels of
symbolic links"; ``OUT/.aufeat-bench.lock`` so failed only after all the work, with a
traceback. Real pipes and links, real subprocesses.
"""

import os
import subprocess
import sys

import cv2
import numpy as np
import pytest


def _aufeat(module, *args, cwd):
    return subprocess.run([sys.executable, "-m", f"aufeat.cli.{module}", *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


def _plant(path, kind):
    if kind == "pipe":
        os.mkfifo(path)
    else:
        os.symlink("/nonexistent-aufeat-lock", path)
    return ("is not a file aufeat made (a pipe or a device): remove it, then run again"
            if kind == "pipe" else "is a link, not a lock file aufeat made: remove it, then "
            "run again")


@pytest.mark.parametrize("kind", ["pipe", "link"])
def test_crop_refuses_a_lock_file_that_is_a_pipe_or_a_link(kind, tmp_path):
    cv2.imwrite(str(tmp_path / "a.png"), np.full((64, 64), 90, np.uint8))
    (tmp_path / "out").mkdir()
    said = _plant(tmp_path / "out" / ".aufeat-crop.lock", kind)
    proc = _aufeat("main", "crop", "a.png", "--out", "out", "--quiet", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == f"aufeat crop: error: out/.aufeat-crop.lock {said}\n"


@pytest.mark.parametrize("kind", ["pipe", "link"])
def test_bench_refuses_a_lock_file_that_is_a_pipe_or_a_link_before_the_work(kind, tmp_path):
    (tmp_path / "out").mkdir()
    said = _plant(tmp_path / "out" / ".aufeat-bench.lock", kind)
    proc = _aufeat("bench", "run", "--dataset", "synthetic:5x4", "--features", "hog",
                   "--classifiers", "linear-svm", "--no-align", "--cache", "cache", "--out",
                   "out", "--no-progress", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == f"aufeat-bench: error: out/.aufeat-bench.lock {said}"
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "cache").exists()  # refused before any feature was computed
