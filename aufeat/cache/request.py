"""One :meth:`FeatureCache.features` call: keys, the stored rows, a fill of the rest.

A row's key is its content fingerprint or, into an empty store, its file path (the
worker reading the file fingerprints it). Rows are copied as soon as their shard exists.
"""

from __future__ import annotations

import math
import os
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from .._paths_os import absolute
from .._warnings import warn
from ..parallel import WorkerPlan, numba_threads, plan_workers, progress_bar, threads_per_worker
from .errors import AllImagesFailedError, CorruptShardError, ImageSizeError
from .fill import Task, run_tasks
from .keys import fingerprint_sources, read_each
from .reasons import retold
from .result import Output
from .store import fsync_dir

__all__ = ["FillStats", "Request"]


@dataclass
class FillStats:
    """What one :meth:`FeatureCache.features` call did (``cache.last_fill``).

    Attributes
    ----------
    n_items, n_unique, n_cached, n_computed, n_failed, n_shards_written : int
        Rows asked for; distinct contents among them; distinct images cached
        before (stored failures included); distinct images read and computed now
        (those stored as failures included: ``aufeat extract``'s "computed 4,
        cached 0, failed 1" is 3 images featurised and 1 that failed to decode;
        not a file that could not be read, nor one over OpenCV's pixel limit,
        which are not stored: "computed 1, failed 1" for one good file and one
        such file); rows returned as NaN (failed now or before, or unreadable);
        shards written.
    corrupt_shards : list of str
        Shards found damaged (discarded and recomputed), with the reason.
    backend, n_workers, threads_per_task : str, int, int
        'serial', 'loky' or 'dask'; tasks at once; Numba threads each.
    seconds : dict
        'fingerprint', 'assemble', 'fill', 'total'; 'extract' and 'write' sum
        the tasks' time reading and extracting, and writing shards.
    result_path : str or None
        The memory-mapped result file, when the result is one.
    failures : list of dict
        ``{'path', 'reason'}`` of this call's rows that failed (NaN rows), in row
        order; :meth:`FeatureCache.failures` lists every failure stored, from any call.
    """

    n_items: int = 0
    n_unique: int = 0
    n_cached: int = 0
    n_computed: int = 0
    n_failed: int = 0
    n_shards_written: int = 0
    corrupt_shards: list = field(default_factory=list)
    backend: str = "serial"
    n_workers: int = 1
    threads_per_task: int = 1
    seconds: dict = field(default_factory=dict)
    result_path: str | None = None
    failures: list = field(default_factory=list)


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


