"""The ``(N, D)`` result of a request: in memory, or a memory-mapped ``.npy`` file when large.

A file is written with ``pwrite`` under a temporary name, renamed to ``<extractor
folder>-<digest of the list of images>.npy`` and returned as a read-only ``np.memmap``.
In a first fill (no row cached yet), the file is a *pack* instead: created under its final
name in the extractor's folder, where the shards of the new rows are written straight
into it (one write per row), and hard-linked into the results folder when done. A pack
no shard was written into (its chunks were sent out before it existed, or float64 rows
replaced it by widening the result) is then deleted: the result keeps its results name.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import threading
import time
from pathlib import Path

import numpy as np

from .._atomic import atomic_write_text, remove_stale_temps, temp_name
from .._json import loads
from ._files import open_regular, read_regular
from .errors import ImageSizeError
from .store import pwrite_pieces, shard_id

__all__ = ["Output"]


class Output:
    """``n`` rows of one width (a request's or a chunk's); a file in ``folder`` above ``limit``."""

    def __init__(self, n: int, limit=None, folder=None, name: str = ""):
        self.n, self.limit, self.folder, self.name = n, limit, folder, name
        self.pack: Path | None = None  # set: a large result is this pack (module docstring)
        self.array = self.tmp = self.fd = self.shape = self.dtype = self.who = self.path = None
        self.offset = 0
        self._lock = threading.Lock()
        self._packs: dict = {}  # each pack this result created -> a shard is known to use it
        self._since = time.time_ns()  # sidecars older than this point to no pack of ours

    def _large(self, d: int, dtype) -> bool:
        return self.limit is not None and self.n * d * np.dtype(dtype).itemsize > self.limit

    def _allocate(self, d: int, dtype) -> None:
        self.shape, self.dtype = (self.n, d), np.dtype(dtype)
        if not self._large(d, dtype):
            self.array = np.empty(self.shape, dtype)
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(self.folder)  # results killed processes left unfinished
        self.tmp = temp_name(self.pack or self.folder / f"{self.name}.npy")
        fmt = np.lib.format
        # a new file, kept open: never reopened by a name a link may have replaced meanwhile
        self.fd = os.open(self.tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL
                          | getattr(os, "O_BINARY", 0), 0o666)
        with open(self.fd, "wb", closefd=False) as f:
            fmt.write_array_header_1_0(f, {"descr": fmt.dtype_to_descr(self.dtype),
                                           "fortran_order": False, "shape": self.shape})
            self.offset = f.tell()
            f.truncate(self.offset + math.prod(self.shape) * self.dtype.itemsize)
        if self.pack is not None:  # whole before its name appears: workers write into it
            self.tmp = self.tmp.replace(self.pack)
            self._packs[self.pack] = False

    def holds(self, meta: dict) -> bool:
        """Whether a shard's rows were written into this result file (a pack) directly.

        Also notes that the pack a shard points to (this one, or one a widening
        replaced) is in use: it stays when the result is finished.
        """
        name = meta.get("pack")
        with self._lock:
            for pack in self._packs:
                if pack.name == name:
                    self._packs[pack] = True
        return self.pack is not None and name == self.pack.name

    def ensure(self, d: int, dtype, who: str) -> None:
        """Allocate for width ``d``, or widen to ``dtype``; ``who`` names the rows in errors.

        Integer and bool rows are held as float (``np.result_type(dtype, np.float32)``),
        so that a failed row can be NaN.
        """
        if np.dtype(dtype).kind in "biu":
            dtype = np.result_type(dtype, np.float32)
        with self._lock:
            if self.shape is None:
                self._allocate(d, dtype)
                self.who = who
            elif d != self.shape[1]:
                raise ImageSizeError.between(self.who, self.shape[1], who, d)
            elif np.result_type(self.dtype, dtype) != self.dtype:  # float32 and float64 rows
                old, old_tmp = self.array, self.tmp
                if self.fd is not None:
                    os.close(self.fd)
                    old = np.load(old_tmp, mmap_mode="r", allow_pickle=False)
                self.array = self.fd = None
                kept, self.pack = self.pack, None  # a pack stays: shards point into it
                self._allocate(d, np.result_type(self.dtype, dtype))
                self._write(0, np.asarray(old, self.dtype))
                if old_tmp is not None and old_tmp != kept:
                    del old
                    old_tmp.unlink()

    def _write(self, r0: int, block: np.ndarray) -> None:
        """Write consecutive rows from ``r0`` on."""
        if self.fd is None:
            self.array[r0:r0 + len(block)] = block
        else:
            block = np.ascontiguousarray(block, dtype=self.dtype)
            pwrite_pieces(self.fd, block, self.offset + r0 * self.shape[1] * self.dtype.itemsize)

    def put(self, rows: np.ndarray, data: np.ndarray, srows: np.ndarray) -> None:
        """Copy ``data[srows]`` into ``rows`` (after :meth:`ensure`)."""
        if self.fd is None and len(rows) > 1 and not np.all(np.diff(rows) == 1):
            self.array[rows] = data[srows]
            return
        starts = (np.flatnonzero(np.diff(rows) != 1) + 1).tolist()  # of consecutive runs
        for a, b in itertools.pairwise([0, *starts, len(rows)]) if len(rows) else ():
            in_order = srows[b - 1] - srows[a] == b - a - 1
            self._write(int(rows[a]), data[srows[a]:srows[b - 1] + 1] if in_order
                        else data[srows[a:b]])

    def _final(self, fps: list):
        return self.folder / f"{self.name}-{shard_id(map(str, fps))}.npy"

    def _record(self, shape, dtype) -> str | None:
        """Return the record that lets a later call reuse the file; None without a boot id."""
        try:  # a power cut can lose a file's data: nothing is reused across boots
            boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        except OSError:
            return None
        return json.dumps({"format": 1, "shape": list(shape), "dtype": np.dtype(dtype).str,
                           "boot_id": boot}) if boot else None

    def reuse(self, fps: list, d: int, dtype):
        """Return the file an earlier call made for this list, if its record matches (same boot)."""
        expected = self._record((len(fps), d), dtype)
        if not self._large(d, dtype) or expected is None:
            return None
        final = self._final(fps)
        try:
            found = loads(read_regular(final.with_suffix(".json")))
            with open_regular(final):  # no pipe (np.load would wait on it)
                pass
            X = np.load(final, mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError):
            return None
        if found != json.loads(expected) or X.shape != (len(fps), d) or X.dtype != dtype:
            return None
        self.path = str(final)
        return X

    def finish(self, unfilled: np.ndarray, fps=(), reusable: bool = False):
        """Return the result, NaN in ``unfilled`` rows; ``reusable``: record it for reuse."""
        if self.shape is None:
            self._allocate(0, np.float64)
        rows = np.flatnonzero(unfilled)
        if len(rows) and self.dtype.kind not in "fc":  # ensure() holds no other: NaN: 1, 0
            raise TypeError(f"cannot mark failed rows NaN in a {self.dtype} result")
        if self.fd is None:
            self.array[rows] = np.nan
            return self.array
        self.put(rows, np.full((len(rows), self.shape[1]), np.nan, self.dtype),
                 np.arange(len(rows)))
        os.close(self.fd)
        self.fd = None
        # a repeated request replaces its old file (whoever maps it keeps it): the record
        # goes first and comes back only once the new file is in place
        final = self._final(fps)
        final.with_suffix(".json").unlink(missing_ok=True)
        if self.pack is not None:
            try:  # the pack stays where its shards point; the result is a second name
                os.link(self.pack, link := temp_name(final))
            except OSError:  # no hard links to the results folder: the pack is the result
                self.path = str(self.pack)
                return np.load(self.pack, mmap_mode="r", allow_pickle=False)
            os.replace(link, final)
        else:
            os.replace(self.tmp, final)
        self._drop_unused_packs()
        if reusable and (record := self._record(self.shape, self.dtype)):
            atomic_write_text(final.with_suffix(".json"), record, fsync=False, streams=False)
        self.path = str(final)
        return np.load(final, mmap_mode="r", allow_pickle=False)

    def _drop_unused_packs(self) -> None:
        """Delete the packs this result created that no shard points to (module docstring).

        Called once every chunk's shard is written, the result being in the results
        folder. A shard not seen by :meth:`holds` (one whose every row failed) is looked
        for in the sidecars written since this result began; an unreadable one keeps it.
        """
        for pack, used in self._packs.items():
            if not used and not _pointed_to(pack, self._since):
                pack.unlink(missing_ok=True)
        self._packs = {}

    def abandon(self) -> None:
        """Close and delete an unfinished result file (the call failed or was interrupted)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
            if self.tmp != self.pack:  # a pack keeps the rows its shards hold
                self.tmp.unlink(missing_ok=True)


def _pointed_to(pack: Path, since: int) -> bool:
    """Whether a shard sidecar in ``pack``'s folder written since ``since`` (ns) names it."""
    slack = 2_000_000_000  # file systems that keep times to a second or two
    try:
        with os.scandir(pack.parent) as entries:
            for entry in entries:
                if entry.name.endswith(".json") and \
                        entry.stat().st_mtime_ns >= since - slack and \
                        pack.name in read_regular(entry.path).decode(errors="replace"):
                    return True
    except OSError:  # cannot tell: the pack stays (``info`` counts it, ``clear`` removes it)
        return True
    return False
