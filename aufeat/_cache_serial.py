"""The in-process fill of a :class:`~aufeat._cache_job.Job` (``n_jobs`` None or 1).

This process computes one chunk after the other while a background thread writes
the shards (``write`` releases the GIL), so that writing, which costs about a
fifth of extracting for float64 HOG, is hidden behind computing on a second core.
"""

from __future__ import annotations

import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from . import _cache_fill as _fill
from ._cache_store import shard_id

__all__ = ["fill_here"]

_MAX_PENDING_WRITES = 2  # chunks held in memory while their shards are written


def fill_here(job, tasks, bar) -> None:
    """Compute ``job``'s chunks in this process while a background thread writes their shards.

    The writer thread also copies the rows into a memory-mapped result (``pwrite``,
    which releases the GIL), or records the shard when the shards are to be mapped
    as the result (``job.mapped``); an in-memory result is filled here (a memcpy),
    and the shard is then written from it.
    """
    out = job.out

    def write(kept, data, failures, rows, srows, record=None):
        t = time.perf_counter()
        if rows is not None:
            out.put(rows, data, srows)
        meta = job.store.write_shard(kept, data, failures, durable=job.durable)
        if record is not None:  # to be mapped: the rows are not copied
            job.mapped.record(meta["shard"], meta, *record)
        return time.perf_counter() - t

    pending: deque = deque()

    def drain(keep: int) -> None:
        while len(pending) > keep or (keep and pending and pending[0].done()):
            job.stats.seconds["write"] += pending.popleft().result()

    with ThreadPoolExecutor(1) as writer:
        for _, fps, sources, labels, extractor, *_ in tasks:
            known = None not in fps
            sid = shard_id(fps) if known else None
            meta = job.store.read_meta(sid) if known and job.store.has_shard(sid) else None
            if meta is not None:  # another process wrote it meanwhile
                drain(0)
            if meta is None or job._take_shard(sid, meta) is not None:
                t = time.perf_counter()
                kept, data, failures, transient, seen = _fill.extract_chunk(
                    fps, sources, labels, extractor, job.dtype)
                if not known:
                    job._learn(sources, seen)
                job._count({"n_computed": len(kept), "n_shards": int(bool(kept)),
                             "transient": transient, "extract_s": time.perf_counter() - t,
                             "write_s": 0.0})
                rows, srows = job._claim(kept, failures)
                record = None
                if kept and job.mapped is not None and \
                        job.mapped.takes(data.shape[1], data.dtype):
                    record, rows = (rows, srows), None  # mapped at the end: no copy
                elif data.shape[1] and len(rows):
                    if out.widens(data.dtype):
                        drain(0)  # no writes to the old result while it is replaced
                    out.ensure(data.shape[1], data.dtype)
                    _fill.check_width(out.shape[1], data.shape[1])
                if record is None and out.fd is None:
                    out.put(rows, data, srows)
                    # the shard is written from the result's rows when they hold it
                    # in order, so that the chunk's own array is freed right away
                    data = out.rows_holding(rows, srows, data)
                    rows = None
                if kept:
                    pending.append(writer.submit(write, kept, data, failures, rows, srows,
                                                 record))
            drain(_MAX_PENDING_WRITES)
            bar.update(len(fps))
        drain(0)
