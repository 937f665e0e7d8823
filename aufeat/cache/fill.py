"""Filling the cache: read a chunk of images, extract, write its shard; here or in workers.

``docs/cache.md`` (Parallel filling and dask) describes how.
"""

from __future__ import annotations

import os
import time
import warnings
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .._image_file import existing_file
from .._portable import portable as _portable
from ..exceptions import (
    ImageTooLargeError,
    InvalidImageError,
    MissingCodecError,
    UnreadableFileError,
)
from ..io import decode_image
from ..parallel import cap_numba_threads, run_unordered, set_numba_threads
from .keys import fingerprint_array, fingerprint_file
from .result import Output
from .store import ShardStore, shard_id, without_oversize

__all__ = ["EXTRACT_BATCH", "Task", "fill_task", "run_tasks"]

#: Images per ``extractor.transform`` call: HOG runs ~30% faster on batches that fit the
#: CPU caches than on a whole chunk of 256 faces (features do not depend on batch size).
EXTRACT_BATCH = 32
_MAX_PENDING = 2  # chunks computed here and held in memory while their shards are written


class Task(NamedTuple):
    """One chunk, one shard: sources, their fingerprints (None: taken by the worker), rows."""

    directory: str
    fps: list
    sources: list
    labels: list
    rows: list
    extractor: object
    n_threads: int
    durable: bool = False
    dtype: str | None = None
    pack: str | None = None  # the request's result file in the folder, once it exists
    caller_pid: int | None = None  # the process that asked for the features


class _NotStored(OSError):
    """A file refused for a setting of this process, not for its bytes: retried, never stored.

    Over OpenCV's pixel limit (``OPENCV_IO_MAX_IMAGE_PIXELS``), or compressed in a way that
    only a package not installed decodes (:class:`~aufeat.exceptions.MissingCodecError`).
    """


def _load(source, fp):
    """``(fingerprint, image, None)`` or ``(fingerprint, None, reason)``; OSError: retry later."""
    if isinstance(source, OSError):  # a video frame that could not be read
        raise source
    if not isinstance(source, str):
        return fp or fingerprint_array(source), np.asarray(source), None
    try:  # a named pipe would block, a device fill memory: a file later, perhaps
        if os.path.exists(source):  # a missing file: the OSError of reading it
            existing_file(source, regular=True)
    except UnreadableFileError as err:
        raise OSError(str(err)) from None
    data = Path(source).read_bytes()
    got = fingerprint_file(data)
    if fp is not None and got != fp:
        raise OSError("the file changed while the cache was being filled; run again")
    try:
        return got, decode_image(data, source), None
    except (ImageTooLargeError, MissingCodecError) as err:  # the process's, not the bytes'
        raise _NotStored(err) from None
    except ValueError as err:
        return got, None, f"cannot decode: {err}"


def _naming(err: Exception, label: str) -> Exception:
    """Return ``err`` (raised by one image given alone, as ``X[0]``) saying it is ``label``.

    Of the same type when it can be built from a message, else a RuntimeError.
    """
    message = str(err)
    message = message.replace("X[0]", label) if "X[0]" in message else f"{label}: {message}"
    try:
        named = type(err)(message)
    except Exception:  # a type that takes other arguments
        named = None
    if not isinstance(named, type(err)):
        named = RuntimeError(f"extracting the features of {label} failed: "
                             f"{type(err).__name__}: {err}")
    return named


def _transform(extractor, images: list) -> np.ndarray:
    """Return the extractor's features of a list of images, as a plain array.

    aufeat's extractors take the list itself (each item one image: a 2-D one grey, even
    with a ``channel_axis``); any other transformer gets them stacked into a batch. Either
    way without scikit-learn's ``set_output`` wrapper, which under a global
    ``transform_output='pandas'`` asks the unfitted extractor for feature names.
    """
    own = getattr(extractor, "_features_of_images", None)
    if own is not None:
        return own(images)
    from sklearn import config_context

    with config_context(transform_output="default"):
        return extractor.transform(np.stack(images))


def _checked(extractor, part, rows: list, who: str) -> np.ndarray:
    """Return an extractor's output for ``rows`` as an ``(n, D)`` array of numbers.

    Integer and bool features (counts, codes, masks) come back as float (exact up to
    2**24 and 2**53), so that a failed row can be NaN; anything else is refused.
    """
    part = np.asarray(part)
    if part.ndim != 2 or len(part) != len(rows):
        raise ValueError(f"{extractor!r} returned features of shape {part.shape} for "
                         f"{len(rows)} image(s) (the first: {who}); the feature cache needs "
                         f"an (n_images, n_features) array, here ({len(rows)}, D): reshape "
                         "in the extractor")
    if part.dtype.kind not in "biufc":
        raise ValueError(f"{extractor!r} returned features of dtype {part.dtype} (the first "
                         f"image: {who}); the feature cache stores numbers")
    return part


