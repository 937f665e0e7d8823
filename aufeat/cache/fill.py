"""Filling the cache: read a chunk of images, extract, write its shard; here or in workers.

Workers get file paths (or small arrays), read each file once for its fingerprint
and its pixels (:func:`aufeat.io.decode_image`), write the shard themselves and
send back a small summary. In this process a background thread writes each shard
(and copies its rows into the result) while the next chunk is computed.
"""

from __future__ import annotations

import time
import warnings
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

from ..exceptions import InvalidImageError
from ..io import decode_image
from ..parallel import run_unordered, set_numba_threads
from .errors import ImageSizeError
from .keys import fingerprint_array, fingerprint_file
from .store import ShardStore, shard_id

__all__ = ["EXTRACT_BATCH", "Task", "extract_chunk", "fill_task", "run_tasks"]

#: Images per ``extractor.transform`` call: HOG runs ~30% faster on batches that fit the
#: CPU caches than on a whole chunk of 256 faces (features do not depend on batch size).
EXTRACT_BATCH = 32
_MAX_PENDING = 2  # chunks computed here and held in memory while their shards are written


class Task(NamedTuple):
    """One chunk, one shard: the sources with their fingerprints (None: taken here).

    ``rows`` (each source's row in the result) comes back in the summary.
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


def _load(source, fp):
    """``(fingerprint, image, None)`` or ``(fingerprint, None, reason)``; OSError: retry later."""
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


def _features(extractor, images: list, labels: list, failures: list):
    """Return a chunk's features (NaN rows where none) and the image that set their width.

    Images of one shape and dtype go to the extractor :data:`EXTRACT_BATCH` at a
    time; a batch it rejects is retried image by image, rejections go to ``failures``.
    """
    groups: dict = {}
    for row, image in enumerate(images):
        if image is not None:
            groups.setdefault((image.shape, image.dtype.str), []).append(row)
    data, first, done = None, None, np.zeros(len(images), bool)
    for (shape, _), rows in groups.items():
        who = f"{labels[rows[0]]} ({'x'.join(map(str, shape))})"
        for start in range(0, len(rows), EXTRACT_BATCH):
            batch = rows[start:start + EXTRACT_BATCH]
            try:
                parts = [(batch, extractor.transform(np.stack([images[r] for r in batch])))]
            except InvalidImageError:
                parts = []
                for r in batch:
                    try:
                        parts.append(([r], extractor.transform(images[r][None])))
                    except InvalidImageError as err:
                        failures.append({"row": r, "path": labels[r], "reason": str(err)})
            for part_rows, part in parts:
                part = np.asarray(part)
                if data is None:
                    data, first = np.empty((len(images), part.shape[1]), part.dtype), who
                elif part.shape[1] != data.shape[1]:
                    raise ImageSizeError.between(first, data.shape[1], who, part.shape[1])
                data = data.astype(np.result_type(data, part), copy=False)
                data[part_rows] = part
                done[part_rows] = True
    if data is None:
        return np.empty((len(images), 0)), None
    data[~done] = np.nan
    return data, first


def extract_chunk(task: Task) -> dict:
    """Read and featurise one chunk (cast to ``task.dtype`` unless None); return its summary.

    ``kept`` are the fingerprints of the images read (the shard's rows), ``data``
    their features, ``failures`` their failures (``row`` indexes ``kept``);
    ``transient`` lists the files that could not be read (reported, never
    stored); ``seen`` is each source's fingerprint (None: unreadable); ``first``
    names the image that set the features' width.
    """
    seen, kept, labels, images, failures, transient = [], [], [], [], [], []
    for fp, source, label in zip(task.fps, task.sources, task.labels, strict=True):
        try:
            fp, image, reason = _load(source, fp)
        except OSError as err:
            transient.append({"path": label, "reason": f"cannot read: {err}"})
            seen.append(None)
            continue
        if reason is not None:
            failures.append({"row": len(kept), "path": label, "reason": reason})
        seen.append(fp)
        kept.append(fp)
        labels.append(label)
        images.append(image)
    data, first = _features(task.extractor, images, labels, failures)
    if task.dtype is not None:
        data = data.astype(task.dtype, copy=False)
    failed = {f["row"] for f in failures}
    if data.shape[1]:  # rows the extractor gave up on (NaN everywhere) are failures too
        failures += [{"row": row, "path": labels[row], "reason":
                      "the extractor returned NaN features (no face found?)"}
                     for row in np.flatnonzero(np.isnan(data[:, 0])).tolist()
                     if row not in failed and np.isnan(data[row]).all()]
    return {"rows": task.rows, "seen": seen, "kept": kept, "data": data, "first": first,
            "failures": sorted(failures, key=lambda f: f["row"]), "transient": transient,
            "n_computed": len(kept), "written": True, "meta": None}


def _compute(task: Task) -> dict:
    """Compute a chunk unless its shard exists already (another process wrote it)."""
    if None not in task.fps and (meta := ShardStore(task.directory).read_meta(
            shard_id(task.fps))) is not None:
        return {"rows": task.rows, "seen": task.fps, "meta": meta, "n_computed": 0,
                "transient": [], "first": None, "written": False, "extract_s": 0.0,
                "write_s": 0.0}
    t = time.perf_counter()
    summary = extract_chunk(task)
    summary.update(extract_s=time.perf_counter() - t, write_s=0.0)
    return summary


def _write(task: Task, summary: dict) -> dict:
    """Write a computed chunk's shard; its sidecar and the seconds go into ``summary``."""
    if summary.get("kept"):
        t = time.perf_counter()
        summary["meta"] = ShardStore(task.directory).write_shard(
            summary["kept"], summary["data"], summary["failures"], durable=task.durable)
        summary["write_s"] = time.perf_counter() - t
    return summary


def fill_task(task: Task) -> dict:
    """Compute one chunk in a worker with ``task.n_threads`` Numba threads and write its shard.

    Returns the summary of :func:`extract_chunk` without ``data``, with ``meta``
    (the shard's sidecar; None when no image could be read), ``written`` (False:
    another process had written it) and the seconds spent extracting and writing.
    """
    import numba

    previous = numba.get_num_threads()
    set_numba_threads(task.n_threads)
    try:
        summary = _write(task, _compute(task))
    finally:
        numba.set_num_threads(previous)
    summary.pop("data", None)  # the parent reads the rows from the shard
    return summary


def run_tasks(tasks, plan, take) -> None:
    """Run ``tasks`` where ``plan`` (:func:`aufeat.parallel.plan_workers`) says.

    ``take(summary)`` receives each result: in this thread as workers finish, or,
    in this process, in the background thread that has just written the shard
    (the summary then holds the rows as ``data``).
    """
    if plan.backend != "serial":
        results = run_unordered(fill_task, ((task,) for task in tasks), plan)
        try:
            for summary in results:
                take(summary)
        finally:  # after an error: the tasks still running are cancelled, as intended
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "[0-9]+ tasks which were still")
                results.close()
        return
    pending: deque = deque()
    with ThreadPoolExecutor(1) as writer:
        for task in tasks:
            summary = _compute(task)
            pending.append(writer.submit(lambda t, s: take(_write(t, s)), task, summary))
            while len(pending) > _MAX_PENDING or (pending and pending[0].done()):
                pending.popleft().result()
        while pending:
            pending.popleft().result()
