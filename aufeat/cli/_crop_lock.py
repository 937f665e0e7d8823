"""One ``aufeat crop`` run at a time per output folder: a lock on ``OUT/.aufeat-crop.lock``.

A run reads the earlier run's list of crops, removes the crops of inputs it leaves
out and replaces ``landmarks.csv``; a second run into the same OUT while the first
still writes would take the first one's crops for an earlier run's and remove them.
The lock (``fcntl.flock``, released by the system when the process ends, even when
killed) makes the second run refuse instead. Where there is no ``fcntl`` (Windows),
or the file system has no locks, there is no lock. ``aufeat-bench run`` takes a lock of
its own name while it writes its outputs, waiting for another run's writing to end
(``wait=True``): two runs into one OUT leave one run's files, never a mix.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

__all__ = ["BENCH_LOCK", "LOCK", "OutLock", "bench_writing", "check_lock_file", "lock_out",
           "unlock_out"]

LOCK = ".aufeat-crop.lock"  # hidden: no crop, no user file; removed when the run ends
BENCH_LOCK = ".aufeat-bench.lock"  # held while aufeat-bench writes OUT; removed after


def lock_out(out: Path, *, name: str = LOCK, command: str = "aufeat crop",
             clash: str = "two runs into one folder would remove each other's crops",
             wait: bool = False) -> int | None:
    """Lock the folder ``out`` for this run; return the lock's descriptor (None: no lock).

    The lock file (``name``) holds the PID of the run, named when another run is
    refused (``command``, ``clash``: what the message says). A lock file left by a
    killed run is not held: it is taken over. ``wait``: wait while another run holds it.

    Raises OutputConflictError while another run holds the lock; OSError when the lock
    file cannot be made (a folder that cannot be written into).
    """
    try:
        import fcntl
    except ImportError:  # Windows: no lock (docs/safety.md says so)
        return None
    from ._paths import OutputConflictError

    path = out / name
    while True:
        opened = _open(path)
        if opened is None:  # removed between two tries: made again
            continue
        fd, writable, created = opened
        if not stat.S_ISREG(mode := os.fstat(fd).st_mode):  # a pipe (os.read would wait)
            os.close(fd)
            raise _not_a_lock_file(path, mode)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            pid = _live_pid(os.read(fd, 20))
            os.close(fd)
            raise OutputConflictError(
                f"{out} is in use by another {command} run{f' (PID {pid})' if pid else ''}: "
                f"{clash}; wait for it to finish, or choose another --out") from None
        except OSError:
            os.close(fd)
            if not writable:  # NFS locks only a file open for writing (EBADF)
                raise OutputConflictError(
                    f"{path} is another user's, and this file system locks only files "
                    f"one may write: if no {command} run is using {out}, remove it (or ask "
                    "its owner to), or choose another --out") from None
            if created:  # a file system without locks (ENOLCK, EOPNOTSUPP): no lock, and
                with contextlib.suppress(OSError):  # no lock file of ours left behind
                    os.unlink(path)
            return None
        try:  # the run that held it may have ended and removed it since it was opened
            same = os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False))
        except FileNotFoundError:
            same = False
        if same:
            if writable:
                try:
                    os.ftruncate(fd, 0)
                    os.write(fd, str(os.getpid()).encode())
                except OSError as err:  # a full disk: not held by a lost descriptor
                    if created:
                        with contextlib.suppress(OSError):
                            os.unlink(path)
                    os.close(fd)
                    raise OSError(f"could not write {path} ({err.strerror})") from None
            return fd
        os.close(fd)


def check_lock_file(path: Path) -> None:
    """Refuse a lock file that is no regular file (a pipe, a device, a link), before any work."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:  # none yet (or OUT not made): made when the run writes
        return
    if not stat.S_ISREG(mode):
        raise _not_a_lock_file(path, mode)


def _not_a_lock_file(path: Path, mode: int):
    """Return the refusal of a lock file of ``mode`` that is no regular file (a link...)."""
    from ._paths import OutputConflictError

    kind = ("a link, not a lock file aufeat made" if stat.S_ISLNK(mode)
            else "not a file aufeat made (a pipe or a device)")
    return OutputConflictError(f"{path} is {kind}: remove it, then run again")


def _open(path: Path):
    """Open the lock file: ``(fd, writable, created)``; None if it went meanwhile.

    Made 0666 less the umask (a group's OUT); another user's is opened read-only,
    as a lock needs no write access (but on NFS).
    """
    # never through a link; a pipe opened without waiting for a writer
    flags = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | flags, 0o666), True, True
    except FileExistsError:
        pass
    try:
        try:
            return os.open(path, os.O_RDWR | flags), True, False
        except PermissionError:
            return os.open(path, os.O_RDONLY | flags), False, False
    except FileNotFoundError:
        return None
    except OSError as err:
        if err.errno != errno.ELOOP:  # O_NOFOLLOW's refusal of a link
            raise
        raise _not_a_lock_file(path, stat.S_IFLNK) from None


def _live_pid(text: bytes) -> str:
    """Return the PID a lock file names if that process lives here, else "".

    A killed run's PID stays in its lock file when another user's run, which could not
    write its own, took it over: not named as the run holding OUT.
    """
    pid = text.decode("ascii", "replace").strip()
    if not pid.isdigit():
        return ""
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return ""
    except OSError:  # another user's process: alive
        pass
    return pid


def unlock_out(out: Path, fd: int | None, name: str = LOCK) -> None:
    """Remove the lock file (while still held: no run takes a removed file) and release it."""
    if fd is None:
        return
    with contextlib.suppress(OSError):
        os.unlink(out / name)
    os.close(fd)


@contextlib.contextmanager
def bench_writing(out: Path):
    """Hold ``OUT/.aufeat-bench.lock`` while an ``aufeat-bench`` run writes its outputs.

    Another run writing into OUT is waited for (a few seconds): its files, then this
    run's, never a mix of the two (each removes the earlier run's files first).
    """
    fd = lock_out(out, name=BENCH_LOCK, command="aufeat-bench", wait=True,
                  clash="two runs would mix their files")
    try:
        yield
    finally:
        unlock_out(out, fd, BENCH_LOCK)


class OutLock:
    """The lock of a run's OUT: taken once (:meth:`take`), released and removed by :meth:`free`."""

    def __init__(self, out: Path):
        self.out, self.fd, self.taken = out, None, False

    def take(self) -> None:
        """Take the lock (see :func:`lock_out`), once."""
        if not self.taken:
            self.fd, self.taken = lock_out(self.out), True

    def take_if_there(self) -> None:
        """Take the lock if OUT is a folder: before its lists are read (no running run's).

        A folder that cannot be written into is left to the output checks to name.
        """
        with contextlib.suppress(OSError):  # not OutputConflictError: a ValueError
            if self.out.is_dir():  # (raises for a name too long, on Python 3.11)
                self.take()

    def take_made(self, unchanged) -> None:
        """Take the lock, if not yet taken, once OUT is made (or found not writable before).

        ``unchanged()``: whether OUT's lists of crops are still those the run read
        unlocked; not so when another run began and ended meanwhile: refused.
        """
        from ._paths import OutputConflictError

        if not self.taken:
            self.take()
            if not unchanged():
                raise OutputConflictError(f"{self.out} was written by another aufeat crop "
                                          "run while this one started; run it again")

    def free(self) -> None:
        """Release the lock and remove its file (nothing if it was not taken)."""
        unlock_out(self.out, self.fd)
        self.fd = None
