"""Large results without a second copy: the shards' own files mapped side by side.

A cold fill writes every feature into its shard. Copying the rows once more into
a result file doubled the bytes written, and on a 2-core machine writing is
what kept two workers from being twice as fast as one (issue 5: 3.7 GB of new
page cache for 20,000 HOG rows, 0.5-0.8 us per KB). When the shards of a request
hold its rows in order, each a whole number of memory pages, the result is made
of the shard files themselves: their data is mapped read-only, one file after
the other, into one address range. Nothing is copied, and the pages are the
page cache's own (no second copy in memory either).

For that, the data of a shard of at least :data:`ALIGN_MIN_BYTES` starts at a
page boundary of its ``.npy`` file (:func:`npy_header` pads the header with
spaces, which the format allows; ``np.load`` reads such files as any other).

Linux only (``mmap`` with ``MAP_FIXED`` through ctypes). Elsewhere, and whenever
the shards do not line up (rows of cached shards in another order, unreadable
files, widths whose chunks are not whole pages), the result is a file as before
(:mod:`aufeat._cache_output`).

A mapping stays valid when its files are deleted (``aufeat cache clear``) or
replaced (shards are renamed into place, never rewritten in place); only a file
truncated by something else while it is mapped would fault on access.
"""

from __future__ import annotations

import ctypes
import functools
import mmap
import os
import sys

import numpy as np

from ._cache_store import CorruptShardError, crc32
from ._npy import ALIGN_MIN_BYTES, PAGE, check_header

__all__ = ["ALIGN_MIN_BYTES", "PAGE", "MappedFill", "available", "map_cached", "map_shards",
           "tile"]

_MAP_FIXED = 0x10  # the same on every Linux architecture
_PROT_NONE = 0


@functools.cache
def _libc():
    if not sys.platform.startswith("linux") or sys.maxsize < 2**32:
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.mmap.restype = ctypes.c_void_p
        libc.mmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                              ctypes.c_int, ctypes.c_long)
        for name in ("munmap", "mprotect"):
            getattr(libc, name).restype = ctypes.c_int
        libc.munmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t)
        libc.mprotect.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    except (OSError, AttributeError):  # pragma: no cover
        return None
    return libc


def available() -> bool:
    """Whether shards can be mapped side by side here (Linux, 64-bit)."""
    return _libc() is not None


