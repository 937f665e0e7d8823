"""SIGTERM (``timeout``, a batch scheduler, ``docker stop``) ends a run as Ctrl-C does.

Its default action killed the main process alone: loky's workers went on computing,
writing shards and holding the caller's output pipes open for minutes.
"""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.cache.conftest import write_pngs
from tests.cli.interrupt import alive as _alive
from tests.cli.interrupt import default_sigterm
from tests.cli.test_extract_worker_killed import _loky_workers, pytestmark  # noqa: F401


@pytest.mark.parametrize("command", ["extract", "bench"])
def test_sigterm_stops_the_workers_and_ends_in_one_line(command, tmp_path):
    for seed, label in enumerate(("happy", "sad")):  # label folders, as the bench needs
        write_pngs(tmp_path / "images" / label, 150, size=96, seed=seed)
    data = f"folder:{tmp_path / 'images'}"
    if command == "extract":
        cmd = [sys.executable, "-m", "aufeat.cli.main", "extract", "--dataset", data,
               "--features", "gabor", "--cache", str(tmp_path / "cache"), "--n-jobs", "2",
               "--chunk-size", "4", "--no-progress"]
        expected = ("aufeat extract: terminated (SIGTERM); files written so far are whole, "
                    "rerun to finish")
    else:
        cmd = [sys.executable, "-m", "aufeat.cli.bench", "run", "--dataset", data,
               "--no-align", "--features", "gabor", "--classifiers", "logreg", "--cache",
               str(tmp_path / "cache"), "--out", str(tmp_path / "out"), "--n-jobs", "2",
               "--no-progress"]
        expected = ("aufeat-bench: terminated (SIGTERM); finished cache shards are kept and a "
                    "rerun resumes")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=default_sigterm)
    try:
        deadline = time.monotonic() + 90
        while not (workers := _loky_workers(proc.pid)) and proc.poll() is None:
            assert time.monotonic() < deadline, "no loky worker started"
            time.sleep(0.05)
        assert workers, proc.communicate()
        time.sleep(0.5)  # workers part-way through their chunks
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)  # hung while orphaned workers held the pipes
        deadline = time.monotonic() + 15
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)], "workers outlived the command"
    finally:
        if proc.poll() is None or any(_alive(w) for w in workers):
            os.killpg(proc.pid, signal.SIGKILL)  # pragma: no cover - only when the test failed
            proc.communicate()
    assert proc.returncode == 143, err
    assert err.strip().splitlines()[-1] == expected, err
    assert "Traceback" not in out + err


def test_crop_stopped_by_sigterm_says_so_and_exits_143(tmp_path):
    from tests.cli.crop_helpers import write_video

    write_video(tmp_path / "long.avi", 3000)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "aufeat.cli.main", "crop",
                             str(tmp_path / "long.avi"), "--out", str(out), "--detect", "no",
                             "--size", "16", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=default_sigterm)
    err = _sigterm_once(proc, lambda: list((out / "long").glob("frame_*.png")))  # cropping
    assert proc.returncode == 143, err
    assert err.strip().splitlines()[-1].startswith("aufeat crop: terminated (SIGTERM); ")


def test_a_programs_own_sigterm_handler_is_left_alone(tmp_path):
    # a program calling main() with a handler of its own: SIGTERM is the program's to handle
    write_pngs(tmp_path / "images", 2000, size=32)
    script = (
        "import signal, sys\n"
        "from aufeat.cli.main import main\n"
        "def stop(signum, frame):\n"
        "    sys.exit(7)\n"
        "signal.signal(signal.SIGTERM, stop)\n"
        f"main(['extract', '--dataset', 'folder:{tmp_path / 'images'}', '--features', 'lbp',\n"
        f"      '--cache', '{tmp_path / 'cache'}', '--chunk-size', '4', '--no-progress'])\n"
        "sys.exit(0)  # main returned: the program went on\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=default_sigterm)
    err = _sigterm_once(proc, lambda: len(list((tmp_path / "cache").glob("*/*.json"))) >= 3)
    assert proc.returncode == 7, err


def _sigterm_once(proc, started) -> str:
    """Send ``proc`` SIGTERM once ``started()`` is true; return its stderr when it ended."""
    deadline = time.monotonic() + 60
    while not started():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    return proc.communicate(timeout=60)[1]
