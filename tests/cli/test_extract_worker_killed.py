"""``aufeat extract --n-jobs 2`` when a worker process is killed (out of memory, kill -9)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cache.conftest import write_pngs
from tests.cli.interrupt import children

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def _loky_workers(pid: int) -> list[int]:
    """The loky worker processes whose parent is ``pid`` (not its resource tracker)."""
    return children(pid, b"LokyProcess")


def test_a_killed_worker_ends_in_one_line(tmp_path):
    write_pngs(tmp_path / "images", 400, size=96)
    cmd = [sys.executable, "-m", "aufeat.cli.main", "extract", "--dataset",
           f"folder:{tmp_path / 'images'}", "--features", "gabor", "--cache",
           str(tmp_path / "cache"), "--n-jobs", "2", "--chunk-size", "4", "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (workers := _loky_workers(proc.pid)) and proc.poll() is None:
            assert time.monotonic() < deadline, "no loky worker started"
            time.sleep(0.05)
        assert workers, "the command ended before a worker could be killed"
        time.sleep(0.5)  # a worker part-way through its chunks
        os.kill(workers[0], signal.SIGKILL)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:  # pragma: no cover - only when the test failed
            proc.kill()
            proc.communicate()
    assert proc.returncode == 1, err
    assert err.strip().splitlines() == [
        "aufeat extract: a worker process was killed (possibly out of memory); finished "
        "results are kept, and rerunning the same command (perhaps with --n-jobs 1, which "
        "needs less memory) resumes"], err
    assert "Traceback" not in out + err
