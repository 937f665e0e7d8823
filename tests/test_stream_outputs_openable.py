"""A pipe or device output that cannot be opened is refused before the work, not after.

``/dev/tty`` in a process with no terminal (cron, ``setsid``) and another user's named
pipe took a whole run, then failed at the write. The /dev/tty case only tries to open
it (and fails): nothing in the real /dev is written or made. Root may open any pipe, so
the pipe case runs as an ordinary user (uid 65534) when the tests run as root.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "setsid"), reason="POSIX terminals and pipes")

_ROOT = Path(__file__).resolve().parents[1]


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}


def test_dev_tty_without_a_terminal_is_refused_before_timing():
    done = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "speed", "--quick",
                           "--families", "hog", "--json", "/dev/tty"],
                          capture_output=True, text=True, env=_env(), timeout=300,
                          start_new_session=True)  # no controlling terminal
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""  # nothing timed: before, every case was timed first
    assert done.stderr.startswith("aufeat-bench speed: --json: cannot write /dev/tty: a "
                                  "character device that cannot be opened here"), done.stderr


_CHILD = r"""
import json, os, sys
import aufeat._atomic, aufeat._streams  # before dropping root: Python may lie in /root
from aufeat.cli._paths import check_outputs

fifo = sys.argv[1]
if os.geteuid() == 0:
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
try:
    check_outputs([fifo], [])
    error = None
except OSError as exc:
    error = [type(exc).__name__, str(exc)]
print(json.dumps({"error": error, "may_write": os.access(fifo, os.W_OK)}))
"""


@pytest.mark.parametrize("mode", [0o600, 0o666])
def test_another_users_pipe_is_refused_only_when_it_may_not_be_written(mode):
    folder = Path(tempfile.mkdtemp())  # not under pytest's 0700 folder: the user may enter
    try:
        folder.chmod(0o755)
        fifo = folder / "pipe"
        os.mkfifo(fifo)
        fifo.chmod(mode)
        done = subprocess.run([sys.executable, "-c", _CHILD, str(fifo)], capture_output=True,
                              text=True, env=_env(), cwd="/", timeout=60)
    finally:
        shutil.rmtree(folder)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    if seen["may_write"]:
        assert seen["error"] is None
    else:
        assert seen["error"] == ["PermissionError", f"cannot write {fifo}: a named pipe this "
                                 "user may not write into; choose another output"]
    if os.geteuid() == 0:  # the child is an ordinary user: 0600 of root's is not for it
        assert seen["may_write"] == (mode == 0o666)


def test_a_pipe_of_ones_own_passes(tmp_path):
    from aufeat.cli._paths import check_outputs

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    check_outputs([fifo], [])  # does not wait for a reader
    assert json.dumps(str(fifo))
