"""An atomic write keeps the group of the file it replaces, and as root its owner (Z91 F6).

A 0660 ``results.csv`` of group ``lab``, rewritten by a lab member, became the member's own
group: the other members could no longer read or update it. A user's 0600 model rewritten
under ``sudo`` became root's: the user could no longer read it. ``open(..., "w")`` keeps
both; so does atomic_write now, where the system allows (a member may give a file its
group, root any owner). The member's write runs in a child process that drops to uid
65534 (groups 65534 and 5000, "lab") after importing aufeat.
"""

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from aufeat._atomic import atomic_write_text

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="files of other users and groups are made by root")

LAB, USER = 5000, 65534

_CHILD = r"""
import json, os, stat, sys
from aufeat._atomic import atomic_write_text

target = sys.argv[1]
os.setgroups([65534, 5000])  # a member of group 5000, after the imports
os.setgid(65534)
os.setuid(65534)
try:
    atomic_write_text(target, "new")
    error = None
except OSError as exc:
    error = f"{type(exc).__name__}: {exc}"
info = os.stat(target)
print(json.dumps({"uid": os.geteuid(), "error": error, "gid": info.st_gid,
                  "mode": stat.S_IMODE(info.st_mode), "content": open(target).read(),
                  "listing": sorted(os.listdir(os.path.dirname(target)))}))
"""


@pytest.fixture
def project():
    """A folder group ``lab`` may write into, where uid 65534 may reach it (not root's 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="aufeat-z91-"))
    os.chown(folder, 0, LAB)
    os.chmod(folder, 0o770)
    yield folder
    shutil.rmtree(folder)


def _shared_file(folder, group):
    """root's 0660 ``results.csv`` of ``group``."""
    target = folder / "results.csv"
    target.write_text("old")
    os.chown(target, 0, group)
    os.chmod(target, 0o660)
    return target


def _as_a_lab_member(target: Path) -> dict:
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(root), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, "-c", _CHILD, str(target)], capture_output=True,
                          text=True, env=env, cwd="/", timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_group_shared_file_rewritten_by_a_member_keeps_its_group(project):
    got = _as_a_lab_member(_shared_file(project, LAB))
    assert got["uid"] == USER
    assert got["error"] is None
    assert got["content"] == "new"
    assert got["gid"] == LAB  # the other lab members still read and write it
    assert got["mode"] == 0o660
    assert got["listing"] == ["results.csv"]


def test_a_group_the_writer_is_not_in_is_not_kept_and_the_write_goes_on(project):
    got = _as_a_lab_member(_shared_file(project, 6000))
    assert got["error"] is None
    assert got["content"] == "new"
    assert got["gid"] == USER  # the system refuses group 6000: the writer's own
    assert got["mode"] == 0o660
    assert got["listing"] == ["results.csv"]


def test_a_users_file_rewritten_as_root_stays_the_users(tmp_path):
    target = tmp_path / "model.skops"
    target.write_text("the user's")
    os.chown(target, USER, USER)
    os.chmod(target, 0o600)
    atomic_write_text(target, "rewritten under sudo")
    info = target.stat()
    assert (info.st_uid, info.st_gid) == (USER, USER)
    assert stat.S_IMODE(info.st_mode) == 0o600
    assert target.read_text() == "rewritten under sudo"


def test_a_new_file_is_the_writers(tmp_path):
    target = tmp_path / "new.csv"
    atomic_write_text(target, "x")
    assert target.stat().st_uid == os.geteuid()
