"""Atomic file writes: every file aufeat writes appears whole or not at all."""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from pathlib import Path

__all__ = ["atomic_write", "atomic_write_text", "remove_stale_temps", "temp_name"]


def _owner() -> str:
    """``HOST.PID`` of this process, as it appears in the names of its temporary files."""
    host = "".join(c for c in socket.gethostname() if c.isalnum())[:32] or "host"
    return f"{host}.{os.getpid()}"


def temp_name(path) -> Path:
    """Name of a temporary file for ``path`` in its folder: ``.NAME~HOST.PID~RANDOM.tmp``.

    The owner in the name lets :func:`remove_stale_temps` tell the files of
    killed processes from those being written right now.
    """
    path = Path(path)
    return path.with_name(f".{path.name}~{_owner()}~{uuid.uuid4().hex}.tmp")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def remove_stale_temps(folder) -> list:
    """Delete the temporary files in ``folder`` of processes of this machine that are gone.

    A process killed while writing (SIGKILL, a crash) leaves its temporary file;
    files of running processes, and of other machines sharing the folder, stay.

    Returns
    -------
    list of Path
        The files removed.
    """
    host = _owner().rpartition(".")[0]
    removed = []
    for path in Path(folder).glob(".*~*~*.tmp"):
        owner_host, _, pid = path.name.split("~")[1].rpartition(".")
        if owner_host == host and pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed


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
    tmp = temp_name(path)
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
