"""One :meth:`FeatureCache.features` call: copy cached rows, fill the rest, assemble.

Rows are copied into the result (:mod:`aufeat._cache_output`) as soon as their
shard exists: cached shards first (a few threads: load, CRC check, copy), then
each chunk as its task finishes, so reading back overlaps the workers'
computing. Workers write their shards themselves and send back only a summary
(ids, counts, the sidecar); the parent copies the rows of a shard a local (loky)
worker has just written from the page cache without checking its CRC a second
time (the worker computed it from the same bytes a moment earlier; every later
read, and every read of a dask worker's shard, checks it). In this process
(``n_jobs`` None/1) chunks go straight into the result and their shards (and,
for a memory-mapped result, their rows) are written by a background thread while
the next chunk is computed.

A cold fill whose shards hold a large result's rows in order does not copy them
at all: the shards' files are mapped side by side as the result at the end
(:mod:`aufeat._cache_mapped`), and so are the cached shards when the same list is
asked for again.

Into an empty store, file paths are not fingerprinted up front (there is
nothing to look up): the workers fingerprint each file from the bytes they read
to decode it, and report the fingerprints with the chunk.
"""

from __future__ import annotations

import math
import os
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import _cache_fill as _fill
from ._cache_mapped import MappedFill, map_cached
from ._cache_mapped import available as mapping_available
from ._cache_output import Output
from ._cache_serial import fill_here
from ._cache_store import CorruptShardError, fsync_dir
from .exceptions import AufeatWarning

__all__ = ["Job"]

