"""Outputs written into rather than replaced: pipes, character devices, this process's streams.

:func:`aufeat._atomic.atomic_write` replaces a file by renaming a temporary one over it; a
named pipe, a device (``/dev/null``) or ``/dev/stdout`` under ``cmd | gzip`` holds no file to
replace, and a rename would put a regular file in its place. :func:`written_into` tells
them apart (and refuses a stream link that leads to a file), :func:`into_stream` writes them.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

__all__ = ["check_openable", "into_stream", "is_standard_output", "special_kind",
           "written_into"]


def special_kind(mode: int) -> str:
    """Name what a file of ``mode`` (not a regular file or folder) is, for messages."""
    kinds = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "a special file")


def written_into(path) -> bool:
    """Whether :func:`atomic_write` writes into ``path`` instead of replacing it.

    True for a named pipe, a character device (``/dev/null``) and a link to a stream of
    this process that leads to one (:func:`_stream_link`: ``/dev/stdout`` under
    ``cmd | gzip`` or in a terminal): they hold no file to replace, and writing into them
    needs no writable folder. Any other link is replaced, never written through. A stream
    link that leads to a regular file (the shell's ``> FILE`` or ``>> FILE``), to nothing
    or to another kind of file is refused with an OSError saying what to give instead:
    written through, the output would mix with what the program prints there.
    """
    path = Path(path)
    link = os.path.islink(path)
    if link and not _stream_link(path):
        return False  # a link elsewhere (/dev/shm, an output folder) is replaced
    own = _own_descriptor(path) if link else None
    try:
        mode = (os.stat(path) if own is None else _fstat_own(own)).st_mode
    except OSError:  # missing: a new file; a stream link: closed
        if link:
            raise _not_a_stream(path, None) from None
        return False
    if _streams(mode):
        return True
    if link:
        raise _not_a_stream(path, mode)
    return False


def check_openable(path) -> None:
    """Refuse, before any work, a pipe or device that this process could not write into.

    ``path`` is one :func:`written_into` accepts. This process's own streams are open
    already. A named pipe is checked by its permissions (opening it would wait for a
    reader); a device is opened without blocking and closed again: ``/dev/tty`` with no
    terminal, another user's pipe or a read-only device would otherwise fail only at the
    write, once the work is done.

    Raises
    ------
    PermissionError
        Naming ``path``, what it is and why it cannot be written.
    """
    if os.path.islink(path) and _own_descriptor(path) is not None:
        return
    mode = os.stat(path).st_mode
    kind = special_kind(mode)
    if stat.S_ISFIFO(mode):
        if not os.access(path, os.W_OK):
            raise PermissionError(f"cannot write {path}: {kind} this user may not write "
                                  "into; choose another output")
        return
    flags = os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
    try:
        os.close(os.open(path, flags))
    except OSError as err:  # /dev/tty without a terminal: ENXIO
        raise PermissionError(f"cannot write {path}: {kind} that cannot be opened here "
                              f"({err.strerror or err}); choose another output") from None


def is_standard_output(path) -> bool:
    """Whether ``path`` names this process's standard output (``--json /dev/stdout``).

    A command whose output file is its standard output prints its own lines to standard
    error instead, so that ``aufeat-bench run --json /dev/stdout | jq`` reads JSON only.
    True for a stream link (:func:`_own_descriptor`) to the pipe or terminal behind
    descriptor 1; False for anything else, a closed descriptor 1 included.
    """
    if path is None or not os.path.islink(path) or not _stream_link(Path(path)):
        return False
    own = _own_descriptor(path)
    try:
        mode, same = _fstat_own(1).st_mode, own == 1 or (
            own is not None and os.path.samestat(_fstat_own(own), os.fstat(1)))
    except OSError:  # a descriptor closed
        return False
    return same and _streams(mode)


def into_stream(path: Path, write) -> bool:
    """Write ``path`` via ``write`` if :func:`written_into` says so; return whether it did.

    A rename would put a regular file in the place of a pipe, a device or a stream link
    (a reader of the pipe gets nothing, ``/dev/null`` becomes a file). Opened without
    creating or truncating.
    """
    if not written_into(path):
        return False
    own = _own_descriptor(path) if os.path.islink(path) else None
    flags = (os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0)
             | getattr(os, "O_BINARY", 0))
    # this process's own stream is written through its descriptor: opened again by name,
    # a pipe another user made (docker run --user, sudo -u) refuses us, though fd 1 takes it
    fd = os.dup(own) if own is not None else os.open(path, flags)  # a pipe: waits for a reader
    mode = os.fstat(fd).st_mode
    if not _streams(mode):  # replaced since (by a file): written as a file is
        os.close(fd)
        if os.path.islink(path):  # the stream itself was redirected: never the link replaced
            raise _not_a_stream(path, mode)
        return False
    with os.fdopen(fd, "wb") as f:
        write(f)
    return True


#: The folders of a process's stream links, as ``realpath`` names them: ``/proc/PID/fd``
#: (``/proc/self/fd``, ``/dev/fd``) and a thread's ``/proc/PID/task/TID/fd``.
_FD_FOLDER = re.compile(r"/proc/(\d+)(?:/task/\d+)?/fd")


def _stream_link(path: Path) -> bool:
    """Whether the link ``path`` names a stream of this process, which is written through.

    ``/dev/stdout``, ``/dev/stderr``, and a link in a ``/proc/PID/fd`` folder
    (``/dev/fd/N``, ``/proc/self/fd/N``): only the system makes those. Any other link,
    in ``/dev/shm`` (a folder anyone may write into) or elsewhere in ``/dev`` or
    ``/proc`` included, may have been planted: it is replaced, as links are.
    """
    where = _canonical(path)
    if where in ("/dev/stdout", "/dev/stderr"):
        return True
    return _FD_FOLDER.fullmatch(os.path.dirname(where)) is not None


def _canonical(path) -> str:
    """Return ``path`` with its folder resolved, its own name (the link itself) kept.

    The folder's links, ``..`` and doubled slashes: ``//dev/stdout`` is ``/dev/stdout``.
    """
    where = os.path.abspath(path)
    return os.path.join(os.path.realpath(os.path.dirname(where)), os.path.basename(where))


#: Descriptors 1 and 2 that were closed when the command started (the shell's ``>&-``,
#: ``2>&-``) and hold ``os.devnull`` within it (:func:`aufeat.cli._pipes.closed_output_ignored`):
#: native code's messages (FFmpeg's) go nowhere, and no file opened later takes the
#: descriptor. To outputs they are still closed: ``/dev/stdout`` is refused.
PLUGGED: set[int] = set()


def _fstat_own(fd: int) -> os.stat_result:
    """``os.fstat`` of this process's descriptor ``fd``; EBADF for a plugged one (closed)."""
    if fd in PLUGGED:
        raise OSError(errno.EBADF, f"descriptor {fd} is closed")
    return os.fstat(fd)


def _own_descriptor(path) -> int | None:
    """Return the descriptor of this process that the stream link ``path`` names, or None.

    1 for ``/dev/stdout``, 2 for ``/dev/stderr``, N for ``/dev/fd/N`` and
    ``/proc/self/fd/N`` (this process's ``/proc/PID/fd``; another process's: None).
    """
    where = _canonical(path)
    if where in ("/dev/stdout", "/dev/stderr"):
        return 1 if where.endswith("out") else 2
    folder, name = os.path.split(where)
    match = _FD_FOLDER.fullmatch(folder)
    if match is None or not name.isdigit() or int(match.group(1)) != os.getpid():
        return None
    return int(name)


def _not_a_stream(path: Path, mode: int | None) -> OSError:
    """Return the error of a stream link ``path`` that leads to ``mode`` (None: nothing)."""
    number = {"/dev/stdout": "1", "/dev/stderr": "2"}.get(_canonical(path), path.name)
    name = {"1": "standard output", "2": "standard error"}.get(number, f"descriptor {number}")
    if mode is None:
        return OSError(errno.EBADF, f"cannot write {path}: {name} is closed here; give the "
                                    "path of a file as the output")
    if stat.S_ISREG(mode):
        return OSError(errno.EINVAL, f"cannot write {path}: {name} is a file here "
                                     f"({os.path.realpath(path)}: the shell redirected it), "
                                     "and what the command prints there would garble the "
                                     "output; give that file's path as the output (or '-' "
                                     "where the command takes it)")
    return OSError(errno.EINVAL, f"cannot write {path}: {name} is {special_kind(mode)} here, "
                                 "not a pipe or a terminal; give the path of a file as the "
                                 "output (or '-' where the command takes it)")


def _streams(mode: int) -> bool:
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)
