"""Temporary files of a machine whose host name differs only in punctuation are left alone."""

import os
import socket
import subprocess
import sys

from aufeat._temp_files import _owner, remove_stale_temps, temp_name


def _gone_pid() -> int:
    run = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                         capture_output=True, text=True, check=True)
    return int(run.stdout)


def _tag(monkeypatch, host: str) -> str:
    monkeypatch.setattr(socket, "gethostname", lambda: host)
    return _owner().rpartition(".")[0]


def test_tags_of_colliding_host_names_differ(monkeypatch):
    names = ["ip-10-0-1-23.ec2.internal", "ip-10-0-12-3.ec2.internal",
             "a" * 32 + "-one", "a" * 32 + "-two", "node_1", "node-1", "näme", "name"]
    tags = [_tag(monkeypatch, name) for name in names]
    assert len(set(tags)) == len(names)
    for tag in tags:  # valid in a file name, and parsed back as the owner
        assert tag.isascii()
        assert not set(tag) & set("./\\~ ")


def test_other_machines_temp_is_kept_while_its_write_runs(tmp_path, monkeypatch):
    other = _tag(monkeypatch, "ip-10-0-12-3.ec2.internal")
    theirs = tmp_path / f".features.npy~{other}.{_gone_pid()}~feedbeef.tmp"
    theirs.write_bytes(b"being written on another machine")
    _tag(monkeypatch, "ip-10-0-1-23.ec2.internal")
    mine = temp_name(tmp_path / "x.npy")  # this machine's own name, with a dead PID
    mine = mine.with_name(mine.name.replace(f".{os.getpid()}~", f".{_gone_pid()}~"))
    mine.write_bytes(b"left by a killed process")
    legacy = tmp_path / f".y.npy~ip100123ec2internal.{_gone_pid()}~feedbeef.tmp"
    legacy.write_bytes(b"left by an older aufeat on this machine")
    removed = remove_stale_temps(tmp_path)
    assert theirs.exists()
    assert sorted(removed) == sorted([mine, legacy])
