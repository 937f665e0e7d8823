"""A file is replaced whatever its own mode; a folder that refuses the write is named.

For a writable file in a folder the user cannot write into, atomic_write said "Permission
denied" of the file, where the folder refuses the temporary file (Z81 F8a). A file the
user may not write itself (``chmod 444``, or another user's 0644 file in the user's own
folder: a first run as root in Docker) is replaced, its mode kept: the rename needs only
the folder's permission, as ``mv`` does. Refusing it (SL2 F2, F3, F6, round 16) came only
after all the work, left ``aufeat train`` a new model beside an old sidecar, and told the
user to ``chmod u+w`` a file they do not own. Root may write anything, so the checks run
as an ordinary user: a child process that drops to uid 65534 when the tests run as root.
Each check compares with what ``open`` may do as that user, so it holds as whoever runs it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")

_CHILD = r"""
import json, os, shutil, stat, sys, tempfile
from pathlib import Path
from aufeat._atomic import atomic_write_text

case = sys.argv[1]
folder = Path(tempfile.mkdtemp())
target = folder / "final_model.skops"
if case == "another user's":  # root's file (a first run in Docker) in the user's folder
    target.write_text("old")
    os.chmod(target, 0o644)
if os.geteuid() == 0:  # an ordinary user, after the imports (Python may lie in /root)
    os.chown(folder, 65534, 65534)
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
try:
    if case not in ("new file", "another user's"):
        target.write_text("old")
    if case in ("write-protected", "another user's"):
        if case == "write-protected":
            os.chmod(target, 0o444)
        probe = target  # what open() would be refused
    else:  # a folder the user cannot write into
        os.chmod(folder, 0o555)
        probe = folder / "probe"
    try:
        with open(probe, "ab"):
            pass
        refused = False
    except PermissionError:
        refused = True
    if probe != target and not refused:
        os.unlink(probe)
    try:
        atomic_write_text(target, "new")
        error = None
    except OSError as exc:
        error = [type(exc).__name__, str(exc)]
    print(json.dumps({
        "uid": os.geteuid(), "open_refused": refused, "error": error, "folder": str(folder),
        "content": target.read_text() if target.exists() else None,
        "mode": stat.S_IMODE(target.stat().st_mode) if target.exists() else None,
        "listing": sorted(os.listdir(folder))}))
finally:
    os.chmod(folder, 0o700)
    shutil.rmtree(folder)
"""


def _as_a_user(case: str) -> dict:
    """Run the write of ``case`` as an ordinary user (uid 65534 when the tests run as root)."""
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(root), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, "-c", _CHILD, case], capture_output=True,
                          text=True, env=env, cwd="/", timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_write_protected_file_in_a_writable_folder_is_replaced_its_mode_kept():
    got = _as_a_user("write-protected")
    assert got["uid"] != 0
    assert got["open_refused"]  # the user may not write it: the case at hand
    assert got["error"] is None
    assert got["content"] == "new"
    assert got["mode"] == 0o444
    assert got["listing"] == ["final_model.skops"]  # no temporary file left


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="another user's file is made by root")
def test_another_users_file_in_the_users_folder_is_replaced():
    got = _as_a_user("another user's")
    assert got["uid"] != 0
    assert got["open_refused"]  # root's 0644 file: the user may not write it
    assert got["error"] is None
    assert got["content"] == "new"
    assert got["mode"] == 0o644
    assert got["listing"] == ["final_model.skops"]


@pytest.mark.parametrize("case", ["writable file", "new file"])
def test_a_folder_that_refuses_the_write_is_named_not_the_file(case):
    got = _as_a_user(case)
    assert got["uid"] != 0
    assert got["open_refused"]  # no file may be created in the folder
    assert got["error"] is not None
    kind, message = got["error"]
    assert kind == "PermissionError"
    assert f"final_model.skops: the folder {got['folder']} is not writable" in message
    assert "temporary file" in message
    assert ".tmp" not in message
    assert got["content"] == ("old" if case == "writable file" else None)
