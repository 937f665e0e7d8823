"""``aufeat-bench run`` stopped by SIGTERM stops its background Numba compile too.

Where the kernels were never compiled, ``prepare`` compiles Gabor's in a second
process (``aufeat.cli._warm``) and waited for it only on its normal path: SIGTERM
(``timeout``, Slurm, ``docker stop``: the main process alone) ended the command and left
the compiler running, re-parented to init, and a rerun started at once compiled the same
kernels a second time alongside it.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.interrupt import alive as _alive
from tests.cli.interrupt import children, default_sigterm

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def _warm_children(pid: int) -> list[int]:
    """The ``aufeat.cli._warm`` processes whose parent is ``pid``."""
    return children(pid, b"aufeat.cli._warm")



@pytest.mark.slow
def test_sigterm_stops_the_warm_up_compile_with_the_command(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "NUMBA_CACHE_DIR": str(tmp_path / "numba")}  # empty: the warm-up starts
    cmd = [sys.executable, "-m", "aufeat.cli.bench", "run", "--dataset", "synthetic:5x7",
           "--no-align", "--features", "gabor", "--classifiers", "linear-svm", "--cache",
           str(tmp_path / "cache"), "--out", str(tmp_path / "out"), "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=default_sigterm)
    warm = []
    try:
        deadline = time.monotonic() + 60
        while not (warm := _warm_children(proc.pid)) and proc.poll() is None:
            assert time.monotonic() < deadline, "no warm-up process started"
            time.sleep(0.05)
        assert warm, proc.communicate()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 143, err
        assert err.strip().splitlines()[-1].startswith("aufeat-bench: terminated (SIGTERM)"), err
        # stopped and waited for before the command ended: nothing to wait for here
        assert not [pid for pid in warm if _alive(pid)], "the warm-up outlived the command"
    finally:
        for pid in warm:
            if _alive(pid):  # pragma: no cover - only when the test failed
                os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:  # pragma: no cover - only when the test failed
            proc.kill()
            proc.communicate()
