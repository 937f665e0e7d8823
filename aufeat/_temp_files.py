"""Temporary files of atomic writes: their names, and the removal of those killed processes left."""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import threading
import uuid
from pathlib import Path

__all__ = ["remove_stale_temps", "remove_stale_temps_of", "temp_name"]


def _legacy_host() -> str:
    """Return the older host tag: the host name's letters and digits, cut (not injective)."""
    return "".join(c for c in socket.gethostname() if c.isalnum())[:32] or "host"


def _host() -> str:
    """Return this machine's tag in temporary file names: ``PREFIX-HASH``.

    ``PREFIX`` is the host name's first letters and digits (readable only);
    ``HASH`` 16 hex digits of the SHA-256 of the exact host name and of this
    process' PID namespace, so two machines (``ip-10-0-1-23`` and ``ip-10-0-12-3``)
    or two containers sharing a host name but not their PIDs never share a tag.
    It holds no ``.`` or ``~``, which separate the parts of a temporary name.
    """
    name = socket.gethostname()
    try:  # containers on one host name each have their own PIDs
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:  # not Linux: the host name alone
        namespace = 0
    digest = hashlib.sha256(f"{name}\0{namespace}".encode(errors="surrogatepass")).hexdigest()
    prefix = "".join(c for c in name if c.isascii() and c.isalnum())[:16] or "host"
    return f"{prefix}-{digest[:16]}"


def _owner() -> str:
    """``HOST.PID`` of this process, as it appears in the names of its temporary files."""
    return f"{_host()}.{os.getpid()}"


#: Longest NAME (in UTF-8 bytes) kept whole in a temporary name: with the owner (up to
#: 44 bytes), the random part and a suffix such as ``.keras``, it stays within the 255
#: bytes file systems allow a name.
_NAME_BYTES = 160


def _temp_stem(name: str) -> str:
    """Return ``name`` as temporary names hold it: whole, or cut with a hash when long.

    A name over ``_NAME_BYTES`` bytes becomes its first 120 bytes (whole characters)
    and 16 hex digits of the SHA-256 of the full name, so that its temporary name
    fits where the name itself does; it depends on the name only, so that
    :func:`remove_stale_temps` finds the files of every process writing it.

    Examples
    --------
    >>> _temp_stem("results.csv")
    'results.csv'
    >>> len(_temp_stem("x" * 250 + ".csv"))
    137
    """
    def size(text: str) -> int:  # undecodable bytes (surrogates) counted high: safe
        return len(text.encode("utf-8", "surrogatepass"))

    if size(name) <= _NAME_BYTES:
        return name
    cut = used = 0
    for char in name:
        if used + size(char) > 120:
            break
        used += size(char)
        cut += 1
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{name[:cut]}-{digest}"


def temp_name(path, suffix: str = "") -> Path:
    """Name of a temporary file for ``path`` in its folder: ``.NAME~HOST.PID~RANDOM.tmp``.

    The owner in the name lets :func:`remove_stale_temps` tell the files of
    killed processes from those being written right now. ``suffix`` is appended
    for writers that insist on one (Keras saves only to ``*.keras``). A NAME over
    160 bytes is cut, with a hash of the whole name, so that the temporary name
    stays within the 255 bytes a file name may have.
    """
    path = Path(path)
    stem = _temp_stem(path.name)
    return path.with_name(f".{stem}~{_owner()}~{uuid.uuid4().hex}.tmp{suffix}")


def _is_temp(file: str, start: str) -> bool:
    """Whether ``file`` is named as :func:`temp_name` names them (``.tmp`` + any suffix)."""
    if not file.startswith(start) or file.count("~") < 2:
        return False
    last = file.rsplit("~", 1)[1]
    return last.endswith(".tmp") or ".tmp." in last


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    except OverflowError:  # no process has such a number: not a file of ours, leave it
        return True
    return True


