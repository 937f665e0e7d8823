"""Atomic file writes: every file aufeat writes appears whole or not at all."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

__all__ = ["atomic_write", "atomic_write_text"]


def atomic_write(path, write, *, fsync: bool = True) -> None:
    """Write ``path`` via ``write(file)`` on a temporary file in the same folder, then rename.

    The temporary file is removed if ``write`` fails, so an interrupted write
    leaves the old file (or none), never a partial one.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "x.txt"
    >>> atomic_write(path, lambda f: f.write(b"done"))
    >>> path.read_bytes()
    b'done'
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "wb") as f:
            write(f)
            f.flush()
            if fsync:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write_text(path, text: str, *, fsync: bool = True) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    data = text.encode()
    atomic_write(path, lambda f: f.write(data), fsync=fsync)
