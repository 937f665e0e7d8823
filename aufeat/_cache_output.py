"""The result matrix of a :meth:`FeatureCache.features` call, filled chunk by chunk.

Small results are arrays in memory; larger ones are ``.npy`` files in the cache's
results folder, written with ``pwrite`` and returned memory-mapped read-only
(unless the shards themselves can be mapped as the result: :mod:`aufeat._cache_mapped`). A
result file is named after its extractor and its list of images; a record beside
it lets a later request for the same list return it as it is (:meth:`Output.reuse`).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import math
import os
import threading

import numpy as np

from . import _cache_fill as _fill
from ._atomic import atomic_write_text, remove_stale_temps, temp_name
from ._cache_store import pwrite_pieces

__all__ = ["Output"]


def _runs(rows: np.ndarray):
    """Split sorted-or-not row indices into (start, stop) positions of consecutive runs."""
    breaks = np.flatnonzero(np.diff(rows) != 1) + 1
    edges = np.concatenate(([0], breaks, [len(rows)]))
    return itertools.pairwise(edges.tolist())


def write_rows(target, rows, data: np.ndarray) -> None:
    """Write ``data[i]`` into row ``rows[i]`` of the result file ``target``.

    ``target`` is :attr:`Output.target`: ``(path, offset, D, dtype)``. This is how
    a local worker puts its chunk into a memory-mapped result itself (instead of
    the parent reading the chunk back from its shard and writing it a second
    time); ``data`` has that dtype and width.
    """
    path, offset, d, dtype = target
    rows = np.asarray(rows, np.intp)
    row_bytes = d * np.dtype(dtype).itemsize
    fd = os.open(path, os.O_WRONLY)
    try:
        for a, b in _runs(rows):
            pwrite_pieces(fd, np.ascontiguousarray(data[a:b]), offset + int(rows[a]) * row_bytes)
    finally:
        os.close(fd)


class Output:
    """The (N, D) result, allocated once D is known.

    In memory, or, when larger than the cache's ``memmap_threshold``, a ``.npy``
    file written with ``pwrite`` (no page faults on a shared mapping) and
    returned memory-mapped read-only. :attr:`target` then names the file, so that
    local workers can write rows into it themselves (:func:`write_rows`).
    """

    def __init__(self, n: int, cache, name: str):
        self.n, self.cache, self.name = n, cache, name
        self.array, self.tmp, self.fd = None, None, None
        self.shape, self.dtype, self.offset = None, None, 0
        self._lock = threading.Lock()  # shards are copied in by several threads
        self._buffers = threading.local()
        #: ``(path, offset, D, dtype)`` of a memory-mapped result while it is being
        #: filled, else None (one tuple, replaced whole: other threads read it)
        self.target = None

    def _allocate(self, d: int, dtype) -> None:
        self.shape, self.dtype = (self.n, d), np.dtype(dtype)
        limit = self.cache.memmap_threshold
        if limit is None or math.prod(self.shape) * self.dtype.itemsize <= limit:
            self.array = np.empty(self.shape, dtype=dtype)
            return
        folder = self.cache.results_dir
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(folder)  # results a killed process left unfinished
        # named after its owner, so that a later call can tell it was left by a killed process
        self.tmp = temp_name(folder / f"{self.name}.npy")
        header = np.lib.format.open_memmap(self.tmp, mode="w+", dtype=dtype, shape=self.shape)
        self.offset = header.offset
        del header
        self.fd = os.open(self.tmp, os.O_RDWR)
        self.target = (str(self.tmp), self.offset, d, self.dtype.str)

    def abandon(self) -> None:
        """Close and delete an unfinished result file (the call failed or was interrupted)."""
        self.target = None
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                self.tmp.unlink()

    def widens(self, dtype) -> bool:
        """Whether rows of ``dtype`` would make :meth:`ensure` widen the allocated result."""
        return self.dtype is not None and np.result_type(self.dtype, dtype) != self.dtype

    def ensure(self, d: int, dtype) -> None:
        """Allocate for width ``d`` / widen to ``dtype`` (call before threads copy rows)."""
        with self._lock:
            if self.shape is None:
                self._allocate(d, dtype)
            elif np.result_type(self.dtype, dtype) != self.dtype:
                self._widen(np.result_type(self.dtype, dtype))

    def _widen(self, dtype) -> None:
        """Mixed float32/float64 inputs: move the rows so far into a wider result."""
        self.target = None  # rows workers still write into the old file are copied again
        old = self.array if self.fd is None else self._close_file()
        old_tmp = self.tmp
        self.array, self.tmp, self.fd = None, None, None
        self._allocate(old.shape[1], dtype)
        self._write(0, np.asarray(old, dtype=dtype))
        if old_tmp is not None:
            del old
            old_tmp.unlink()

    def _close_file(self):
        os.close(self.fd)
        return np.load(self.tmp, mmap_mode="r", allow_pickle=False)

    def _write(self, r0: int, block: np.ndarray) -> None:
        """Write consecutive rows starting at ``r0``."""
        if self.fd is None:
            self.array[r0:r0 + len(block)] = block
            return
        block = np.ascontiguousarray(block, dtype=self.dtype)
        pwrite_pieces(self.fd, block, self.offset + r0 * self.shape[1] * self.dtype.itemsize)

    def put(self, rows: np.ndarray, data: np.ndarray, srows: np.ndarray) -> None:
        """Copy ``data[srows]`` into ``rows`` (block copies for consecutive runs)."""
        if data.shape[1] == 0 or len(rows) == 0:
            return  # every image of that chunk failed: the rows become NaN at the end
        self.ensure(data.shape[1], data.dtype)
        _fill.check_width(self.shape[1], data.shape[1])
        if self.fd is None and len(rows) > 1 and not np.all(np.diff(rows) == 1):
            self.array[rows] = data[srows]
            return
        for a, b in _runs(rows):
            if srows[b - 1] - srows[a] == b - a - 1:
                self._write(int(rows[a]), data[srows[a]:srows[b - 1] + 1])
            else:
                self._write(int(rows[a]), data[srows[a:b]])

    def rows_holding(self, rows: np.ndarray, srows: np.ndarray, data: np.ndarray) -> np.ndarray:
        """Return the in-memory result's rows that ``data`` was just put into, else ``data``.

        A view of the result when ``data`` went, row after row, into consecutive rows.
        """
        n = len(data)
        if (self.array is None or len(rows) != n or n == 0 or data.dtype != self.dtype
                or rows[-1] - rows[0] != n - 1 or not np.array_equal(srows, np.arange(n))
                or not np.all(np.diff(rows) == 1)):
            return data
        return self.array[rows[0]:rows[0] + n]

    def read_run(self, store, sid: str, meta: dict, r0: int, verify: bool = True) -> None:
        """Read a whole shard into rows ``r0:r0 + n`` (no intermediate array in memory mode)."""
        n = meta["shape"][0]
        if self.fd is None:
            store.read_into(sid, meta, self.array[r0:r0 + n], verify=verify)
            return
        size = n * self.shape[1] * self.dtype.itemsize
        buf = getattr(self._buffers, "buf", None)
        if buf is None or len(buf) < size:
            buf = self._buffers.buf = bytearray(size)
        block = np.frombuffer(buf, dtype=self.dtype, count=n * self.shape[1])
        block = block.reshape(n, self.shape[1])
        store.read_into(sid, meta, block, verify=verify)
        self._write(r0, block)

    def _final(self, fps: list):
        """Path of the result file of this list of images (one per extractor and list)."""
        digest = hashlib.blake2b("\n".join(map(str, fps)).encode(), digest_size=10).hexdigest()
        return self.cache.results_dir / f"{self.name}-{digest}.npy"

    def reuse(self, fps: list, d: int, dtype, stats):
        """Return the memory-mapped result a previous call left for this list, or None.

        The caller has checked that the store still holds every image of ``fps``
        with width ``d`` (as ``dtype``). The file is reused when its record
        (written after the file was complete and held no row left unfilled by an
        unreadable file) matches the shape and dtype and was written since the
        machine last started: a process killed after the rename loses nothing,
        but a power cut can, so after a restart the result is assembled again
        from the checksummed shards.
        """
        limit, boot = self.cache.memmap_threshold, _boot_id()
        dtype = np.dtype(dtype)
        if limit is None or len(fps) * d * dtype.itemsize <= limit or boot is None:
            return None
        final = self._final(fps)
        try:
            with open(final.with_suffix(".json"), "rb") as f:
                record = json.loads(f.read())
            X = np.load(final, mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError):
            return None
        expected = {"format": 1, "shape": [len(fps), d], "dtype": dtype.str, "boot_id": boot}
        if record != expected or list(X.shape) != expected["shape"] or X.dtype != dtype:
            return None
        stats.result_path = str(final)
        return X

    def finish(self, unfilled: np.ndarray, fps: list, stats, reusable: bool = False):
        """Return the result; NaN in ``unfilled`` rows.

        ``reusable``: every row was filled (or is a stored failure), so a later call
        for the same list may return the same memory-mapped file (:meth:`reuse`).
        """
        if self.shape is None:
            self._allocate(0, np.float64)
        if self.fd is None:
            self.array[unfilled] = np.nan
            return self.array
        rows = np.flatnonzero(unfilled)
        if len(rows):
            self.put(rows, np.full((len(rows), self.shape[1]), np.nan, self.dtype),
                     np.arange(len(rows)))
        self.target = None
        os.close(self.fd)
        self.fd = None
        # one file per (extractor, list of images): a repeated request replaces its old
        # result (processes still mapping the old one keep it until they let go); its
        # record goes first and comes back only once the new file is in place
        final = self._final(fps)
        record = final.with_suffix(".json")
        with contextlib.suppress(FileNotFoundError):
            record.unlink()
        os.replace(self.tmp, final)
        boot = _boot_id()
        if reusable and boot is not None:
            text = json.dumps({"format": 1, "shape": list(self.shape), "dtype": self.dtype.str,
                               "boot_id": boot})
            atomic_write_text(record, text, fsync=False)
        stats.result_path = str(final)
        return np.load(final, mmap_mode="r", allow_pickle=False)


def _boot_id() -> str | None:
    """Return the id of the running boot (Linux), or None; results are reused within one."""
    try:
        with open("/proc/sys/kernel/random/boot_id") as f:
            return f.read().strip() or None
    except OSError:
        return None