def remove_stale_temps(folder, name: str | None = None) -> list:
    """Delete the temporary files in ``folder`` of processes of this machine that are gone.

    A process killed while writing (SIGKILL, SIGTERM, a crash) leaves its temporary
    file; files of running processes, and of other machines sharing the folder, stay.

    Parameters
    ----------
    folder : str or Path
    name : str, optional
        Only the temporary files of the file of this name (``.NAME~...``); all by default.

    Returns
    -------
    list of Path
        The files removed.
    """
    names = None if name is None else _targets(name)
    starts = ("." if names is None else tuple(f"{n}~" for n in names))
    with os.scandir(folder) as entries:  # names only: a write may call this in a big folder
        stale = [e.name for e in entries if any(_is_temp(e.name, s) for s in starts)]
    return _remove_gone(folder, [f for f in stale if names is None or _target(f) in names])


def _targets(name: str) -> set[str]:
    """Return how temporary files of ``name`` begin, ``.NAME``, in both spellings.

    Cut as :func:`temp_name` cuts a long name, and whole, as aufeat before the cut wrote it.
    """
    return {f".{name}", f".{_temp_stem(name)}"}


def _target(file: str) -> str:
    """``.NAME`` of a temporary file ``.NAME~HOST.PID~RANDOM.tmp`` (NAME may hold a '~')."""
    return file.rsplit("~", 2)[0]


def _remove_gone(folder, files) -> list:
    """Delete those temporary ``files`` in ``folder`` whose process (of this machine) is gone."""
    hosts = {_host(), _legacy_host()}  # named by _host(), or by the tag of aufeat before it
    removed = []
    for file in files:
        owner_host, _, pid = file.rsplit("~", 2)[1].rpartition(".")
        if owner_host in hosts and pid.isdigit() and not _running(int(pid)):
            # gone already; another user's, in a shared folder this user only reads; a
            # folder mounted read-only (EROFS): left, a reader is not stopped by it
            with contextlib.suppress(OSError):
                (Path(folder) / file).unlink()
                removed.append(Path(folder) / file)
    return removed


class _Scan:
    """The temporary files a scan of one folder found, by ``.NAME``, and the writes since."""

    __slots__ = ("entries", "temps", "writes")

    def __init__(self, folder) -> None:
        self.temps: dict[str, list[str]] = {}
        self.entries = self.writes = 0
        with os.scandir(folder) as found:
            for entry in found:
                self.entries += 1
                if _is_temp(entry.name, "."):
                    self.temps.setdefault(_target(entry.name), []).append(entry.name)

    def fresh(self) -> bool:
        """Whether the folder need not be scanned again yet: a scan per 1/8 of its entries."""
        return self.writes < self.entries // 8


_SCANS: dict[tuple[int, int, str], _Scan] = {}  # by the folder's device, inode and name
_SCANS_LOCK = threading.Lock()  # held for dict work only: never while a folder is scanned


def _after_fork() -> None:
    """Give a forked child its own lock (a thread of its parent may have held the copy)."""
    global _SCANS_LOCK
    _SCANS_LOCK = threading.Lock()
    _SCANS.clear()


if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
    os.register_at_fork(after_in_child=_after_fork)


def remove_stale_temps_of(path) -> list:
    """Delete the temporary files of ``path`` that processes of this machine left when killed.

    As ``remove_stale_temps(path.parent, path.name)``, for a write of ``path``, but the
    folder is scanned again only after as many writes into it as an eighth of the entries
    it held (a folder of fewer than 16 entries at every write). Each write of many into one
    folder (8,000 crops, a manifest's images) scanning all the others would take time
    growing with the square of their number; this takes time growing with it. A
    temporary file a process killed meanwhile leaves is removed after the next scan.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> remove_stale_temps_of(folder / "results.csv")
    []
    """
    path = Path(path)
    folder = path.parent
    info = os.stat(folder)
    names = _targets(path.name)
    key = (info.st_dev, info.st_ino, str(folder))
    with _SCANS_LOCK:
        scan = _SCANS.get(key)
        stale = scan is None or not scan.fresh()
    if stale:  # scanned outside the lock: other threads' writes go on meanwhile
        scan = _Scan(folder)
    with _SCANS_LOCK:
        if stale:
            _SCANS[key] = scan
        scan.writes += 1
        files = [file for name in names for file in scan.temps.pop(name, [])]
    return _remove_gone(folder, files)
