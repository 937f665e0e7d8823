"""Filling the cache: read a chunk of images, extract, write its shard; here or in workers.

A task is one chunk (at most ``chunk_size`` images), and one shard. Workers get
file paths (or small arrays), read each file once for its fingerprint and its
pixels (:func:`aufeat.io.decode_image`), write the shard into the cache folder
themselves and send back only a summary. In this process (``n_jobs`` None or 1)
chunks are computed one after the other while a background thread writes the
shards and copies the rows into the result: writing costs about a fifth of
extracting float64 HOG, hidden behind computing on a second core.
"""

from __future__ import annotations

import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

from ..exceptions import InvalidImageError
from .errors import ImageSizeError
from .keys import fingerprint_array, fingerprint_file
from .store import ShardStore, shard_id

__all__ = ["EXTRACT_BATCH", "Chunk", "Task", "extract_chunk", "fill_task", "run_tasks",
           "size_error"]

#: Images per ``extractor.transform`` call: HOG runs ~30% faster on batches that fit the
#: CPU caches than on a whole chunk of 256 faces (features do not depend on batch size).
EXTRACT_BATCH = 32
_MAX_PENDING = 2  # chunks computed here and held in memory while their shards are written


class Task(NamedTuple):
    """One chunk to compute: the arguments of :func:`fill_task`.

    ``fps`` holds each source's fingerprint, or None where it is taken from the
    bytes read here (a fill into an empty store); ``rows`` is the result row of
    each source, returned untouched for the caller.
    """

    directory: str
    fps: list
    sources: list
    labels: list
    rows: list
    extractor: object
    n_threads: int
    durable: bool = False
    dtype: str | None = None


class Chunk(NamedTuple):
    """A computed chunk: ``kept`` fingerprints (the shard's rows) and their features.

    ``failures`` are stored with the shard (``row`` indexes ``kept``); ``transient``
    are files that could not be read (reported, never stored); ``seen`` is each
    source's fingerprint (None: unreadable); ``first`` the label and image size of
    the first image read.
    """

    kept: list
    data: np.ndarray
    failures: list
    transient: list
    seen: list
    first: tuple | None


def size_error(a: str, d_a: int, b: str, d_b: int) -> ImageSizeError:
    """Return the error for two images (``'path (HxW)'``) whose features differ in length."""
    return ImageSizeError(
        f"images of different sizes give feature vectors of different lengths: {a} gives "
        f"{d_a} features, {b} gives {d_b} features; resize or align the faces to one size first "
        "(e.g. aufeat crop --size 112, FaceDataset.load_images(size=...), or a Pipeline "
        "with an aligner)."
    )


def _load(source, fp):
    """``(fingerprint, image, None)`` or ``(fingerprint, None, reason)``; OSError: retry later."""
    from ..io import decode_image

    if not isinstance(source, str):
        return fp or fingerprint_array(source), np.asarray(source), None
    with open(source, "rb") as f:
        data = f.read()
    got = fingerprint_file(data)
    if fp is not None and got != fp:
        raise OSError("the file changed while the cache was being filled; run again")
    try:
        return got, decode_image(data, source), None
    except ValueError as err:
        return got, None, f"cannot decode: {err}"


def _transform(extractor, images: list) -> tuple[np.ndarray, dict]:
    """Features of same-shape images, :data:`EXTRACT_BATCH` at a time; NaN where rejected.

    Returns the ``(n, D)`` features and ``{index: reason}`` of the images the
    extractor rejected (a batch that fails is retried image by image).
    """
    parts, failures = [], {}
    for start in range(0, len(images), EXTRACT_BATCH):
        batch = images[start:start + EXTRACT_BATCH]
        try:
            parts.append(np.asarray(extractor.transform(np.stack(batch))))
            continue
        except InvalidImageError:
            pass
        for i, image in enumerate(batch, start):
            try:
                parts.append(np.asarray(extractor.transform(image[None])))
            except InvalidImageError as err:
                failures[i] = str(err)
                parts.append(None)
    done = [p for p in parts if p is not None]
    if not done:
        return np.empty((len(images), 0)), failures
    d, dtype = done[0].shape[1], np.result_type(*done)
    parts = [np.full((1, d), np.nan, dtype) if p is None else p for p in parts]
    return (parts[0] if len(parts) == 1 else np.concatenate(parts).astype(dtype, copy=False),
            failures)