class Request:
    """Fill and assemble the features of ``sources`` (named ``labels``) from ``store``."""

    def __init__(self, cache, store, sources, labels, extractor, stats: FillStats):
        self.store, self.sources, self.labels = store, sources, labels
        self.extractor, self.stats, self.cache = extractor, stats, cache
        t = time.perf_counter()
        if isinstance(sources, list) and sources and all(isinstance(s, str) for s in sources) \
                and store.empty():
            self.fps, reasons = [None] * len(sources), [None] * len(sources)
            self.keys = [("file", s) for s in sources]
        else:
            self.fps, reasons = fingerprint_sources(sources)
            self.keys = list(self.fps)
        stats.n_items, stats.seconds["fingerprint"] = len(sources), time.perf_counter() - t
        self.groups: dict = {}  # key -> its rows
        for row, key in enumerate(self.keys):
            if key is not None:
                self.groups.setdefault(key, []).append(row)
        self.todo = np.array([key is not None for key in self.keys], dtype=bool)
        self.transient = [{"path": labels[i], "reason": r} for i, r in enumerate(reasons) if r]
        self.unreadable: set = set()  # keys of files a worker could not read: not retried
        self.failed: dict = {}  # fingerprint -> stored failure
        self.out = Output(len(sources), cache.memmap_threshold, cache.results_dir,
                          store.directory.name)
        self.in_place = np.zeros(len(sources), dtype=bool)  # rows its shards wrote there

    def _claim(self, keys, fps, failures):
        """Mark the rows a shard fills as done; return ``(result rows, shard rows)``."""
        self._failed(fps, failures)
        rows, srows = [], []
        for srow, (key, fp) in enumerate(zip(keys, fps, strict=True)):
            for row in self.groups.get(key, ()):
                if self.todo[row]:
                    rows.append(row)
                    srows.append(srow)
                    self.fps[row] = fp
        rows, srows = np.asarray(rows, np.intp), np.asarray(srows, np.intp)
        self.todo[rows] = False
        return rows, srows

    def _failed(self, fps, failures) -> None:
        for f in failures:
            self.failed.setdefault(fps[f["row"]], f)

    def _label(self, keys) -> str:
        return next((f"{self.labels[self.groups[k][0]]} (cached)" for k in keys
                     if k in self.groups), "cached rows")

    def _giving(self, keys, meta) -> list:
        """Return the keys of a shard's rows still to fill here that hold features.

        A stored failure is a NaN row, of no width: a shard from which a request takes
        only failures (stored beside images of another size) sets no width.
        """
        failed = {f["row"] for f in meta["failures"]}
        return [key for srow, key in enumerate(keys) if srow not in failed
                and any(self.todo[row] for row in self.groups.get(key, ()))]

    def _in_order(self, keys, meta) -> np.ndarray | None:
        """Return the in-memory rows a shard fills when they are consecutive, else None."""
        out, n = self.out, len(keys)
        r0 = self.groups.get(keys[0], (None,))[0] if keys else None
        if r0 is None or out.array is None or out.dtype.str != meta["dtype"] or \
                self.keys[r0:r0 + n] != keys or not self.todo[r0:r0 + n].all() or \
                any(len(self.groups[k]) > 1 for k in keys):
            return None
        return out.array[r0:r0 + n]

    def _put_shard(self, sid, meta, keys, verify=True, data=None, who=None):
        """Copy a shard's rows (``keys``: their keys here); return (sid, reason) if corrupt."""
        in_place, giving = False, meta["shape"][1] and self._giving(keys, meta)
        if giving:
            try:
                self.out.ensure(meta["shape"][1], meta["dtype"], who or self._label(giving))
            except ImageSizeError:  # (the result's width is one a data file holds)
                if (why := self.store.check(sid, meta)) is not None:
                    return sid, why  # this sidecar's width is not its data's: damage
                raise  # images of different sizes
            in_place = self.out.holds(meta)  # written into the result: nothing to copy
            try:
                if in_place:
                    data = None
                elif data is None and (target := self._in_order(keys, meta)) is not None:
                    self.store.read_into(sid, meta, target, verify=verify)
                elif data is None:
                    data = self.store.load_shard(sid, meta, verify=verify)
            except CorruptShardError as err:
                return sid, str(err)
        rows, srows = self._claim(keys, meta["fingerprints"], meta["failures"])
        if in_place:
            here = rows == meta["row"] + srows
            self.in_place[rows[here]] = True
            rows, srows = rows[~here], srows[~here]  # repeats of an image in the list
            data = self.store.load_shard(sid, meta, verify=False) if len(rows) else None
        if data is not None and giving:  # (only failures taken: NaN rows, no width)
            self.out.put(rows, data, srows)
        return None

    def _copy_stored(self, locations, shards) -> list:
        needed = {locations[key][0]: shards[locations[key][0]]
                  for key, rows in self.groups.items() if self.todo[rows[0]] and key in locations}
        giving = {sid: keys for sid, m in needed.items() if m["shape"][1]
                  and (keys := self._giving(m["fingerprints"], m))}
        bad = []
        for sid in list(giving):  # the result is sized by a shard whose header agrees
            if (why := self.store.check(sid, needed[sid])) is None:
                break
            bad.append((sid, why))
            del needed[sid], giving[sid]
        if giving:  # allocated, at the widest dtype, before the threads copy
            sid = next(iter(giving))
            self.out.ensure(needed[sid]["shape"][1],
                            np.result_type(*(needed[s]["dtype"] for s in giving)),
                            self._label(giving[sid]))
        with ThreadPoolExecutor(max(1, min(4, len(needed)))) as pool:  # no two share a row
            found = pool.map(lambda i: self._put_shard(*i, i[1]["fingerprints"]), needed.items())
            return bad + [b for b in found if b]

    def _discard(self, corrupt) -> None:
        for sid, reason in corrupt:
            warn(f"feature cache: discarding shard {sid} ({reason}); its rows are "
                 "recomputed")
            self.stats.corrupt_shards.append(f"{sid}: {reason}")
            self.store.discard(sid)

    def _take(self, summary: dict, verify: bool):
        """Count a finished task and copy its rows; return (sid, reason) if corrupt."""
        st, meta = self.stats, summary["meta"]
        st.n_computed += summary["n_computed"]
        if summary.get("stored_meanwhile"):  # another process's shard: cached, not computed
            st.n_cached += len(set(summary["seen"]))
        st.n_shards_written += bool(summary["written"] and meta)
        for key in ("extract", "write"):
            st.seconds[key] = st.seconds.get(key, 0.0) + summary[f"{key}_s"]
        self.transient += summary["transient"]
        pairs = [(self.keys[r], fp) for r, fp in zip(summary["rows"], summary["seen"], strict=True)]
        self.unreadable.update(key for key, fp in pairs if fp is None)
        if meta is None:  # no image could be read
            return None
        return self._put_shard(meta["shard"], meta, [key for key, fp in pairs if fp is not None],
                               verify, summary.get("data"), summary["first"])

    def _fill(self, missing, plan, progress, chunk_size) -> None:
        st, cache = self.stats, self.cache
        size = chunk_size or max(1, min(256, math.ceil(len(missing) / (4 * plan.n_workers))))
        n_chunks = math.ceil(len(missing) / size)
        if plan.backend == "loky" and plan.n_workers > n_chunks:  # no idle worker processes
            plan = plan._replace(n_workers=n_chunks, threads_per_task=threads_per_worker(n_chunks))
        if plan.backend == "loky" and plan.n_workers == 1:  # as joblib would: in this process
            plan = WorkerPlan("serial", 1, numba_threads())
        st.backend, st.n_workers, st.threads_per_task = plan[:3]
        extractor, corrupt = _without_cache(self.extractor), []

        def task(keys) -> Task:
            rows = [self.groups[key][0] for key in keys]
            fps = [key if isinstance(key, str) else None for key in keys]  # None: a file's key
            # video frames: decoded chunk by chunk; file paths made absolute: dask
            # workers may run in another folder ('..' after a link as the OS reads it)
            sources = read_each(self.sources, rows) if hasattr(self.sources, "take") else [
                absolute(s) if isinstance(s, str) else s
                for s in (self.sources[r] for r in rows)]
            return Task(str(self.store.directory), fps, sources,
                        [self.labels[r] for r in rows], rows, extractor, plan.threads_per_task,
                        cache.durable, None if cache.dtype is None else cache.dtype.name,
                        self.out.pack and self.out.pack.name, os.getpid())

        with progress_bar(len(missing), enabled=progress, desc=self.store.name()) as bar:

            def take(summary):
                # a shard a worker of this machine has just written and checksummed is
                # copied from the page cache unchecked; any other read checks its CRC-32
                local = summary["written"] and plan.backend != "dask"
                corrupt.extend(filter(None, [self._take(summary, not local)]))
                bar.update(len(summary["rows"]))

            run_tasks((task(missing[i:i + size]) for i in range(0, len(missing), size)), plan, take)
        self._discard(corrupt)
        if cache.durable:  # the renames too
            fsync_dir(self.store.directory)

    def _reuse(self, locations, shards):
        """Return the memory-mapped result an earlier call made for this list, if still valid."""
        if not self.groups or any(key not in locations for key in self.groups):
            return None
        used = {sid: shards[sid] for sid in {locations[fp][0] for fp in self.groups}}
        metas = list(used.values())
        wide = [m for m in metas if m["shape"][1] and self._giving(m["fingerprints"], m)]
        if not wide or len({m["shape"][1] for m in wide}) > 1:
            return None
        dtype = np.result_type(*(m["dtype"] for m in wide))
        if dtype.kind not in "fc":  # an older version's int/bool result: rows are read as float
            return None
        X = self.out.reuse(self.fps, wide[0]["shape"][1], dtype)
        if X is not None and not self._pack_sound(used):
            X = self.out.path = None  # read from the shards, whose checks find the damage
        if X is not None:
            for meta in metas:
                self._failed(meta["fingerprints"], meta["failures"])
            self.todo[:] = False
        return X

    def _pack_sound(self, used: dict) -> bool:
        """Whether the shards stored in the reused result file (a pack) pass their CRC-32s.

        A first fill's result is its pack: cache data, checked like any shard's.
        """
        same: dict = {}
        for sid, meta in used.items():
            if (name := meta.get("pack")) is not None and name not in same:
                try:
                    same[name] = os.path.samefile(self.store.directory / name, self.out.path)
                except OSError:
                    same[name] = False
            try:
                if name is not None and same[name]:
                    self.store.load_shard(sid, meta)
            except CorruptShardError:
                return False
        return True

    def run(self, *, n_jobs, backend, progress, chunk_size):
        """Return ``(result, stored failures)``; a failed call deletes its unfinished result."""
        try:
            return self._run(n_jobs, backend, progress, chunk_size)
        except BaseException:
            self.out.abandon()
            raise

    def _missing(self) -> list:
        return [key for key, rows in self.groups.items()
                if self.todo[rows[0]] and key not in self.unreadable]

    def _run(self, n_jobs, backend, progress, chunk_size):
        st, plan = self.stats, None  # where a fill runs: decided once there is one
        for attempt in range(3):  # again when shards read back fail their checks
            locations, shards, corrupt = self.store.index()
            self._discard(corrupt)
            if attempt == 0 and self.groups and not any(key in locations for key in self.groups):
                plan = plan_workers(n_jobs, backend)  # a first fill: its result is a pack
                if plan.backend != "dask":  # (dask workers share no page cache)
                    self.out.pack = self.store.directory / f"pack-{secrets.token_hex(10)}.npy"
            t = time.perf_counter()
            reused = self._reuse(locations, shards) if attempt == 0 else None
            self._discard(self._copy_stored(locations, shards))  # none left if reused
            st.seconds["assemble"] = st.seconds.get("assemble", 0.0) + time.perf_counter() - t
            missing = self._missing()
            if attempt == 0:
                st.n_cached = len(self.groups) - len(missing)
            if missing:
                t = time.perf_counter()
                self._fill(missing, plan or plan_workers(n_jobs, backend), progress, chunk_size)
                st.seconds["fill"] = st.seconds.get("fill", 0.0) + time.perf_counter() - t
            if not self._missing():
                return self._finish(reused)
        raise CorruptShardError(f"shards in {self.store.directory} keep failing their checks "
                                "after being recomputed; check the disk, or clear the cache "
                                "(aufeat cache clear).")

    def _reason(self, row: int) -> str:
        """Why a row failed, naming its file (the stored reason names the first file seen)."""
        source = self.sources[row] if isinstance(self.sources, list) else None
        path = absolute(source) if isinstance(source, str) else self.labels[row]
        return retold(self.failed[self.fps[row]], self.labels[row], path)

    def _finish(self, reused=None):
        st = self.stats
        unfilled = self.todo | np.array([fp is None for fp in self.fps], dtype=bool)
        failed_rows = [row for row, fp in enumerate(self.fps) if fp in self.failed]
        st.n_failed = int(unfilled.sum()) + len(failed_rows)
        st.n_unique = len(set(self.fps) - {None})
        failures = [{"path": self.labels[row], "reason": self._reason(row)}
                    for row in failed_rows]  # in row order, named as asked
        if st.n_items and st.n_failed == st.n_items:
            row = {label: i for i, label in reversed(list(enumerate(self.labels)))}
            first = min(failures + self.transient, key=lambda f: row.get(f["path"], 0))
            name = str(first["path"])  # a name holding a newline: escaped, on one line
            name = name if name.isprintable() else repr(name)
            every = f"all {st.n_items} images" if st.n_items > 1 else "the one image"
            raise AllImagesFailedError(f"{every} failed, none could be featurised; the "
                                       f"first, {name}: {first['reason']}")
        reusable = not self.todo.any()  # no row left unfilled by a file unreadable meanwhile
        unfilled[failed_rows] = True  # NaN already, unless the whole chunk failed (D = 0)
        unfilled &= ~self.in_place  # NaN there already; its shard's checksum covers them
        if reused is None:
            reused = self.out.finish(unfilled, self.fps, reusable)
        st.result_path = self.out.path
        return reused, failures
