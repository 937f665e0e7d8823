"""One :meth:`FeatureCache.features` call: copy cached rows, fill the rest, assemble.

Rows are copied into the result as soon as their shard exists: cached shards
first (a few threads: load, CRC check, copy), then each chunk as its task
finishes, so reading back overlaps the workers' computing. In this process
(``n_jobs`` None/1) chunks go straight into the result and their shards are
written by a background thread while the next chunk is computed.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import threading
import time
import uuid
import warnings
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import _cache_fill as _fill
from ._cache_store import CorruptShardError, fsync_dir, shard_id
from .exceptions import AufeatWarning

__all__ = ["Job"]

_MAX_PENDING_WRITES = 2  # chunks held in memory while their shards are written


def _runs(rows: np.ndarray):
    """Split sorted-or-not row indices into (start, stop) positions of consecutive runs."""
    breaks = np.flatnonzero(np.diff(rows) != 1) + 1
    edges = np.concatenate(([0], breaks, [len(rows)]))
    return itertools.pairwise(edges.tolist())


class _Output:
    """The (N, D) result, allocated once D is known.

    In memory, or, when larger than the cache's ``memmap_threshold``, a ``.npy``
    file written with ``pwrite`` (no page faults on a shared mapping) and
    returned memory-mapped read-only.
    """

    def __init__(self, n: int, cache, name: str):
        self.n, self.cache, self.name = n, cache, name
        self.array, self.tmp, self.fd = None, None, None
        self.shape, self.dtype, self.offset = None, None, 0
        self._lock = threading.Lock()  # shards are copied in by several threads
        self._buffers = threading.local()

    def _allocate(self, d: int, dtype) -> None:
        self.shape, self.dtype = (self.n, d), np.dtype(dtype)
        limit = self.cache.memmap_threshold
        if limit is None or math.prod(self.shape) * self.dtype.itemsize <= limit:
            self.array = np.empty(self.shape, dtype=dtype)
            return
        folder = self.cache.results_dir
        folder.mkdir(parents=True, exist_ok=True)
        self.tmp = folder / f".{self.name}-{uuid.uuid4().hex}.npy.tmp"
        header = np.lib.format.open_memmap(self.tmp, mode="w+", dtype=dtype, shape=self.shape)
        self.offset = header.offset
        del header
        self.fd = os.open(self.tmp, os.O_RDWR)

    def ensure(self, d: int, dtype) -> None:
        """Allocate for width ``d`` / widen to ``dtype`` (call before threads copy rows)."""
        with self._lock:
            if self.shape is None:
                self._allocate(d, dtype)
            elif np.result_type(self.dtype, dtype) != self.dtype:
                self._widen(np.result_type(self.dtype, dtype))

    def _widen(self, dtype) -> None:
        """Mixed float32/float64 inputs: move the rows so far into a wider result."""
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
        view = memoryview(np.ascontiguousarray(block, dtype=self.dtype)).cast("B")
        pos = self.offset + r0 * self.shape[1] * self.dtype.itemsize
        while len(view):
            done = os.pwrite(self.fd, view, pos)
            view, pos = view[done:], pos + done

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

    def read_run(self, store, sid: str, meta: dict, r0: int) -> None:
        """Read a whole shard into rows ``r0:r0 + n`` (no intermediate array in memory mode)."""
        n = meta["shape"][0]
        if self.fd is None:
            store.read_into(sid, meta, self.array[r0:r0 + n])
            return
        size = n * self.shape[1] * self.dtype.itemsize
        buf = getattr(self._buffers, "buf", None)
        if buf is None or len(buf) < size:
            buf = self._buffers.buf = bytearray(size)
        block = np.frombuffer(buf, dtype=self.dtype, count=n * self.shape[1])
        block = block.reshape(n, self.shape[1])
        store.read_into(sid, meta, block)
        self._write(r0, block)

    def finish(self, unfilled: np.ndarray, fps: list, stats) -> np.ndarray:
        if self.shape is None:
            self._allocate(0, np.float64)
        if self.fd is None:
            self.array[unfilled] = np.nan
            return self.array
        rows = np.flatnonzero(unfilled)
        if len(rows):
            self.put(rows, np.full((len(rows), self.shape[1]), np.nan, self.dtype),
                     np.arange(len(rows)))
        os.close(self.fd)
        self.fd = None
        # one file per (extractor, list of images): a repeated request replaces its old
        # result (processes still mapping the old one keep it until they let go)
        digest = hashlib.blake2b("\n".join(map(str, fps)).encode(), digest_size=10).hexdigest()
        final = self.tmp.with_name(f"{self.name}-{digest}.npy")
        os.replace(self.tmp, final)
        stats.result_path = str(final)
        return np.load(final, mmap_mode="r", allow_pickle=False)


class Job:
    """Fill and assemble the features of ``fps`` (None: unreadable) for one extractor."""

    def __init__(self, cache, store, fps, sources, labels, extractor, stats):
        self.store, self.fps, self.sources, self.labels = store, fps, sources, labels
        self.extractor, self.stats = extractor, stats
        self.rows: dict[str, list[int]] = {}
        for row, fp in enumerate(fps):
            if fp is not None:
                self.rows.setdefault(fp, []).append(row)
        self.todo = np.array([fp is not None for fp in fps], dtype=bool)
        self.out = _Output(len(fps), cache, store.directory.name)
        self.failed: dict[str, dict] = {}  # fingerprint -> stored failure
        self.transient: list[dict] = []

    # -- copying ---------------------------------------------------------------------------
    def _take(self, fps, data, failures) -> None:
        """Copy a chunk's rows (``data[i]`` belongs to ``fps[i]``) into the result."""
        for f in failures:
            self.failed.setdefault(fps[f["row"]], f)
        rows, srows = [], []
        for srow, fp in enumerate(fps):
            for row in self.rows.get(fp, ()):
                if self.todo[row]:
                    rows.append(row)
                    srows.append(srow)
        rows, srows = np.asarray(rows, np.intp), np.asarray(srows, np.intp)
        self.out.put(rows, data, srows)
        self.todo[rows] = False

    def _take_shard(self, sid: str, meta: dict):
        """Load, check and copy one shard; return (sid, reason) when it is corrupt."""
        try:
            if not self._read_run(sid, meta):
                self._take(meta["fingerprints"], self.store.load_shard(sid, meta),
                           meta["failures"])
        except CorruptShardError as err:
            return sid, str(err)
        return None

    def _read_run(self, sid: str, meta: dict) -> bool:
        """Read a shard whose rows are a run of needed result rows in one go."""
        fps, (n, d) = meta["fingerprints"], meta["shape"]
        out = self.out
        if out.shape is None or d == 0 or out.shape[1] != d or out.dtype.str != meta["dtype"]:
            return False
        first = self.rows.get(fps[0], ())
        if len(first) != 1 or not self.todo[first[0]] or first[0] + n > len(self.fps):
            return False
        r0 = first[0]
        if self.fps[r0:r0 + n] != fps or not self.todo[r0:r0 + n].all():
            return False
        if any(len(self.rows[fp]) != 1 for fp in fps):
            return False  # duplicated images: the general path copies every occurrence
        out.read_run(self.store, sid, meta, r0)
        for f in meta["failures"]:
            self.failed.setdefault(fps[f["row"]], f)
        self.todo[r0:r0 + n] = False
        return True

    def _copy_cached(self, index) -> list:
        needed = {}
        for fp, rows in self.rows.items():
            if self.todo[rows[0]] and fp in index.locations:
                needed.setdefault(index.locations[fp][0], index.shards[index.locations[fp][0]])
        if not needed:
            return []
        wide = [m for m in needed.values() if m["shape"][1] > 0]
        if wide:  # allocate once here: the copying threads then never reallocate
            dtype = np.result_type(*(np.dtype(m["dtype"]) for m in wide))
            self.out.ensure(wide[0]["shape"][1], dtype)
        # rows of different shards never overlap, so threads may copy at once
        n_threads = 1 if self.out.fd is not None else min(4, os.cpu_count() or 1, len(needed))
        with ThreadPoolExecutor(n_threads) as pool:
            found = pool.map(lambda item: self._take_shard(*item), sorted(needed.items()))
            return [r for r in found if r is not None]

    def _discard(self, corrupt) -> None:
        for sid, reason in corrupt:
            warnings.warn(f"feature cache: discarding shard {sid} ({reason}); its rows are "
                          "recomputed", AufeatWarning, stacklevel=5)
            self.stats.corrupt_shards.append(f"{sid}: {reason}")
            self.store.discard(sid)

    # -- the call --------------------------------------------------------------------------
    def run(self, *, n_jobs, backend, progress, chunk_size):
        transient_fps: set = set()
        for attempt in range(3):
            index = self.store.index()
            self._discard(index.corrupt)
            t = time.perf_counter()
            self._discard(self._copy_cached(index))
            self.stats.seconds["assemble"] = time.perf_counter() - t
            missing = [fp for fp, rows in self.rows.items()
                       if self.todo[rows[0]] and fp not in transient_fps]
            if attempt == 0:
                self.stats.n_cached = len(self.rows) - len(missing)
            if not missing:
                break
            t = time.perf_counter()
            self._fill(missing, n_jobs, backend, progress, chunk_size)
            self.stats.seconds["fill"] = time.perf_counter() - t
            transient_fps = {f["fingerprint"] for f in self.transient}
            if not any(self.todo[rows[0]] and fp not in transient_fps
                       for fp, rows in self.rows.items()):
                break
        else:
            raise CorruptShardError(
                f"shards in {self.store.directory} keep failing their checks after being "
                "recomputed; check the disk, or clear the cache (aufeat cache clear)."
            )
        unfilled = self.todo | np.array([fp is None for fp in self.fps], dtype=bool)
        failed_rows = [r for fp in self.failed if fp in self.rows for r in self.rows[fp]]
        self.stats.n_failed = int(unfilled.sum()) + len(failed_rows)
        unfilled[failed_rows] = True  # NaN already, unless the whole chunk failed (D = 0)
        failures = [{"path": f["path"], "reason": f["reason"]} for f in self.failed.values()]
        return self.out.finish(unfilled, self.fps, self.stats), failures

    def _tasks(self, missing, size, extractor, n_threads):
        for start in range(0, len(missing), size):
            fps = missing[start:start + size]
            rows = [self.rows[fp][0] for fp in fps]
            yield (str(self.store.directory), fps, [self.sources[r] for r in rows],
                   [self.labels[r] for r in rows], extractor, n_threads)

    def _fill(self, missing, n_jobs, backend, progress, chunk_size) -> None:
        from .parallel import plan_workers, progress_bar, run_unordered

        plan = plan_workers(n_jobs, backend)
        st = self.stats
        st.backend, st.n_workers, st.threads_per_task = (plan.backend, plan.n_workers,
                                                         plan.threads_per_task)
        size = chunk_size or max(1, min(256, math.ceil(len(missing) / (4 * plan.n_workers))))
        tasks = list(self._tasks(missing, size, _without_cache(self.extractor),
                                 plan.threads_per_task))
        desc = self.store.identity().get("name", "features")
        corrupt = []
        with progress_bar(len(missing), enabled=progress, desc=desc) as bar:
            if plan.backend == "serial":
                self._fill_here(tasks, bar)
            else:
                for res in run_unordered(_fill.fill_task, tasks, plan):
                    self._count(res)
                    if res["shard"] is not None:
                        meta = self.store.read_meta(res["shard"])
                        bad = self._take_shard(res["shard"], meta) if meta else None
                        corrupt += [bad] if bad else []
                    bar.update(res["n"])
        self._discard(corrupt)
        fsync_dir(self.store.directory)

    def _count(self, res) -> None:
        st = self.stats
        st.n_computed += res["n_computed"]
        st.n_shards_written += res["n_shards"]
        self.transient += res["transient"]
        for key in ("extract", "write"):
            st.seconds[key] = st.seconds.get(key, 0.0) + res[f"{key}_s"]

    def _fill_here(self, tasks, bar) -> None:
        """Compute chunks in this process; shards are written by a background thread."""

        def write(kept, data, failures):
            t = time.perf_counter()
            self.store.write_shard(kept, data, failures)
            return time.perf_counter() - t

        pending: deque = deque()
        with ThreadPoolExecutor(1) as writer:
            for _, fps, sources, labels, extractor, _ in tasks:
                sid = shard_id(fps)
                meta = self.store.read_meta(sid) if self.store.has_shard(sid) else None
                if meta is None or self._take_shard(sid, meta) is not None:
                    t = time.perf_counter()
                    kept, data, failures, transient = _fill.extract_chunk(
                        fps, sources, labels, extractor)
                    self._count({"n_computed": len(kept), "n_shards": int(bool(kept)),
                                 "transient": transient, "extract_s": time.perf_counter() - t,
                                 "write_s": 0.0})
                    self._take(kept, data, failures)
                    if kept:
                        pending.append(writer.submit(write, kept, data, failures))
                while len(pending) > _MAX_PENDING_WRITES or (pending and pending[0].done()):
                    self.stats.seconds["write"] += pending.popleft().result()
                bar.update(len(fps))
            while pending:
                self.stats.seconds["write"] += pending.popleft().result()


def _without_cache(extractor):
    """Return the extractor as sent to workers: a clone with ``cache=None`` if it has one."""
    try:
        from sklearn.base import clone

        extractor = clone(extractor)
    except (ImportError, TypeError, RuntimeError):
        return extractor
    if "cache" in extractor.get_params(deep=False):
        extractor.set_params(cache=None)
    return extractor
