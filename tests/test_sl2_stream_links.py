"""Only this process's own stream links are written through, and only into a pipe or terminal.

SL2 F1 (round 16): every link in a folder under /dev or /proc counted as "the system's":
one in /dev/shm (a world-writable tmpfs used as scratch and output space) was written
through, appending the output to whatever file it led to, and a dangling one raised a raw
FileNotFoundError. SL2 F4: `--out /dev/stdout > FILE` appended the output to FILE, where
the command's own printed lines (fd 1's own offset) then overwrote it; and the check
before any work probed the folder /dev (/proc/self/fd), refusing /dev/stdout for an
ordinary user and /proc/self/fd/N for everyone.

The /dev cases run in a private mount namespace with a tmpfs on /dev (root and unshare
needed): the machine's own /dev is never touched.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aufeat.cli._paths import check_outputs

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="/proc/self/fd is Linux's")

_ROOT = Path(__file__).resolve().parents[1]


def test_a_proc_fd_link_to_a_pipe_passes_the_check_before_any_work():
    """Its folder /proc/self/fd takes no probe file: nothing is created there."""
    read_end, write_end = os.pipe()
    try:
        check_outputs([f"/proc/self/fd/{write_end}"], [])
    finally:
        os.close(read_end)
        os.close(write_end)


def test_a_proc_fd_link_to_a_file_is_refused_by_the_check_before_any_work(tmp_path):
    log = tmp_path / "speed.txt"
    fd = os.open(log, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        with pytest.raises(OSError, match=rf"descriptor {fd} is a file here \({log}"):
            check_outputs([f"/proc/self/fd/{fd}"], [])
    finally:
        os.close(fd)
    assert log.read_bytes() == b""


def test_bench_speed_json_to_a_redirected_standard_output_is_refused_before_timing(tmp_path):
    """`aufeat-bench speed --json /proc/self/fd/1 > speed.txt`: exit 2, the file left as is."""
    log = tmp_path / "speed.txt"
    with open(log, "wb") as handle:
        done = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "speed", "--quick",
                               "--json", "/proc/self/fd/1"], stdout=handle,
                              stderr=subprocess.PIPE, text=True, timeout=120, check=False,
                              env={**os.environ, "PYTHONPATH": str(_ROOT)})
    assert done.returncode == 2, done.stderr
    assert ("--json: [Errno 22] cannot write /proc/self/fd/1: standard output is a file "
            f"here ({log}: the shell redirected it)") in done.stderr
    assert log.read_bytes() == b""  # refused before the table was printed


_CHILD = r"""
import ctypes, json, os, sys
from pathlib import Path
from aufeat._atomic import atomic_write_text
from aufeat.cli._paths import atomic_csv, check_outputs

home, got = Path(sys.argv[1]), {}
team = Path("/dev/shm/team")  # in this namespace's own tmpfs /dev
team.mkdir()
os.chmod(team, 0o777)
victim = home / "someone_elses.conf"
victim.write_text("precious: 1\n")
os.symlink(victim, team / "predictions.csv")  # planted by another user
atomic_csv(team / "predictions.csv", lambda w: w.writerows([["path", "AU12"], ["a.png", 1]]))
got["planted"] = [victim.read_text(), (team / "predictions.csv").is_symlink(),
                  (team / "predictions.csv").read_text()]
os.symlink(home / "gone.csv", team / "dangling.csv")
atomic_write_text(team / "dangling.csv", "x\n")
got["dangling"] = [(team / "dangling.csv").is_symlink(), (team / "dangling.csv").read_text()]
os.symlink(team, home / "scratch")  # a folder of the user's linked to /dev/shm
notes = home / "notes.txt"
notes.write_text("notes\n")
os.symlink(notes, home / "scratch" / "speed.json")
atomic_write_text(home / "scratch" / "speed.json", "{}\n")
got["scratch"] = [notes.read_text(), (team / "speed.json").read_text()]

saved = os.dup(1)
log = home / "speed.txt"
with open(log, "wb") as handle:  # the shell's `> speed.txt`
    os.dup2(handle.fileno(), 1)
    errors = []
    for attempt in (lambda: check_outputs(["/dev/stdout"], []),
                    lambda: atomic_write_text("/dev/stdout", "{}\n")):
        try:
            attempt()
            errors.append(None)
        except OSError as exc:
            errors.append(str(exc))
    os.dup2(saved, 1)
got["to a file"] = [errors, log.read_text()]

read_end, write_end = os.pipe()  # root's pipe: `docker run --user 65534 ... | gzip`
os.setgroups([])  # an ordinary user, after the imports
os.setgid(65534)
os.setuid(65534)
ctypes.CDLL(None).prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE: its /proc/self/fd is its own again
os.dup2(write_end, 1)  # `| gzip`
check_outputs(["/dev/stdout"], [])
atomic_write_text("/dev/stdout", "rows\n")  # by fd 1: root's pipe refuses a new open
atomic_write_text("//dev/stdout", "more\n")  # the same name, spelt with two slashes
os.dup2(saved, 1)
os.close(write_end)
got["to a pipe"] = [os.getuid(), os.read(read_end, 100).decode(), sorted(os.listdir("/dev"))]
print(json.dumps(got), file=sys.stderr)
"""


def _in_a_private_dev(tmp_path) -> dict:
    """Run ``_CHILD`` with a tmpfs on /dev in a private mount namespace; return what it saw."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("a private /dev needs root and unshare")
    trial = ["unshare", "--mount", "--propagation", "private", "true"]
    if subprocess.run(trial, capture_output=True, check=False).returncode != 0:
        pytest.skip("no mount namespaces here")
    script = ("mount -t tmpfs -o mode=755 sl2dev /dev || exit 77; mkdir -m 1777 /dev/shm && "
              "ln -s /proc/self/fd /dev/fd && ln -s /proc/self/fd/1 /dev/stdout && "
              'exec "$0" -c "$1" "$2"')
    done = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                           script, sys.executable, _CHILD, str(tmp_path)],
                          capture_output=True, text=True, timeout=120, check=False, cwd="/",
                          env={**os.environ, "PYTHONPATH": str(_ROOT)})
    if done.returncode == 77:
        pytest.skip("no tmpfs could be mounted on a private /dev")
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_links_in_dev_shm_are_replaced_and_dev_stdout_written_only_into_a_pipe(tmp_path):
    got = _in_a_private_dev(tmp_path)
    # a link planted in a shared /dev/shm folder: replaced, the file it led to untouched
    assert got["planted"] == ["precious: 1\n", False, "path,AU12\na.png,1\n"]
    assert got["dangling"] == [False, "x\n"]  # replaced, no raw FileNotFoundError
    assert got["scratch"] == ["notes\n", "{}\n"]  # ~/scratch -> /dev/shm/me: the same
    (checked, written), text = got["to a file"]
    for error in (checked, written):  # refused before any work and at the write alike
        assert error is not None
        assert ("cannot write /dev/stdout: standard output is a file here "
                f"({tmp_path / 'speed.txt'}: the shell redirected it)") in error
        assert "give that file's path as the output (or '-'" in error
    assert text == ""
    uid, rows, listing = got["to a pipe"]
    assert uid == 65534
    assert rows == "rows\nmore\n"  # the folder /dev, which the user may not write, never probed
    assert listing == ["fd", "shm", "stdout"]  # no file put in /dev
