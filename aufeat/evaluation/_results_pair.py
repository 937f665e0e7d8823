"""Write a results JSON and its predictions file as a pair: both new, or both as they were.

Each file is written atomically, the predictions first (a JSON naming them always
finds them complete). A JSON write that fails after that (a full disk: the
``.npz`` is the larger file, so the smaller JSON hits the limit) would leave the
earlier JSON beside the new predictions, which its SHA-256 no longer matches: the
earlier run's predictions lost, and the file no longer comparable. So the earlier
predictions file is kept (a hard link, else a copy; a symbolic link, as git-annex and
DataLad keep files, as the link itself) until the JSON is in place, and put back if the
JSON write fails or is stopped (Ctrl-C). Only a crash or SIGKILL between the two renames
splits the pair: the earlier JSON beside the new predictions, refused when read (its
SHA-256), with the earlier predictions in a temporary name the next write removes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from pathlib import Path

__all__ = ["write_pair"]


def write_pair(path, text: str, sidecar, data: bytes) -> None:
    """Write ``data`` at ``sidecar``, then ``text`` at ``path``; on failure restore ``sidecar``.

    An earlier ``sidecar`` (a regular file or a symbolic link) is put back as it was, and
    a new one (none before) removed, when either write fails, so an earlier pair stays
    readable. Where a copy of the earlier ``sidecar`` cannot be kept (no room for it),
    that error is raised before anything is written.
    """
    from aufeat._atomic import atomic_write, atomic_write_text

    sidecar = Path(sidecar)
    existed = os.path.lexists(sidecar)
    kept = _keep(sidecar) if _regular_file(sidecar) or sidecar.is_symlink() else None
    try:
        atomic_write(sidecar, lambda f: f.write(data))
        atomic_write_text(path, text)
    except BaseException:
        with contextlib.suppress(OSError):
            if kept is not None:
                os.replace(kept, sidecar)
            elif not existed and _regular_file(sidecar):
                sidecar.unlink()  # none before: none after
        raise
    finally:
        if kept is not None:
            with contextlib.suppress(OSError):
                kept.unlink()


def _regular_file(path: Path) -> bool:
    """Whether ``path`` is a regular file itself (not a link, pipe, device or folder)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _keep(path: Path) -> Path:
    """Return a hidden second name of the file ``path`` (a hard link, else a copy).

    A symbolic link is kept as a link (a hard link to the link itself, else a new link
    to the same target), not as the file it points to.
    """
    from aufeat._atomic import temp_name

    kept = temp_name(path)  # removed by a later write if this process dies first
    if path.is_symlink():
        try:
            os.link(path, kept, follow_symlinks=False)
        except (OSError, NotImplementedError):  # no linkat (Windows), no hard links here
            os.symlink(os.readlink(path), kept)
        return kept
    try:
        os.link(path, kept)
    except OSError:  # no hard links here (a FAT drive, a protected file): a copy
        try:
            shutil.copy2(path, kept)
        except BaseException:
            with contextlib.suppress(OSError):
                kept.unlink()
            raise
    return kept
