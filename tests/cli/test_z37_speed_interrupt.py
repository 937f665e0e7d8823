"""Stopping ``aufeat-bench speed`` does not promise a cache it never had.

It said "finished cache shards are kept and a rerun resumes", the message of
``run``: speed uses no feature cache, and a rerun times every case again.
"""

import os
import signal
import subprocess
import sys
import time

from tests.cli.interrupt import default_sigterm


def test_sigterm_during_speed_says_nothing_is_resumed(tmp_path):
    target = tmp_path / "speed.json"
    proc = subprocess.Popen([sys.executable, "-m", "aufeat.cli.bench", "speed", "--quick",
                             "--families", "hog", "--json", str(target)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"},
                            preexec_fn=default_sigterm)
    try:
        deadline = time.monotonic() + 120
        header = proc.stdout.readline()  # the first line: timing starts after it
        assert header.startswith("aufeat speed on "), (header, proc.stderr.read())
        time.sleep(0.5)
        assert time.monotonic() < deadline
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:  # pragma: no cover - only when the test failed
            proc.kill()
            proc.communicate()
    assert proc.returncode == 143, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("aufeat-bench: terminated (SIGTERM)"), err
    assert "cache" not in last, last
    assert "resumes" not in last, last
    assert "nothing was written" in last, last  # --json: nothing of the stopped run
    assert not target.exists()
