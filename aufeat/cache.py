"""A content-addressed, atomic, resumable disk cache of feature matrices.

:class:`FeatureCache` keys every image's features on a fingerprint of its
content (the file's bytes, or the pixels with their shape and dtype) plus the
extractor's name, parameters and ``feature_version``, so a changed parameter or
an upgraded algorithm can never return stale features. Missing features are
computed in parallel (joblib/loky locally, dask.distributed on a cluster) in
chunks, each written as a plain ``.npy`` shard with a JSON sidecar; killing a
fill loses at most the chunks in flight. See :mod:`aufeat._cache_store` for the
on-disk layout and why shards are checksummed rather than fsynced.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import _cache_fill as _fill
from ._atomic import remove_stale_temps
from ._cache_job import Job
from ._cache_store import (
    RESULTS_DIR,
    ShardStore,
    canonical_json,
    extractor_identity,
    init_root,
    store_dirname,
)

__all__ = ["FeatureCache", "FeatureExtractionError", "FillStats"]

#: Results larger than this many bytes are returned as read-only memory-mapped .npy files.
MEMMAP_THRESHOLD = 256 * 2**20


def _storage_dtype(dtype):
    if dtype is None:
        return None
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt.name not in ("float32", "float64"):
        raise ValueError(f"dtype must be None, 'float32' or 'float64', got {dtype!r}")
    return dt


class FeatureExtractionError(RuntimeError):
    """Some images could not be read or featurised and ``on_error='raise'`` was given.

    The rows that did work stay cached; ``cache.failures()`` lists the others.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from aufeat.estimators import HOGExtractor
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "broken.png").write_bytes(b"not an image")
    >>> cache = FeatureCache(root / "cache")
    >>> try:
    ...     cache.features([root / "broken.png"], HOGExtractor(), on_error="raise",
    ...                    progress=False)
    ... except FeatureExtractionError as err:
    ...     print(type(err).__name__, len(cache.failures()))
    FeatureExtractionError 1
    """


@dataclass
class FillStats:
    """What one :meth:`FeatureCache.features` call did (``cache.last_fill``).

    Attributes
    ----------
    n_items, n_unique : int
        Rows requested; distinct image contents among them.
    n_cached : int
        Distinct contents found in the cache before computing.
    n_computed : int
        Images featurised by this call (0 on a warm cache).
    n_failed : int
        Rows returned as NaN (unreadable files, images the extractor rejected).
    n_shards_written : int
        Shards this call wrote.
    n_rows_written_by_workers : int
        Rows local (loky) workers wrote straight into a memory-mapped result; the
        parent copied the others in from their shards.
    corrupt_shards : list of str
        Shards found damaged (then discarded and recomputed), with the reason.
    backend : str
        'serial', 'loky' or 'dask'; with ``n_workers`` and ``threads_per_task``.
    seconds : dict
        Wall time of the 'fingerprint', 'fill', 'assemble' steps and the 'total';
        'extract' and 'write' sum the workers' time spent extracting (reading,
        decoding, and fingerprinting files when the cache held nothing for the
        extractor yet) and writing shards (in this process: the background writer's
        time, which includes copying rows into a memory-mapped result).
    result_path : str or None
        The memory-mapped result file, when the result is one.
    n_mapped_shards : int
        Shards whose files the result maps side by side (0 when it is a file or
        in memory).

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from aufeat.estimators import LBPExtractor
    >>> cache = FeatureCache(tempfile.mkdtemp())
    >>> faces = np.random.default_rng(0).random((5, 32, 32))
    >>> _ = cache.features(faces, LBPExtractor(), progress=False)
    >>> cache.last_fill.n_computed, cache.last_fill.n_cached
    (5, 0)
    >>> _ = cache.features(faces, LBPExtractor(), progress=False)
    >>> cache.last_fill.n_computed, cache.last_fill.n_cached
    (0, 5)
    """

    n_items: int = 0
    n_unique: int = 0
    n_cached: int = 0
    n_computed: int = 0
    n_failed: int = 0
    n_shards_written: int = 0
    n_rows_written_by_workers: int = 0
    corrupt_shards: list = field(default_factory=list)
    backend: str = "serial"
    n_workers: int = 1
    threads_per_task: int = 1
    seconds: dict = field(default_factory=dict)
    result_path: str | None = None
    n_mapped_shards: int = 0


class FeatureCache:
    """Disk cache of feature matrices, filled in parallel and safe to interrupt.

    Parameters
    ----------
    root : str or path-like
        Cache folder; created if missing. An existing non-empty folder that is
        not an aufeat cache is refused.
    memmap_threshold : int or None, default=256 MiB
        Results larger than this (bytes) are read-only memory maps; smaller ones
        are in-memory arrays. None: always in memory.
    map_shards : bool, default=True
        Let a large result be the shards' own files mapped side by side, read-only,
        when they hold its rows in order (a cold fill of a list, or the same list
        again): no second copy is written. Otherwise, and with False, a large
        result is a ``np.memmap`` of a ``.npy`` file in ``results_dir`` (which
        joblib, for one, passes to its workers by name instead of copying).
    results_dir : str or path-like, optional
        Where memory-mapped results go (default ``root/results``); a fast local
        disk or tmpfs helps when the cache sits on slow or network storage.
    dtype : {None, 'float32', 'float64'}, default=None
        None stores and returns exactly what the extractor computes (bit for
        bit). 'float32' stores (and returns) features rounded to float32: half
        the disk space and write time for float64 extractors such as HOG. The
        storage dtype is part of the cache key, so a float32 cache never serves
        float64 features or the other way round.
    durable : bool, default=False
        fsync every shard and its sidecar before renaming them into place (and
        the folder after a fill), so that a power cut cannot lose computed
        features. By default shards are not flushed: a kill never loses written
        shards (they are in the page cache), and a shard a power cut leaves
        missing, truncated or damaged fails its CRC-32 check on the next read
        and is recomputed. Worth it only when recomputing is very expensive.

    Attributes
    ----------
    root : pathlib.Path
        The absolute cache folder.
    last_fill : FillStats or None
        What the last :meth:`features` call did.

    See Also
    --------
    aufeat.estimators.HOGExtractor : an extractor whose ``cache=`` goes through this class.

    Notes
    -----
    Shards are written to a temporary file and renamed, then a JSON sidecar (the
    commit record: fingerprints of the rows, shape, dtype, CRC-32) likewise.
    Reads check the CRC; a damaged shard is reported with an
    :class:`aufeat.AufeatWarning`, discarded and recomputed. Several processes
    may fill one cache at once.

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from aufeat.cache import FeatureCache
    >>> from aufeat.estimators import HOGExtractor
    >>> cache = FeatureCache(tempfile.mkdtemp())
    >>> images = np.random.default_rng(0).random((3, 32, 32))
    >>> X = cache.features(images, HOGExtractor(), progress=False)
    >>> X.shape, cache.last_fill.n_computed
    ((3, 324), 3)
    >>> X2 = cache.features(images, HOGExtractor(), progress=False)
    >>> bool(np.array_equal(X, X2)), cache.last_fill.n_computed
    (True, 0)
    """

    def __init__(self, root, *, memmap_threshold: int | None = MEMMAP_THRESHOLD,
                 results_dir=None, dtype=None, durable: bool = False, map_shards: bool = True):
        self.root = init_root(root)
        self.map_shards = bool(map_shards)
        self.durable = bool(durable)
        self.dtype = _storage_dtype(dtype)
        self.memmap_threshold = memmap_threshold
        self.results_dir = (self.root / RESULTS_DIR if results_dir is None
                            else Path(results_dir).expanduser().absolute())
        self.last_fill: FillStats | None = None
        self._transient: list[dict] = []
        self._fp_memo: dict = {}

    def __repr__(self) -> str:
        return f"FeatureCache({str(self.root)!r})"

    def _store(self, extractor, *, create: bool = False) -> ShardStore:
        identity = extractor_identity(extractor)
        if self.dtype is not None:  # part of the key: a different folder per storage dtype
            identity["stored_dtype"] = self.dtype.name
        return ShardStore(self.root / store_dirname(identity), identity if create else None)

    def features(self, dataset_or_paths, extractor, *, n_jobs: int | None = None,
                 backend: str | None = None, progress: bool = True, on_error: str = "nan",
                 chunk_size: int | None = None) -> np.ndarray:
        """Return the ``(N, D)`` features of every image, computing only what is missing.

        Parameters
        ----------
        dataset_or_paths : FaceDataset, list of path, ndarray or list of ndarray
            A data set (its file paths, or its in-memory images), image file
            paths, or an image batch ``(N, H, W)`` / ``(N, H, W, C)``.
        extractor : estimator
            An aufeat extractor (``HOGExtractor``, ...) or a ``Pipeline`` of
            alignment + extractor: anything with ``get_params()`` and ``transform``.
        n_jobs : int, optional
            Local worker processes (loky); None or 1 computes in this process,
            -1 uses every core. Each worker gets ``cores // n_jobs`` Numba threads.
        backend : {None, 'loky', 'dask'}, optional
            'dask' runs on the current ``distributed.Client``; None follows an
            active ``joblib.parallel_config(backend='dask')``, else loky.
        progress : bool, default=True
            Show a tqdm progress bar while computing.
        on_error : {'nan', 'raise'}, default='nan'
            What to do when images cannot be read or featurised: return NaN rows
            and record the failures (see :meth:`failures`), or raise afterwards.
        chunk_size : int, optional
            Images per task and shard (default: about four tasks per worker,
            at most 256).

        Returns
        -------
        ndarray, shape (N, D)
            Rows in the input's order; read-only and memory-mapped when larger
            than ``memmap_threshold`` bytes: the shards' own files side by side
            where they hold the rows in order (``map_shards``), else a
            ``np.memmap`` of a result file. A later call for the same list of
            images (same contents, same order) gets the same file back without
            copying, as long as the cache still holds every row and the machine
            has not restarted in between (else the result is assembled again
            from the checksummed shards).

        Raises
        ------
        FeatureExtractionError
            With ``on_error='raise'`` when some rows failed (computed rows stay cached).
        """
        if on_error not in ("nan", "raise"):
            raise ValueError(f"on_error must be 'nan' or 'raise', got {on_error!r}")
        if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
            raise ValueError(f"chunk_size must be a positive int or None, got {chunk_size!r}")
        t0 = time.perf_counter()
        stats = FillStats()
        self.last_fill = stats
        sources, labels = _fill.resolve_sources(dataset_or_paths)
        store = self._store(extractor, create=True)
        # nothing cached for this extractor yet: files are fingerprinted as they are read
        deferred = bool(sources) and all(isinstance(s, str) for s in sources) and store.empty()
        if deferred:
            fps, reasons = [None] * len(sources), []
        else:
            fps, reasons = _fill.fingerprint_sources(sources, self._fp_memo)
        stats.n_items = len(fps)
        transient = [{"path": labels[i], "reason": r} for i, r in enumerate(reasons) if r]
        stats.seconds["fingerprint"] = time.perf_counter() - t0
        job = Job(self, store, fps, sources, labels, extractor, stats, deferred=deferred)
        out, failures = job.run(n_jobs=n_jobs, backend=backend, progress=progress,
                                chunk_size=chunk_size)
        stats.n_unique = len(set(job.fps) - {None})
        job.transient += transient
        name = store.identity().get("name", "")
        self._transient = [{**f, "extractor": name} for f in job.transient]
        stats.seconds["total"] = time.perf_counter() - t0
        if on_error == "raise" and stats.n_failed:
            first = (failures + job.transient)[0]
            raise FeatureExtractionError(
                f"{stats.n_failed} of {stats.n_items} images failed, e.g. {first['path']}: "
                f"{first['reason']}. Fix or remove them, or pass on_error='nan' to get NaN "
                "rows (cache.failures() lists them)."
            )
        return out

    def failures(self, extractor=None) -> list[dict]:
        """List the images that could not be featurised.

        Parameters
        ----------
        extractor : estimator or str, optional
            Only this extractor's failures (an estimator, or its name such as
            ``'hog'``); default: every extractor in the cache.

        Returns
        -------
        list of dict
            ``{'extractor', 'path', 'reason', 'fingerprint'}``, stored failures
            (undecodable images, rejected images) and the unreadable files of the
            last :meth:`features` call (``fingerprint`` None: they are retried).
        """
        found = []
        for store in self._stores(extractor):
            name = store.identity().get("name", store.directory.name)
            index = store.index()
            for meta in index.shards.values():
                for f in meta["failures"]:
                    fp = meta["fingerprints"][f["row"]]
                    found.append({"extractor": name, "path": f["path"],
                                  "reason": f["reason"], "fingerprint": fp})
        names = {s.identity().get("name") for s in self._stores(extractor)}
        found += [{**f, "fingerprint": None} for f in self._transient if f["extractor"] in names]
        unique = {canonical_json(f): f for f in found}
        return sorted(unique.values(), key=lambda f: (f["extractor"], str(f["path"])))

    def _stores(self, extractor=None) -> list[ShardStore]:
        dirs = sorted(p for p in self.root.iterdir() if p.is_dir() and p.name != RESULTS_DIR)
        if extractor is None:
            return [ShardStore(d) for d in dirs]
        if not isinstance(extractor, str):
            return [s for s in [self._store(extractor)] if s.directory.is_dir()]
        return [s for s in map(ShardStore, dirs) if s.identity().get("name") == extractor]

    def info(self) -> list[dict]:
        """Describe every extractor in the cache: name, params, version, rows, shards, bytes.

        Examples
        --------
        >>> import tempfile
        >>> FeatureCache(tempfile.mkdtemp()).info()
        []
        """
        return [store.summary() for store in self._stores()]

    def results(self) -> list:
        """List the memory-mapped result files of earlier calls (one per list of images).

        Examples
        --------
        >>> import tempfile
        >>> FeatureCache(tempfile.mkdtemp()).results()
        []
        """
        if not self.results_dir.is_dir():
            return []
        return sorted(str(p) for p in self.results_dir.glob("*.npy"))

    def clear_results(self) -> int:
        """Delete the result files of earlier calls; the cached features stay. Return how many.

        Each distinct list of images asked for above ``memmap_threshold`` keeps its
        result file (so that asking again returns it without copying); this frees
        that space. Processes still using a result keep it until they let go.

        Examples
        --------
        >>> import tempfile
        >>> FeatureCache(tempfile.mkdtemp()).clear_results()
        0
        """
        removed = 0
        for path in map(Path, self.results()):
            with contextlib.suppress(FileNotFoundError):
                path.with_suffix(".json").unlink()  # the record first: never reused half-gone
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
        if self.results_dir.is_dir():
            remove_stale_temps(self.results_dir)
        return removed

    def clear(self, extractor=None) -> int:
        """Delete the cached features of one extractor (estimator or name), or all of them.

        Returns
        -------
        int
            Number of extractor folders removed.

        Examples
        --------
        >>> import tempfile
        >>> FeatureCache(tempfile.mkdtemp()).clear()
        0
        """
        stores = self._stores(extractor)
        for store in stores:
            shutil.rmtree(store.directory, ignore_errors=True)
        shutil.rmtree(self.root / RESULTS_DIR, ignore_errors=True)
        return len(stores)
