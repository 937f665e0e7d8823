"""Z103 F6: atomic_write flushes the folder after the rename when it fsyncs.

It fsynced the temporary file, then renamed it, but never fsynced the folder holding the
rename: after a crash or power cut soon after "saved", the old file (or none) could come
back. The calls of ``os.fsync`` are watched (the real call still made). aufeat's own
files (``streams=False``: the feature cache's) leave the folder to their writer, which
flushes it once for many files.
"""

import os
import stat

import pytest

from aufeat._atomic import atomic_write


@pytest.mark.parametrize(("fsync", "streams"), [(True, True), (False, True), (True, False)])
def test_the_folder_is_fsynced_after_the_rename(tmp_path, monkeypatch, fsync, streams):
    target = tmp_path / "model.skops"
    target.write_bytes(b"old model")
    real, calls = os.fsync, []

    def watched(fd):
        info = os.fstat(fd)
        calls.append((stat.S_ISDIR(info.st_mode), info.st_ino, target.read_bytes()))
        return real(fd)

    monkeypatch.setattr(os, "fsync", watched)
    atomic_write(target, lambda f: f.write(b"new model"), fsync=fsync, streams=streams)
    assert target.read_bytes() == b"new model"
    folder = [c for c in calls if c[0]]
    if not fsync:
        assert calls == []
        return
    if not streams:  # aufeat's own files (the feature cache's): the caller flushes the folder
        assert len(calls) == 1
        assert folder == []
        return
    assert len(calls) == 2
    assert not calls[0][0]  # the file's data first
    assert folder == [(True, tmp_path.stat().st_ino, b"new model")]  # then the renamed entry
