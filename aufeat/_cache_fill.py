"""Worker side of a feature-cache fill: read images, extract, write one shard.

Workers get a chunk of fingerprints with their sources (file paths, or small
arrays for in-memory data sets), read the images themselves and write the
shard straight into the cache folder; they return only a small summary.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ._cache_store import (
    ShardStore,
    fingerprint_array,
    fingerprint_file,
    shard_id,
)
from .exceptions import InvalidImageError

#: Images per ``extractor.transform`` call inside a chunk (a chunk is one shard / task).
EXTRACT_BATCH = 32

__all__ = ["EXTRACT_BATCH", "Chunk", "check_width", "decode_image_bytes", "extract_chunk",
           "fill_task", "fingerprint_sources", "read_image_file", "resolve_sources"]


def read_image_file(path) -> np.ndarray:
    """Read one image file the way every aufeat extractor does (:func:`aufeat.io.read_image`)."""
    from .io import read_image

    return read_image(path)


# --- inputs -------------------------------------------------------------------------------


def _is_path(x) -> bool:
    return isinstance(x, (str, os.PathLike))


def resolve_sources(data) -> tuple[list, list[str]]:
    """Return ``(sources, labels)``: one file path or image array per row, and a label each.

    Accepts a list of file paths, an image batch ``(N, H, W[, C])``, a list of
    images, or a data set object with ``paths`` (lazy) or ``images``.
    """
    if hasattr(data, "in_memory") and hasattr(data, "paths"):  # a FaceDataset
        frames = getattr(data, "_video_frame", None)
        if not data.in_memory and (frames is None or (np.asarray(frames) < 0).all()):
            return resolve_sources(list(data.paths))
        name = getattr(data, "name", "dataset")
        if data.in_memory:
            labels = [f"{name}[{i}]" for i in range(len(data))]
        else:  # video frames: read here, one by one, and keyed on their pixels
            labels = [f"{p}#frame{f}" for p, f in zip(data.paths, frames, strict=True)]
        return [data[i] for i in range(len(data))], labels
    if _is_path(data):
        raise TypeError(
            f"got one path {os.fspath(data)!r}; pass a list of image paths (e.g. [path]) "
            "or a data set."
        )
    if isinstance(data, np.ndarray):
        if data.ndim not in (3, 4):
            raise InvalidImageError(
                f"images: got shape {data.shape}; expected a batch (N, H, W) or (N, H, W, C), "
                "a list of paths or a data set. Wrap a single image as image[None]."
            )
        return list(data), [f"images[{i}]" for i in range(len(data))]
    items = list(data)
    if all(_is_path(p) for p in items):
        return [os.fspath(p) for p in items], [os.fspath(p) for p in items]
    if all(isinstance(p, np.ndarray) for p in items):
        return items, [f"images[{i}]" for i in range(len(items))]
    raise TypeError(
        "expected a list of image file paths, an image batch (N, H, W[, C]), a list of "
        f"images or a data set; got a {type(data).__name__} of mixed or unsupported items."
    )


def _fingerprint_one(source, memo: dict):
    """Return ``(fingerprint, None)`` or ``(None, reason)`` for one source."""
    if not isinstance(source, str):
        return fingerprint_array(source), None
    try:
        st = os.stat(source)
        key = (source, st.st_size, st.st_mtime_ns, st.st_ino)
        if key not in memo:
            memo[key] = fingerprint_file(source)
        return memo[key], None
    except OSError as err:
        return None, f"cannot read file: {err.strerror or err}"


def fingerprint_sources(sources, memo: dict, n_threads: int = 4, block: int = 128):
    """Fingerprint every source (threads for files); return fingerprints and failure reasons.

    Files go to the threads in blocks of ``block`` (one future per file would cost
    as much as reading and hashing a small image).
    """
    if sources and isinstance(sources[0], str) and len(sources) > block:
        blocks = [sources[i:i + block] for i in range(0, len(sources), block)]
        with ThreadPoolExecutor(n_threads) as pool:
            parts = pool.map(lambda b: [_fingerprint_one(s, memo) for s in b], blocks)
            pairs = [pair for part in parts for pair in part]
    else:
        pairs = [_fingerprint_one(s, memo) for s in sources]
    return [p[0] for p in pairs], [p[1] for p in pairs]


# --- worker -------------------------------------------------------------------------------


def decode_image_bytes(data: bytes, path) -> np.ndarray:
    """Decode an image file's bytes exactly as :func:`aufeat.io.read_image` reads the file.

    Workers read each file once, for its fingerprint and its pixels, instead of
    letting OpenCV open it a second time (``cv2.imdecode`` and ``cv2.imread`` share
    their decoders; ``tests/cache`` checks both give the same arrays).
    """
    import cv2

    from .io import decoded_to_rgb

    try:
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    except cv2.error:  # e.g. an empty file, which imread reports as None
        image = None
    return decoded_to_rgb(image, path)


def _load(source, fp: str | None):
    """Read one source: ``(fingerprint, image, None)`` or ``(fingerprint, None, reason)``.

    ``fp`` None: the caller has not fingerprinted the source (a fill into an empty
    cache), so the fingerprint is taken from the bytes read here. OSError means
    "try again later" (unreadable, or changed since it was fingerprinted).
    """
    if not isinstance(source, str):
        return fp or fingerprint_array(source), np.asarray(source), None
    with open(source, "rb") as f:
        data = f.read()
    got = fingerprint_file(source, data)
    if fp is not None and got != fp:
        raise OSError("the file changed while the cache was being filled; run again")
    try:
        return got, decode_image_bytes(data, source), None
    except ValueError as err:
        return got, None, f"cannot decode: {err}"


def _transform_group(extractor, images, rows, feats, failures, labels):
    """Extract a same-shape group as one batch; isolate bad images one by one on error."""
    try:
        out = np.asarray(extractor.transform(np.stack(images)))
    except InvalidImageError:
        for image, row in zip(images, rows, strict=True):
            try:
                feats[row] = np.asarray(extractor.transform(image[None]))[0]
            except InvalidImageError as err:
                failures.append({"row": row, "path": labels[row], "reason": str(err)})
        return
    for vec, row in zip(out, rows, strict=True):
        feats[row] = vec


def _different_lengths(lengths):
    raise ValueError(
        f"images of different sizes give feature vectors of different lengths "
        f"{sorted(lengths)}; resize or align the faces to one size first "
        "(e.g. FaceDataset.load_images(size=...), or a Pipeline with an aligner)."
    )


class Chunk(NamedTuple):
    """The features of one chunk of sources (:func:`extract_chunk`).

    Attributes
    ----------
    kept : list of str
        Fingerprints of the sources that could be read, in order: the shard's rows.
    data : ndarray, shape (len(kept), D)
        Their features; NaN rows for failed images.
    failures : list of dict
        Content-determined failures (stored with the shard; ``row`` indexes ``kept``).
    transient : list of dict
        Unreadable files: reported, never stored.
    fps : list
        The fingerprint of every source (None where it could not be read).
    """

    kept: list
    data: np.ndarray
    failures: list
    transient: list
    fps: list


def extract_chunk(fps, sources, labels, extractor, dtype=None) -> Chunk:
    """Features of one chunk (cast to ``dtype`` unless None); ``fps`` entries may be None."""
    transient, loaded, seen = [], [], []
    for fp, source, label in zip(fps, sources, labels, strict=True):
        try:
            fp, image, reason = _load(source, fp)
        except OSError as err:
            transient.append({"path": label, "reason": f"cannot read: {err}", "fingerprint": fp})
            seen.append(None)
            continue
        loaded.append((fp, label, image, reason))
        seen.append(fp)
    kept = [item[0] for item in loaded]
    labels = [item[1] for item in loaded]
    failures = [{"row": r, "path": item[1], "reason": item[3]}
                for r, item in enumerate(loaded) if item[3] is not None]
    groups: dict = {}
    for row, item in enumerate(loaded):
        if item[2] is not None:
            groups.setdefault((item[2].shape, item[2].dtype.str), []).append(row)
    if len(groups) == 1 and not failures:  # the usual case: one batch, used as it comes
        data = _transform_batch(extractor, [item[2] for item in loaded])
    else:
        data = None
    if data is None:
        data = _assemble(extractor, loaded, groups, failures, labels)
    if dtype is not None:
        data = data.astype(dtype, copy=False)
    failed = {f["row"] for f in failures}
    if data.shape[1]:  # rows the extractor gave up on (NaN everywhere) are failures too
        for row in np.flatnonzero(np.isnan(data[:, 0])).tolist():
            if row not in failed and np.isnan(data[row]).all():
                failures.append({"row": row, "path": labels[row], "reason":
                                 "the extractor returned NaN features (no face found?)"})
    failures.sort(key=lambda f: f["row"])
    return Chunk(kept, data, failures, transient, seen)


def _transform_batch(extractor, images):
    """Features of one same-shape batch as a C-contiguous 2-D array; None if an image fails.

    The extractor sees :data:`EXTRACT_BATCH` images at a time: a chunk of 256
    112x112 faces is ~25 MB as float64, too large for the CPU caches, and HOG
    runs ~30% faster on batches that fit (features do not depend on batch size).
    """
    data = None
    for start in range(0, len(images), EXTRACT_BATCH):
        part = images[start:start + EXTRACT_BATCH]
        try:
            out = np.asarray(extractor.transform(np.stack(part)))
        except InvalidImageError:
            return None
        if out.ndim != 2 or out.shape[0] != len(part):
            return None
        if data is None:
            data = np.empty((len(images), out.shape[1]), out.dtype)
        elif out.shape[1] != data.shape[1] or out.dtype != data.dtype:
            return None
        data[start:start + len(part)] = out
    return data


def _assemble(extractor, loaded, groups, failures, labels):
    """Features of mixed-shape or partly failing chunks, with NaN rows for failed images."""
    feats: dict[int, np.ndarray] = {}
    for rows in groups.values():
        images = [loaded[r][2] for r in rows]
        _transform_group(extractor, images, rows, feats, failures, labels)
    d = next(iter(feats.values())).shape[0] if feats else 0
    if any(v.shape != (d,) for v in feats.values()):
        _different_lengths({v.shape[0] for v in feats.values()})
    dtype = np.result_type(*(v.dtype for v in feats.values())) if feats else np.float64
    data = np.full((len(loaded), d), np.nan, dtype=dtype)
    for row, vec in feats.items():
        data[row] = vec
    return data


def fill_task(directory: str, fps: list, sources: list, labels: list, extractor,
              n_threads: int, durable: bool = False, dtype: str | None = None,
              target=None) -> dict:
    """Compute one chunk in a worker and write its shard; return a small summary.

    The summary holds ``shard`` (the id to read the rows from, None when no image
    could be read), ``meta`` (its sidecar, when this task wrote it), counts, the
    transient failures, the seconds spent, and ``fps``: the fingerprints of the
    ``sources`` (also returned) when the task was sent without them (else None).

    ``target``, for a worker on the machine that holds a memory-mapped result, is
    that result's :attr:`~aufeat._cache_output.Output.target` plus the result row
    of each source: the worker then writes its rows there too, and ``wrote`` in
    the summary says ``(path, rows)`` it wrote (else None).
    """
    store = ShardStore(Path(directory))
    known = None not in fps
    sid = shard_id(fps) if known else None
    summary = {"n": len(fps), "shard": sid, "n_computed": 0, "n_shards": 0, "transient": [],
               "extract_s": 0.0, "write_s": 0.0, "meta": None, "fps": None, "wrote": None}
    if known and store.has_shard(sid):  # another process finished this chunk already
        return summary
    import numba

    from .parallel import set_numba_threads

    previous = numba.get_num_threads()
    set_numba_threads(n_threads)
    try:
        t0 = time.perf_counter()
        kept, data, failures, transient, seen = extract_chunk(fps, sources, labels, extractor,
                                                              dtype)
        t1 = time.perf_counter()
        meta = store.write_shard(kept, data, failures, durable=durable) if kept else None
        if meta is not None and target is not None:
            summary["wrote"] = _write_result_rows(target, seen, data)
        t2 = time.perf_counter()
    finally:
        numba.set_num_threads(previous)
    summary.update(shard=shard_id(kept) if kept else None, n_computed=len(kept),
                   n_shards=int(bool(kept)), transient=transient, extract_s=t1 - t0,
                   write_s=t2 - t1, meta=meta)
    if not known:
        summary.update(fps=seen, sources=sources)
    return summary


def _write_result_rows(target, seen, data):
    """Write a chunk's rows into the result file; return ``(path, rows)``, or None if not."""
    from ._cache_output import write_rows

    path, offset, d, result_dtype, rows = target
    if data.shape[1] != d or data.dtype.str != result_dtype:
        return None  # the parent widens or rejects the result; it copies from the shard
    rows = [row for row, fp in zip(rows, seen, strict=True) if fp is not None]
    try:
        write_rows((path, offset, d, result_dtype), rows, data)
    except OSError:  # the parent replaced the file meanwhile (widened)
        return None
    return path, rows


def check_width(expected: int, got: int) -> None:
    """Raise the different-sizes error when a chunk's width differs from the result's."""
    if expected != got:
        _different_lengths({expected, got})