def extract_chunk(task: Task) -> Chunk:
    """Read and featurise one chunk (cast to ``task.dtype`` unless None)."""
    seen, loaded, transient = [], [], []
    for fp, source, label in zip(task.fps, task.sources, task.labels, strict=True):
        try:
            fp, image, reason = _load(source, fp)
        except OSError as err:
            transient.append({"path": label, "reason": f"cannot read: {err}", "fingerprint": fp})
            fp = None
        else:
            loaded.append((fp, label, image, reason))
        seen.append(fp)
    failures = [{"row": r, "path": item[1], "reason": item[3]}
                for r, item in enumerate(loaded) if item[3] is not None]
    groups: dict = {}  # images of one shape and dtype are extracted together
    for r, item in enumerate(loaded):
        if item[2] is not None:
            groups.setdefault((item[2].shape, item[2].dtype.str), []).append(r)
    results = []
    for (shape, _), rows in groups.items():
        data, rejected = _transform(task.extractor, [loaded[r][2] for r in rows])
        failures += [{"row": rows[i], "path": loaded[rows[i]][1], "reason": why}
                     for i, why in rejected.items()]
        results.append((rows, data, f"{loaded[rows[0]][1]} ({'x'.join(map(str, shape))})"))
    wide = [r for r in results if r[1].shape[1]]
    for _, data, who in wide[1:]:
        if data.shape[1] != wide[0][1].shape[1]:
            raise size_error(wide[0][2], wide[0][1].shape[1], who, data.shape[1])
    if len(results) == 1 and len(results[0][0]) == len(loaded):
        data = results[0][1]  # the usual case: one shape, nothing unreadable
    else:
        d = wide[0][1].shape[1] if wide else 0
        data = np.full((len(loaded), d), np.nan,
                       np.result_type(*(r[1] for r in wide)) if wide else np.float64)
        for rows, part, _ in wide:
            data[rows] = part
    if task.dtype is not None:
        data = data.astype(task.dtype, copy=False)
    failed = {f["row"] for f in failures}
    if data.shape[1]:  # rows the extractor gave up on (NaN everywhere) are failures too
        for row in np.flatnonzero(np.isnan(data[:, 0])).tolist():
            if row not in failed and np.isnan(data[row]).all():
                failures.append({"row": row, "path": loaded[row][1], "reason":
                                 "the extractor returned NaN features (no face found?)"})
    failures.sort(key=lambda f: f["row"])
    first = results[0][2] if results else None
    return Chunk([item[0] for item in loaded], data, failures, transient, seen, first)


def _summary(task: Task, chunk: Chunk | None, meta: dict | None, extract_s: float) -> dict:
    return {"rows": task.rows, "meta": meta, "extract_s": extract_s, "write_s": 0.0,
            "seen": task.fps if chunk is None else chunk.seen,
            "n_computed": 0 if chunk is None else len(chunk.kept),
            "transient": [] if chunk is None else chunk.transient,
            "first": None if chunk is None else chunk.first, "written": chunk is not None}


def _compute(task: Task) -> tuple[dict, Chunk | None]:
    """Compute a chunk unless its shard exists (another process wrote it): ``(summary, chunk)``."""
    if None not in task.fps:
        meta = ShardStore(task.directory).read_meta(shard_id(task.fps))
        if meta is not None:
            return _summary(task, None, meta, 0.0), None
    t = time.perf_counter()
    chunk = extract_chunk(task)
    return _summary(task, chunk, None, time.perf_counter() - t), chunk


def _write(task: Task, summary: dict, chunk: Chunk | None) -> dict:
    """Write a computed chunk's shard; record its sidecar and the seconds in ``summary``."""
    if chunk is not None and chunk.kept:
        t = time.perf_counter()
        summary["meta"] = ShardStore(task.directory).write_shard(
            chunk.kept, chunk.data, chunk.failures, durable=task.durable)
        summary["write_s"] = time.perf_counter() - t
    return summary


def fill_task(task: Task) -> dict:
    """Compute one chunk in a worker with ``task.n_threads`` Numba threads and write its shard.

    Returns a summary: ``rows``, ``seen`` (each source's fingerprint), ``meta`` (the
    shard's sidecar; None when no image could be read), ``n_computed``,
    ``transient`` failures, ``first`` image, seconds, and ``written`` (computed here).
    """
    import numba

    from ..parallel import set_numba_threads

    previous = numba.get_num_threads()
    set_numba_threads(task.n_threads)
    try:
        return _write(task, *_compute(task))
    finally:
        numba.set_num_threads(previous)


def run_tasks(tasks, plan, take) -> None:
    """Run ``tasks`` where ``plan`` (:func:`aufeat.parallel.plan_workers`) says.

    ``take(summary, chunk)`` receives each result: from workers in this thread as
    they finish (``chunk`` None: the rows are in the shard), or, in this process,
    from the background thread that has just written the shard (``chunk`` holds
    the rows in memory).
    """
    from ..parallel import run_unordered

    if plan.backend != "serial":
        for summary in run_unordered(fill_task, ((task,) for task in tasks), plan):
            take(summary, None)
        return

    def write_and_take(task, summary, chunk):
        take(_write(task, summary, chunk), chunk)

    pending: deque = deque()
    with ThreadPoolExecutor(1) as writer:
        for task in tasks:
            pending.append(writer.submit(write_and_take, task, *_compute(task)))
            while len(pending) > _MAX_PENDING or (pending and pending[0].done()):
                pending.popleft().result()
        while pending:
            pending.popleft().result()