class Job:
    """Fill and assemble the features of ``fps`` (None: unreadable) for one extractor.

    With ``deferred``, ``fps`` are all None and ``sources`` are file paths: the cache
    holds nothing for this extractor yet, so there is nothing to look up, and the
    files are fingerprinted where they are read for extraction (in the workers)
    instead of being read once more beforehand.
    """

    def __init__(self, cache, store, fps, sources, labels, extractor, stats, *,
                 deferred: bool = False):
        self.store, self.fps, self.sources, self.labels = store, fps, sources, labels
        self.extractor, self.stats = extractor, stats
        self.durable = cache.durable
        self.dtype = None if cache.dtype is None else cache.dtype.name
        self.rows: dict[str, list[int]] = {}
        for row, fp in enumerate(fps):
            if fp is not None:
                self.rows.setdefault(fp, []).append(row)
        self.todo = np.array([fp is not None for fp in fps], dtype=bool)
        self.deferred: dict[str, list[int]] = {}  # path -> rows, fingerprints not known yet
        if deferred:
            for row, source in enumerate(sources):
                self.deferred.setdefault(source, []).append(row)
            self.todo[:] = True
        self.out = Output(len(fps), cache, store.directory.name)
        #: large results may be the shards' files mapped side by side (no second copy)
        self.map_shards = (cache.map_shards and cache.memmap_threshold is not None
                           and mapping_available())
        self.mapped: MappedFill | None = None  # a cold fill's shards, to be mapped
        self.result = None  # the mapped result, once made
        self.failed: dict[str, dict] = {}  # fingerprint -> stored failure
        self.transient: list[dict] = []

    # -- copying ---------------------------------------------------------------------------
    def _claim(self, fps, failures):
        """Mark the result rows a chunk (``fps``) fills as done; return ``(rows, chunk rows)``."""
        for f in failures:
            self.failed.setdefault(fps[f["row"]], f)
        rows, srows = [], []
        for srow, fp in enumerate(fps):
            for row in self.rows.get(fp, ()):
                if self.todo[row]:
                    rows.append(row)
                    srows.append(srow)
        rows, srows = np.asarray(rows, np.intp), np.asarray(srows, np.intp)
        self.todo[rows] = False
        return rows, srows

    def _take(self, fps, data, failures) -> None:
        """Copy a chunk's rows (``data[i]`` belongs to ``fps[i]``) into the result."""
        rows, srows = self._claim(fps, failures)
        self.out.put(rows, data, srows)

    def _take_shard(self, sid: str, meta: dict, verify: bool = True):
        """Load, check and copy one shard; return (sid, reason) when it is corrupt.

        ``verify=False`` skips the CRC-32 of a shard this call's worker has just
        written (and checksummed): its rows are copied from the page cache.
        """
        try:
            if not self._read_run(sid, meta, verify):
                data = self.store.load_shard(sid, meta, verify=verify)
                self._take(meta["fingerprints"], data, meta["failures"])
        except CorruptShardError as err:
            return sid, str(err)
        return None

    def _read_run(self, sid: str, meta: dict, verify: bool = True) -> bool:
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
        out.read_run(self.store, sid, meta, r0, verify)
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
        n_threads = min(4, os.cpu_count() or 1, len(needed))
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
    def _reuse(self, index):
        """Return the memory-mapped result a previous call assembled for this list, or None.

        Only when the store still holds every image (nothing to compute, and a
        cleared cache is never bypassed); the stored failures are read from the
        sidecars as when the rows are copied.
        """
        locations = index.locations
        if self.deferred or not self.rows or any(fp not in locations for fp in self.rows):
            return None
        metas = [index.shards[sid] for sid in {locations[fp][0] for fp in self.rows}]
        wide = [m for m in metas if m["shape"][1] > 0]
        if not wide or len({m["shape"][1] for m in wide}) > 1:
            return None
        dtype = np.result_type(*{np.dtype(m["dtype"]) for m in wide})
        X = self.out.reuse(self.fps, wide[0]["shape"][1], dtype, self.stats)
        if X is None and self.map_shards and (len(self.fps) * wide[0]["shape"][1]
                                              * dtype.itemsize > self.out.cache.memmap_threshold):
            X, self.stats.n_mapped_shards = map_cached(self.store, index, self.fps) or (None, 0)
        if X is not None:
            for meta in metas:
                for f in meta["failures"]:
                    self.failed.setdefault(meta["fingerprints"][f["row"]], f)
            self.todo[:] = False
        return X

    def run(self, **kwargs):
        """Fill and assemble; return ``(result, stored failures)``.

        A call that fails or is interrupted deletes its unfinished result file.
        """
        try:
            return self._run(**kwargs)
        except BaseException:
            self.out.abandon()
            raise

    def _run(self, *, n_jobs, backend, progress, chunk_size):
        transient_fps: set = set()
        for attempt in range(3):
            index = self.store.index()
            self._discard(index.corrupt)
            t = time.perf_counter()
            if attempt == 0 and (reused := self._reuse(index)) is not None:
                self.stats.n_cached = len(self.rows)
                self.stats.seconds["assemble"] = time.perf_counter() - t
                return self._finish(reused)
            self._discard(self._copy_cached(index))
            self.stats.seconds["assemble"] = time.perf_counter() - t
            missing = [fp for fp, rows in self.rows.items()
                       if self.todo[rows[0]] and fp not in transient_fps]
            if attempt == 0:
                self.stats.n_cached = len(self.rows) - len(missing)
            if not missing and not self.deferred:
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
        return self._finish()

    def _finish(self, reused=None):
        """Return ``(result, stored failures)``; counts the failed rows."""
        unfilled = self.todo | np.array([fp is None for fp in self.fps], dtype=bool)
        failed_rows = [r for fp in self.failed if fp in self.rows for r in self.rows[fp]]
        self.stats.n_failed = int(unfilled.sum()) + len(failed_rows)
        reusable = not self.todo.any()  # no row left unfilled by a file unreadable meanwhile
        unfilled[failed_rows] = True  # NaN already, unless the whole chunk failed (D = 0)
        failures = [{"path": f["path"], "reason": f["reason"]} for f in self.failed.values()]
        if reused is not None or self.result is not None:
            if self.result is not None:
                self.out.abandon()  # a result file begun before the shards were mapped
            return (self.result if reused is None else reused), failures
        return self.out.finish(unfilled, self.fps, self.stats, reusable), failures

    def _tasks(self, missing, size, extractor, n_threads, direct: bool = False):
        """Arguments of :func:`fill_task` per chunk: missing fingerprints, then deferred paths.

        The chunks are fixed here; each task's arguments are made when it is
        dispatched, so that with ``direct`` (workers on this machine) the chunks
        dispatched once a memory-mapped result exists carry its target and write
        their rows into it themselves.
        """
        chunks = [(fps, [self.rows[fp][0] for fp in fps])
                  for fps in (missing[i:i + size] for i in range(0, len(missing), size))]
        paths = list(self.deferred)
        chunks += [([None] * len(p), [self.deferred[s][0] for s in p])
                   for p in (paths[i:i + size] for i in range(0, len(paths), size))]
        folder = str(self.store.directory)

        def dispatch():
            for fps, rows in chunks:
                target = self.out.target if direct else None
                yield (folder, fps, [self.sources[r] for r in rows],
                       [self.labels[r] for r in rows], extractor, n_threads, self.durable,
                       self.dtype, None if target is None else (*target, rows))

        return dispatch()

    def _took_written(self, sid: str, meta: dict, wrote) -> bool:
        """Account for the rows a worker wrote into the result file itself (``wrote``).

        False when it wrote none (or into a file the result has since replaced):
        the caller copies the chunk from its shard. Rows of repeated images the
        worker did not write are copied from the shard here.
        """
        target = self.out.target
        if wrote is None or target is None or wrote[0] != target[0]:
            return False
        rows, srows = self._claim(meta["fingerprints"], meta["failures"])
        self.stats.n_rows_written_by_workers += len(wrote[1])
        extra = ~np.isin(rows, wrote[1])
        if extra.any():
            data = self.store.load_shard(sid, meta, verify=False)
            self.out.put(rows[extra], data, srows[extra])
        return True

    def _learn(self, sources, fps) -> None:
        """Record the fingerprints a deferred chunk's worker found for its files."""
        for source, fp in zip(sources, fps, strict=True):
            rows = self.deferred.pop(source, [])
            if fp is None:  # unreadable: the rows stay NaN, the worker reported why
                continue
            for row in rows:
                self.fps[row] = fp
            self.rows.setdefault(fp, []).extend(rows)

    def _fill(self, missing, n_jobs, backend, progress, chunk_size) -> None:
        from .parallel import plan_workers, progress_bar, run_unordered

        plan = plan_workers(n_jobs, backend)
        st = self.stats
        st.backend, st.n_workers, st.threads_per_task = (plan.backend, plan.n_workers,
                                                         plan.threads_per_task)
        n = len(missing) + len(self.deferred)
        size = chunk_size or max(1, min(256, math.ceil(n / (4 * plan.n_workers))))
        tasks = self._tasks(missing, size, _without_cache(self.extractor),
                            plan.threads_per_task, direct=plan.backend == "loky")
        if self.mapped is None and self.map_shards and self.out.shape is None and \
                plan.backend != "dask":  # a cold fill (nothing in a result yet), this machine
            self.mapped = MappedFill(len(self.fps), self.out.cache.memmap_threshold, size)
        desc = self.store.identity().get("name", "features")
        corrupt = []
        with progress_bar(n, enabled=progress, desc=desc) as bar:
            if plan.backend == "serial":
                fill_here(self, tasks, bar)
            else:
                for res in run_unordered(_fill.fill_task, tasks, plan):
                    self._count(res)
                    if res["fps"] is not None:
                        self._learn(res["sources"], res["fps"])
                    sid = res["shard"]
                    meta = None if sid is None else res["meta"] or self.store.read_meta(sid)
                    if meta is not None and self._records(sid, meta, res["meta"] is None):
                        pass  # mapped into the result at the end, or copied then
                    elif meta is not None and not self._took_written(sid, meta, res["wrote"]):
                        # just written on this machine: no second CRC pass (on a cluster's
                        # shared file system every read is checked)
                        local = res["meta"] is not None and plan.backend == "loky"
                        bad = self._take_shard(sid, meta, not local)
                        corrupt += [bad] if bad else []
                    bar.update(res["n"])
        if self.mapped is not None:
            self.result, bad = self.mapped.settle(self)
            corrupt += bad
        self._discard(corrupt)
        if self.durable:  # the renames too
            fsync_dir(self.store.directory)

    def _records(self, sid: str, meta: dict, verify: bool) -> bool:
        """Record a shard for mapping (:class:`MappedFill`) instead of copying its rows.

        ``verify``: another process wrote it, so its CRC-32 is checked when mapped.
        """
        if self.mapped is None or not self.mapped.takes(meta["shape"][1], meta["dtype"]):
            return False
        rows, srows = self._claim(meta["fingerprints"], meta["failures"])
        self.mapped.record(sid, meta, rows, srows, verify)
        return True

    def _count(self, res) -> None:
        st = self.stats
        st.n_computed += res["n_computed"]
        st.n_shards_written += res["n_shards"]
        self.transient += res["transient"]
        for key in ("extract", "write"):
            st.seconds[key] = st.seconds.get(key, 0.0) + res[f"{key}_s"]


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
