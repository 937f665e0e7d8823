"""Atomic file writes: every file aufeat writes appears whole or not at all."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from ._streams import into_stream, special_kind, written_into
from ._temp_files import remove_stale_temps, remove_stale_temps_of, temp_name

__all__ = ["atomic_write", "atomic_write_text", "folder_error", "keep_owner",
           "remove_stale_temps", "temp_name", "written_into"]


def folder_error(path) -> OSError | None:
    """Return the error of writing ``path`` where its folder is missing (or a file), else None.

    It names the folder of ``path`` as the caller gave it, not the temporary
    file a write opens there.

    Examples
    --------
    >>> print(folder_error("no_such_folder/model.skops"))
    [Errno 2] cannot write no_such_folder/model.skops: the folder no_such_folder does not \
exist; create it first (e.g. mkdir -p no_such_folder)
    """
    path = Path(path)
    folder = path.parent
    if folder.is_dir():
        return None
    if folder.exists():
        return NotADirectoryError(errno.ENOTDIR, f"cannot write {path}: {folder} is a file, "
                                                 "not a folder; choose another path")
    return FileNotFoundError(errno.ENOENT, f"cannot write {path}: the folder {folder} does "
                                           f"not exist; create it first (e.g. mkdir -p {folder})")


def atomic_write(path, write, *, fsync: bool = True, streams: bool = True) -> None:
    """Write ``path`` via ``write(file)`` on a temporary file in the same folder, then rename.

    The temporary file is removed if ``write`` fails, so an interrupted write
    leaves the old file (or none), never a partial one. With ``fsync`` the file is
    flushed to disk before the rename, and its folder after it, so that a crash or a
    power cut once it returned does not bring the old file back; with ``streams=False``
    (aufeat's own files) the folder is left to the caller, as the feature cache's durable
    mode flushes its folder once after renaming many files into it. A process killed while
    writing (SIGTERM, SIGKILL) cannot remove its own: the next write of the same
    file removes those of processes that are gone (:func:`remove_stale_temps_of`: a
    process writing many files into one folder looks again after an eighth as many).
    Where the folder of ``path`` is missing, the error names that folder
    (:func:`folder_error`), not the temporary file. An existing file keeps its
    permissions (a private 0600 file stays private), its group where the writer
    may give it (a member of it), and its owner when written as root
    (:func:`keep_owner`). A ``path`` that is a symbolic
    link is replaced by the new file, as ``os.replace`` replaces it: the file it
    pointed to is left as it was, so that a link planted in a folder others may write
    into (a shared cache, an output folder) cannot redirect a write onto another file.
    An existing file is replaced whatever its own permissions (write-protected, or
    another user's): as for ``mv``, the permission of its folder decides (a sticky
    folder, ``/tmp``, lets a user replace their own files only).
    A ``path`` that is a named pipe or a character device (``/dev/null``, a FIFO a reader
    waits on), or a link to a stream of this process (``/dev/stdout``, ``/dev/fd/N``)
    that leads to one, is written into, as ``open`` writes it: it holds no file to
    replace (:func:`aufeat._streams.written_into`; a link in ``/dev/shm`` is no stream).
    Refused, with an error naming ``path``: a stream link that leads to a file (the
    shell's ``> FILE``: what the program prints there would garble it) or to nothing,
    and other special files (block devices, sockets; folders: :func:`replaced_file`).
    A write the folder refuses says that the folder is not writable (the temporary
    file is created there), not the file.
    ``streams=False`` (aufeat's own files, such as the feature cache's, which no user
    names as an output): nothing is ever written into; a pipe, device or socket at
    ``path``, or a stream link, is replaced as a link is (a named pipe planted in a shared
    cache folder would block the write until another user read what it holds).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "x.txt"
    >>> atomic_write(path, lambda f: f.write(b"done"))
    >>> path.read_bytes()
    b'done'
    """
    user = Path(path)
    if streams and into_stream(user, write):
        return
    path, old = replaced_file(user, special=not streams)
    mode = None if old is None else stat.S_IMODE(old.st_mode)
    with contextlib.suppress(OSError):  # an unreadable folder: the write itself will say so
        remove_stale_temps_of(path)
    tmp = temp_name(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:  # created no more open than the old file (the umask may narrow it; chmod restores)
        with os.fdopen(os.open(tmp, flags, 0o666 if mode is None else mode & 0o777), "wb") as f:
            keep_owner(tmp, old)  # before anything is written: the old file's group reads it
            write(f)
            f.flush()
            if fsync:
                os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError) and (error := folder_error(path)) is not None:
            raise error from None  # the user's folder, not the hidden temporary name
        ours = isinstance(exc, OSError) and str(tmp) in (exc.filename, exc.filename2)
        if ours and isinstance(exc, PermissionError) and not _folder_writable(path):
            raise PermissionError(
                errno.EACCES, f"cannot write {user}: the folder {path.parent} is not writable "
                "(aufeat writes a temporary file beside the file, then renames it); make it "
                "writable or choose another folder") from None
        if ours:
            raise _named(exc, user) from None
        raise
    if fsync and streams:  # the rename itself, which lives in the folder: or a crash may undo it
        _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename into it) to disk, where the system allows it.

    Some file systems and Windows refuse to open or fsync a folder: the file is written
    then, as without this step.
    """
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def replaced_file(path, *, special: bool = False) -> tuple[Path, os.stat_result | None]:
    """Return the file an atomic write of ``path`` replaces, and its ``os.stat``.

    ``path`` itself; the stat (whose mode, group and owner the new file keeps) is
    that of the existing file, None for a new file or a symbolic link (replaced
    itself, never written through: see :func:`atomic_write`).
    A folder is refused (IsADirectoryError naming it): the rename would fail, naming
    the temporary file. So is a special file (OSError: a pipe, device or socket holds no
    file to replace; :func:`atomic_write` writes into a pipe or character device before
    it gets here); with ``special=True`` it is replaced, as a link is (stat None). A file
    the user may not write itself (``chmod a-w``) is replaced, its
    mode kept: the rename needs the folder's permission only, as ``mv`` does.
    """
    path = Path(path)
    if os.path.islink(path):
        return path, None
    try:
        info = os.stat(path)
    except OSError:  # a new file: the default permissions (umask)
        return path, None
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, f"cannot write {path}: {path} is a folder; "
                                              "give the path of a file (in it, or another)")
    if not stat.S_ISREG(info.st_mode):
        if special:
            return path, None
        raise OSError(errno.EINVAL, f"cannot write {path}: it is "
                                    f"{special_kind(info.st_mode)}, not a file; give the path "
                                    "of a file")
    return path, info  # its mode kept: a private file stays private


def keep_owner(tmp, old: os.stat_result | None, *, owner: bool = True) -> None:
    """Give ``tmp`` the group of the file it replaces (``old``: its stat), as root its owner.

    So that a file shared through its group (``results.csv`` of group ``lab``, 0660)
    stays shared when a member rewrites it, and a user's file rewritten under ``sudo``
    stays theirs, as when ``open`` writes into it. Where the system refuses (a group
    the writer is not in, a file system without owners), ``tmp`` keeps the writer's
    own: the write goes on. Call it before ``chmod``, which ``chown`` may narrow. With
    ``owner=False`` only the group is given (for a file still to be opened by name in a
    sticky folder such as ``/tmp``, where ``fs.protected_regular`` refuses root that open
    of a file another user owns).
    """
    if old is None or not hasattr(os, "chown"):
        return
    uid = old.st_uid if owner and os.geteuid() == 0 else -1
    with contextlib.suppress(OSError):  # EPERM: not a member (or not root); EINVAL: unmapped
        os.chown(tmp, uid, old.st_gid)


def _folder_writable(path: Path) -> bool:
    """Whether a file may be created in the folder of ``path`` (and renamed there)."""
    return os.access(path.parent, os.W_OK | os.X_OK)


def _named(error: OSError, path: Path) -> OSError:
    """Return ``error`` (of the temporary file) as the same error of the user's ``path``."""
    if error.errno is None:
        return error
    # OSError(errno, ...) makes the subclass of that errno (IsADirectoryError, ...)
    return OSError(error.errno, error.strerror, str(path))


def atomic_write_text(path, text: str, *, fsync: bool = True, streams: bool = True) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically (:func:`atomic_write`)."""
    data = text.encode()
    atomic_write(path, lambda f: f.write(data), fsync=fsync, streams=streams)