class _Mapping:
    """Owns one address range; numpy arrays over it keep it alive (``arr.base``)."""

    def __init__(self, length: int):
        libc = _libc()
        addr = libc.mmap(None, length, _PROT_NONE, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, -1, 0)
        if addr in (None, ctypes.c_void_p(-1).value):
            raise OSError(ctypes.get_errno(), "cannot reserve address space for the result")
        self.addr, self.length = addr, length

    def place(self, pos: int, nbytes: int, fd: int, offset: int) -> None:
        """Map ``nbytes`` of file ``fd`` from ``offset`` at ``pos`` (page-aligned) read-only."""
        want = self.addr + pos
        got = _libc().mmap(want, nbytes, mmap.PROT_READ, mmap.MAP_SHARED | _MAP_FIXED, fd, offset)
        if got != want:
            raise OSError(ctypes.get_errno(), "cannot map a shard into the result")

    def read(self, pos: int, nbytes: int, fd: int, offset: int) -> None:
        """Read ``nbytes`` of file ``fd`` from ``offset`` into the range at (aligned) ``pos``."""
        libc, length = _libc(), -(-nbytes // PAGE) * PAGE
        if libc.mprotect(self.addr + pos, length, mmap.PROT_READ | mmap.PROT_WRITE):
            raise OSError(ctypes.get_errno(), "cannot make room for a shard in the result")
        view = memoryview((ctypes.c_char * nbytes).from_address(self.addr + pos)).cast("B")
        got = 0
        while got < nbytes:
            done = os.preadv(fd, [view[got:]], offset + got)
            if not done:
                raise OSError(0, "truncated")
            got += done
        libc.mprotect(self.addr + pos, length, mmap.PROT_READ)

    def array(self, shape, dtype) -> np.ndarray:
        self.__array_interface__ = {"shape": tuple(shape), "typestr": np.dtype(dtype).str,
                                    "data": (self.addr, True), "version": 3}
        return np.asarray(self)

    def __del__(self):
        if getattr(self, "addr", None):
            _libc().munmap(self.addr, self.length)
            self.addr = None


def _data_bytes(meta) -> int:
    """Bytes of a shard's data, from its sidecar's shape and dtype."""
    return int(np.prod(meta["shape"])) * np.dtype(meta["dtype"]).itemsize


def _open_data(path, meta) -> tuple[int, int]:
    """Open a shard and check its header; return ``(fd, offset of the data)``."""
    fd = None
    try:
        fd = os.open(path, os.O_RDONLY)
        with os.fdopen(os.dup(fd), "rb", buffering=0) as f:
            check_header(f, meta)
            offset = f.tell()
        if os.fstat(fd).st_size < offset + _data_bytes(meta):
            raise ValueError("truncated")
    except (OSError, ValueError) as err:
        if fd is not None:
            os.close(fd)
        raise CorruptShardError(f"shard {path} cannot be read: {err}") from err
    return fd, offset


def tile(fps: list, candidates) -> list | None:
    """Shards whose rows are ``fps`` in order, one after the other; None if there are none.

    ``candidates(fp)`` yields ``(sid, meta)`` of shards whose first row is ``fp``.
    """
    pieces, r = [], 0
    while r < len(fps):
        fp = fps[r]
        if fp is None:
            return None
        for sid, meta in candidates(fp):
            n = meta["shape"][0]
            if n and meta["fingerprints"] == fps[r:r + n]:
                pieces.append((sid, meta))
                r += n
                break
        else:
            return None
    return pieces


def _lines_up(pieces) -> bool:
    """Check that the pieces share width and dtype, all but the last whole pages."""
    if not pieces or not available():
        return False
    d, dtype = pieces[0][1]["shape"][1], pieces[0][1]["dtype"]
    return (d > 0 and all(m["shape"][1] == d and m["dtype"] == dtype for _, m in pieces)
            and all(_data_bytes(m) % PAGE == 0 for _, m in pieces[:-1]))


def map_shards(directory, pieces, *, verify) -> np.ndarray | None:
    """Map the data of ``pieces`` (``(sid, meta)`` in row order) as one read-only array.

    Returns None when they do not line up (:func:`_lines_up`). A shard whose data
    does not start at a page boundary of its file (a small one, see
    :data:`ALIGN_MIN_BYTES`, or one written before shards were aligned) is read
    into the range instead of mapped. ``verify`` (True, or a set of shard ids):
    those shards' CRC-32 is checked on the mapped bytes; read ones always are.

    Raises
    ------
    CorruptShardError
        A shard is unreadable, truncated or fails its checksum.
    """
    if not _lines_up(pieces):
        return None
    d, dtype = pieces[0][1]["shape"][1], np.dtype(pieces[0][1]["dtype"])
    n = sum(m["shape"][0] for _, m in pieces)
    mapping = _Mapping(-(-n * d * dtype.itemsize // PAGE) * PAGE)
    pos, checks = 0, []
    for sid, meta in pieces:
        path = os.path.join(directory, f"{sid}.npy")
        fd, offset = _open_data(path, meta)
        nbytes = _data_bytes(meta)  # widths and dtypes agree (_lines_up)
        try:
            if offset % PAGE == 0:
                mapping.place(pos, nbytes, fd, offset)
            else:
                mapping.read(pos, nbytes, fd, offset)
        except OSError as err:
            raise CorruptShardError(f"shard {path} cannot be read: {err}") from err
        finally:
            os.close(fd)
        if (verify is True or sid in (verify or ())) or offset % PAGE:
            checks.append((pos // (d * dtype.itemsize), sid, meta))
        pos += nbytes
    X = mapping.array((n, d), dtype)
    for r, sid, meta in checks:
        if crc32(X[r:r + meta["shape"][0]]) != meta["crc32"]:
            raise CorruptShardError(f"shard {sid} fails its CRC-32 check (contents changed)")
    return X


class MappedFill:
    """The shards a cold fill writes, recorded to be mapped side by side at the end.

    Decided on the first chunk back (:meth:`takes`): the result must be larger
    than the cache's ``memmap_threshold``, and a full chunk of ``chunk_rows`` rows
    a whole number of pages. Until then, and when not, rows go into a result as
    before. When the shards do not tile the request in the end (an unreadable
    file, a chunk of another width or dtype), :meth:`settle` copies their rows
    into the result after all.
    """

    def __init__(self, n_rows: int, threshold: int, chunk_rows: int):
        self.n_rows, self.threshold, self.chunk_rows = n_rows, threshold, chunk_rows
        self.on: bool | None = None
        self.recorded: list = []  # (sid, meta, result rows, shard rows, verify)

    def takes(self, d: int, dtype) -> bool:
        """Whether chunks of width ``d`` and ``dtype`` are recorded instead of copied."""
        if self.on is None:
            row = d * np.dtype(dtype).itemsize
            self.on = bool(d > 0 and self.n_rows * row > self.threshold
                           and self.chunk_rows * row >= ALIGN_MIN_BYTES
                           and (self.chunk_rows * row) % PAGE == 0)
        return self.on

    def record(self, sid: str, meta: dict, rows, srows, verify: bool = False) -> None:
        """Keep a written shard (its rows are marked done by the caller).

        ``verify``: not written by this call (another process did), so its CRC-32 is
        checked when it is mapped or copied.
        """
        self.recorded.append((sid, meta, rows, srows, verify))

    def settle(self, job):
        """Map the recorded shards as ``job``'s result; else copy them into ``job.out``.

        Returns ``(array or None, corrupt shards)``. Rows of a shard that cannot be
        read are marked to do again, so that the caller's next round computes them.
        """
        if not self.on:
            return None, []
        self.on = False  # whatever happens, later chunks go into the result
        recorded, self.recorded = self.recorded, []
        verify = {r[0] for r in recorded if r[4]}
        if not job.todo.any():
            first: dict = {}
            for sid, meta, *_ in recorded:
                if meta["fingerprints"]:
                    first.setdefault(meta["fingerprints"][0], []).append((sid, meta))
            pieces = tile(job.fps, lambda fp: first.get(fp, ()))
            try:  # the shards this call wrote are not checked again (their CRCs were
                # computed from the same bytes a moment ago), as when rows are copied
                X = None if pieces is None else map_shards(job.store.directory, pieces,
                                                           verify=verify)
            except OSError:  # CorruptShardError, or no address space: copy the rows
                X = None
            if X is not None:
                job.stats.n_mapped_shards = len(pieces)
                return X, []
        corrupt = []
        for sid, meta, rows, srows, check in recorded:
            try:
                data = job.store.load_shard(sid, meta, verify=check)
            except CorruptShardError as err:
                job.todo[rows] = True
                corrupt.append((sid, str(err)))
                continue
            job.out.put(rows, data, srows)
        return None, corrupt


def map_cached(store, index, fps: list):
    """Map the cached shards that hold ``fps`` in order (checked); ``(array, shards)`` or None."""
    def starting_with(fp):
        sid, row = index.locations[fp]
        return [(sid, index.shards[sid])] if row == 0 else []

    if not available() or any(fp not in index.locations for fp in fps):
        return None
    pieces = tile(fps, starting_with)
    try:
        X = None if pieces is None else map_shards(store.directory, pieces, verify=True)
    except OSError:  # CorruptShardError: the rows are copied instead, which reports and
        return None  # discards the shard
    return None if X is None else (X, len(pieces))