def _features(extractor, images: list, labels: list, failures: list, dtype=None):
    """Return a chunk's features (NaN rows where none) and the image that set their width.

    A batch the extractor rejects is retried image by image; rejections go to ``failures``,
    and any other error is raised again naming the image (its label) that caused it.
    Integer or bool features are stored as float (``dtype``, the cache's, when given):
    NaN marks a failed row.
    """
    groups: dict = {}
    for row, image in enumerate(images):
        if image is not None:
            groups.setdefault((image.shape, image.dtype.str), []).append(row)
    out, done = Output(len(images)), np.zeros(len(images), bool)
    for (shape, _), rows in groups.items():
        who = f"{labels[rows[0]]} ({'x'.join(map(str, shape))})"
        for start in range(0, len(rows), EXTRACT_BATCH):
            batch = rows[start:start + EXTRACT_BATCH]
            try:
                parts = [(batch, _transform(extractor, [images[r] for r in batch]))]
            except Exception:  # retried one by one to find the image
                parts = []
                for r in batch:
                    try:
                        parts.append(([r], _transform(extractor, [images[r]])))
                    except InvalidImageError as err:
                        failures.append({"row": r, "path": labels[r], "reason": str(err)})
                    except Exception as err:
                        raise _naming(err, labels[r]) from err
            for part_rows, part in parts:
                part = _checked(extractor, part, part_rows, who)
                kind = part.dtype.kind
                out.ensure(part.shape[1], part.dtype if kind == "f" else dtype or part.dtype, who)
                out.array[part_rows] = part
                done[part_rows] = True
    return out.finish(~done), out.who


def _compute(task: Task) -> dict:
    """Read and featurise a chunk, unless another process wrote its shard; return a summary.

    (A shard holding a failure of a file over OpenCV's pixel limit, which earlier
    versions stored, is computed again and replaced.)

    ``seen``: each source's fingerprint (None: unreadable, listed in ``transient``,
    never stored); ``kept``: those read, the rows of ``data`` that ``failures``
    index; ``first``: the image that set the width; ``meta``: the shard's sidecar.
    """
    if None not in task.fps and (meta := ShardStore(task.directory).read_meta(
            shard_id(task.fps))) is not None and without_oversize(meta) is meta:
        return {"rows": task.rows, "seen": task.fps, "meta": meta, "n_computed": 0,
                "transient": [], "first": None, "written": False, "extract_s": 0.0,
                "write_s": 0.0, "stored_meanwhile": True}
    t = time.perf_counter()
    seen, kept, labels, images, failures, transient = [], [], [], [], [], []
    for fp, source, label in zip(task.fps, task.sources, task.labels, strict=True):
        try:
            fp, image, reason = _load(source, fp)
        except OSError as err:
            verb = "decode" if isinstance(err, _NotStored) else "read"
            transient.append({"path": label, "reason": f"cannot {verb}: {err}"})
            seen.append(None)
            continue
        if reason is not None:
            failures.append({"row": len(kept), "path": label, "reason": reason})
        seen.append(fp)
        kept.append(fp)
        labels.append(label)
        images.append(image)
    data, first = _features(task.extractor, images, labels, failures, task.dtype)
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
            "n_computed": len(kept), "written": True, "meta": None,
            "extract_s": time.perf_counter() - t, "write_s": 0.0}


def _write(task: Task, summary: dict) -> dict:
    """Write a computed chunk's shard; its sidecar and the seconds go into ``summary``."""
    if summary.get("kept"):
        t = time.perf_counter()
        rows = [row for row, fp in zip(task.rows, summary["seen"], strict=True) if fp]
        in_order = task.pack and rows[-1] - rows[0] == len(rows) - 1  # rows ascend
        summary["meta"] = ShardStore(task.directory).write_shard(
            summary["kept"], summary["data"], summary["failures"], durable=task.durable,
            pack=(task.pack, rows[0]) if in_order else None)
        summary["write_s"] = time.perf_counter() - t
    return summary


def fill_task(task: Task) -> dict:
    """Compute and write a chunk in a worker; return the summary less ``data`` (in the shard).

    Numba's threads are limited to ``task.n_threads`` meanwhile. In the caller's own
    process (the threads of an in-process dask cluster) whose Numba threading layer is not
    launched, only aufeat's kernels are capped (:func:`aufeat.parallel.cap_numba_threads`):
    serial ones leave the layer alone, so the caller can still fork safely afterwards.

    An error is raised again as one that the caller can unpickle
    (:func:`aufeat._portable.portable`).
    """
    import numba
    from numba.np.ufunc import parallel as layer

    capped = task.caller_pid == os.getpid() and not getattr(layer, "_is_initialized", True)
    if capped:  # not launched: this thread has Numba's default count
        previous, outer = numba.config.NUMBA_NUM_THREADS, cap_numba_threads(task.n_threads)
    else:
        previous = numba.get_num_threads()
        set_numba_threads(task.n_threads)
    try:
        summary = _write(task, _compute(task))
    except Exception as err:
        failed = _portable(err)
    else:
        summary.pop("data", None)
        return summary
    finally:
        if capped:
            cap_numba_threads(outer)
        if getattr(layer, "_is_initialized", True):  # by now: the thread's count back
            numba.set_num_threads(previous)
    failed.__cause__ = failed.__context__ = None  # raised outside the except block: no chain
    raise failed


def run_tasks(tasks, plan, take) -> None:
    """Run ``tasks`` as ``plan`` says; ``take(summary)`` each once its shard is written.

    Serially, ``take`` runs in the writer thread and the summary holds the rows as ``data``.
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
