"""A write-protected file is refused, a folder that refuses the write is named (Z81 F7, F8a).

atomic_write replaced a file its owner had made read-only (``chmod 444``), where ``open``
(numpy, pandas, the shell's ``>``) refuses it; and for a writable file in a folder the user
cannot write into it said "Permission denied" of the file, where the folder refuses the
temporary file. Root may write anything, so the checks run as an ordinary user: a child
process that drops to uid 65534 when the tests run as root. Each check compares with what
``open`` may do as that user, so it holds as whoever runs it.
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

if os.geteuid() == 0:  # an ordinary user, after the imports (Python may lie in /root)
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
case = sys.argv[1]
folder = Path(tempfile.mkdtemp())
try:
    target = folder / "final_model.skops"
    if case != "new file":
        target.write_text("old")
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


def test_a_write_protected_file_is_refused_naming_it_and_kept():
    got = _as_a_user("write-protected")
    assert got["uid"] != 0
    assert got["open_refused"]  # the user may not write it: the case at hand
    assert got["error"] is not None, "a write-protected file was replaced"
    kind, message = got["error"]
    assert kind == "PermissionError"
    assert "final_model.skops: the file is write-protected (mode 0444)" in message
    assert "chmod u+w" in message
    assert got["content"] == "old"
    assert got["mode"] == 0o444
    assert got["listing"] == ["final_model.skops"]  # no temporary file left


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
