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

import numpy as np

from ._cache_store import (
    ShardStore,
    fingerprint_array,
    fingerprint_file,
    shard_id,
)
from .exceptions import InvalidImageError

__all__ = ["check_width", "extract_chunk", "fill_task", "fingerprint_sources", "read_image_file",
           "resolve_sources"]


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


def fingerprint_sources(sources, memo: dict, n_threads: int = 4):
    """Fingerprint every source (threads for files); return fingerprints and failure reasons."""
    if sources and isinstance(sources[0], str) and len(sources) > 64:
        with ThreadPoolExecutor(n_threads) as pool:
            pairs = list(pool.map(lambda s: _fingerprint_one(s, memo), sources, chunksize=64))
    else:
        pairs = [_fingerprint_one(s, memo) for s in sources]
    return [p[0] for p in pairs], [p[1] for p in pairs]


# --- worker -------------------------------------------------------------------------------


def _load(source, fp: str) -> np.ndarray:
    """Read one source; OSError means "try again later", ValueError "bad content"."""
    if not isinstance(source, str):
        return np.asarray(source)
    with open(source, "rb") as f:
        data = f.read()
    if fingerprint_file(source, data) != fp:
        raise OSError("the file changed while the cache was being filled; run again")
    try:
        return read_image_file(source)
    except FileNotFoundError as err:
        raise OSError(str(err)) from err


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


def extract_chunk(fps, sources, labels, extractor):
    """Features of one chunk.

    Returns ``(kept, data, failures, transient)``: the fingerprints stored, their
    features ``(len(kept), D)`` with NaN rows for failed images, the failures
    (content-determined, stored with the shard; ``row`` indexes ``kept``) and the
    transient failures (unreadable files: reported, never stored).
    """
    transient, loaded = [], []
    for fp, source, label in zip(fps, sources, labels, strict=True):
        try:
            loaded.append((fp, label, _load(source, fp), None))
        except OSError as err:
            transient.append({"path": label, "reason": f"cannot read: {err}", "fingerprint": fp})
        except ValueError as err:
            loaded.append((fp, label, None, f"cannot decode: {err}"))
    kept = [item[0] for item in loaded]
    labels = [item[1] for item in loaded]
    failures = [{"row": r, "path": item[1], "reason": item[3]}
                for r, item in enumerate(loaded) if item[3] is not None]
    groups: dict = {}
    for row, item in enumerate(loaded):
        if item[2] is not None:
            groups.setdefault((item[2].shape, item[2].dtype.str), []).append(row)
    feats: dict[int, np.ndarray] = {}
    for rows in groups.values():
        images = [loaded[r][2] for r in rows]
        _transform_group(extractor, images, rows, feats, failures, labels)
    d = next(iter(feats.values())).shape[0] if feats else 0
    if any(v.shape != (d,) for v in feats.values()):
        _different_lengths({v.shape[0] for v in feats.values()})
    dtype = np.result_type(*(v.dtype for v in feats.values())) if feats else np.float64
    data = np.full((len(kept), d), np.nan, dtype=dtype)
    for row, vec in feats.items():
        data[row] = vec
        if d and np.isnan(vec).all():
            failures.append({"row": row, "path": labels[row],
                             "reason": "the extractor returned NaN features (no face found?)"})
    failures.sort(key=lambda f: f["row"])
    return kept, data, failures, transient


def fill_task(directory: str, fps: list, sources: list, labels: list, extractor,
              n_threads: int) -> dict:
    """Compute one chunk in a worker and write its shard; return a small summary.

    The summary holds ``shard`` (the id to read the rows from, None when no image
    could be read), counts, the transient failures and the seconds spent.
    """
    store = ShardStore(Path(directory))
    sid = shard_id(fps)
    summary = {"n": len(fps), "shard": sid, "n_computed": 0, "n_shards": 0, "transient": [],
               "extract_s": 0.0, "write_s": 0.0}
    if store.has_shard(sid):  # another process finished this chunk already
        return summary
    import numba

    from .parallel import set_numba_threads

    previous = numba.get_num_threads()
    set_numba_threads(n_threads)
    try:
        t0 = time.perf_counter()
        kept, data, failures, transient = extract_chunk(fps, sources, labels, extractor)
        t1 = time.perf_counter()
        if kept:
            store.write_shard(kept, data, failures)
        t2 = time.perf_counter()
    finally:
        numba.set_num_threads(previous)
    summary.update(shard=shard_id(kept) if kept else None, n_computed=len(kept),
                   n_shards=int(bool(kept)), transient=transient, extract_s=t1 - t0,
                   write_s=t2 - t1)
    return summary


def check_width(expected: int, got: int) -> None:
    """Raise the different-sizes error when a chunk's width differs from the result's."""
    if expected != got:
        _different_lengths({expected, got})
