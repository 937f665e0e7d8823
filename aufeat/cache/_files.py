"""Reading the cache's own files: regular files only, never blocking on a planted one.

A shared cache folder may hold a named pipe or a link to a device under the name of a
file the cache reads (a sidecar, a shard, a result's record): opened as a file, a pipe
blocks until another user writes into it and ``/dev/zero`` never ends. Such a file is
an ``OSError`` here, which the callers take as a missing or damaged file.
"""

from __future__ import annotations

import os
import stat

__all__ = ["open_regular", "read_regular"]


def open_regular(path):
    """Open ``path`` for reading, unbuffered; OSError (naming it) unless it is a regular file."""
    nonblocking = getattr(os, "O_NONBLOCK", 0)  # POSIX: a pipe opens without a writer
    fd = os.open(path, os.O_RDONLY | nonblocking | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(mode := os.fstat(fd).st_mode):
            raise OSError(f"{path} is no regular file (mode {stat.filemode(mode)}): "
                          "not the cache's")
        if nonblocking:
            os.set_blocking(fd, True)
        return open(fd, "rb", buffering=0)
    except BaseException:
        os.close(fd)
        raise


def read_regular(path) -> bytes:
    """Return the bytes of ``path``; OSError unless it is a regular file (see the module)."""
    with open_regular(path) as f:
        return f.read()
