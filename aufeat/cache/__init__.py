"""A content-addressed, atomic, resumable disk cache of feature matrices.

:mod:`.request` drives one call through :mod:`.keys`, :mod:`.store`, :mod:`.fill`
and :mod:`.result`; ``docs/cache.md`` describes the design.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np

from .._atomic import remove_stale_temps
from ..io import resolve_sources
from .errors import (
    AllImagesFailedError,
    CorruptShardError,
    DamagedCacheError,
    FeatureExtractionError,
    ImageSizeError,
)
from .keys import canonical_json, check_stateless, extractor_identity, store_dirname
from .request import FillStats, Request
from .store import IDENTITY_FILE, RESULTS_DIR, ShardStore, init_root

__all__ = ["AllImagesFailedError", "CorruptShardError", "DamagedCacheError", "FeatureCache",
           "FeatureExtractionError", "FillStats", "ImageSizeError"]

#: Results larger than this many bytes are returned as read-only memory-mapped .npy files.
MEMMAP_THRESHOLD = 256 * 2**20


def _check_count(name: str, value, allowed: str, ok) -> None:
    """Raise ValueError unless ``value`` is None or an int for which ``ok(value)`` holds."""
    if value is not None and (not isinstance(value, (int, np.integer))
                              or isinstance(value, bool) or not ok(value)):
        raise ValueError(f"{name} must be None or {allowed}, got {value!r}")


#: A result file's name: ``<extractor folder>-<digest of the list of images>.npy``
_RESULT = re.compile(r"[^.].*-[0-9a-f]{20}-[0-9a-f]{20}\.npy")


def _result_files(folder: Path, prefix: str = "") -> list:
    """Return the result files in ``folder`` (of extractor folder ``prefix``), no other file."""
    return sorted(p for p in folder.glob(f"{prefix}*-*.npy") if _RESULT.fullmatch(p.name))


def _remove_results(folder: Path, prefix: str = "") -> int:
    """Delete result files (their record first) and stale temporary ones; return how many."""
    paths = _result_files(folder, prefix)
    for path in paths:
        path.with_suffix(".json").unlink(missing_ok=True)
        path.unlink(missing_ok=True)
    if folder.is_dir():
        remove_stale_temps(folder)
    return len(paths)


class FeatureCache:
    """Disk cache of feature matrices, filled in parallel and safe to interrupt.

    Parameters
    ----------
    root : str or path-like
        Cache folder, created if missing; a non-empty folder that is not an
        aufeat cache is refused.
    memmap_threshold : int or None, default=256 MiB
        Results of more bytes are read-only ``np.memmap`` views of a ``.npy``
        file in ``results_dir`` (in a first fill, the rows are written straight
        into it and cached there); None: always in-memory arrays.
    results_dir : str or path-like, optional
        Where memory-mapped results go (default ``root/results``).
    dtype : {None, 'float32', 'float64'}, default=None
        Storage dtype, part of the cache key; None keeps the extractor's (integer
        and bool features as float, so that a failed image's row can be NaN).
    durable : bool, default=False
        fsync every shard and its sidecar before renaming them into place.

    Attributes
    ----------
    root : pathlib.Path
        The absolute cache folder.
    last_fill : FillStats or None
        What the last :meth:`features` call did.

    Raises
    ------
    FileExistsError
        For a file, a non-empty folder that is not a cache, or a cache of another format.
    DamagedCacheError
        When the marker file ``aufeat-cache.json`` cannot be read.

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
                 results_dir=None, dtype=None, durable: bool = False):
        try:
            self.dtype = None if dtype is None else np.dtype(dtype)
        except TypeError:
            self.dtype = np.dtype(object)
        if self.dtype is not None and self.dtype.name not in ("float32", "float64"):
            raise ValueError(f"dtype must be None, 'float32' or 'float64', got {dtype!r}")
        _check_count("memmap_threshold", memmap_threshold, "a byte count >= 0",
                     lambda v: v >= 0)
        self.root = init_root(root)
        self.durable, self.memmap_threshold = bool(durable), memmap_threshold
        self.results_dir = (self.root / RESULTS_DIR if results_dir is None
                            else Path(results_dir).expanduser().absolute())
        self.last_fill: FillStats | None = None
        self._transient: list[dict] = []

    def __repr__(self) -> str:
        return f"FeatureCache({str(self.root)!r})"

    def _store(self, extractor, *, create: bool = False) -> ShardStore:
        identity = extractor_identity(extractor, None if self.dtype is None else self.dtype.name)
        directory = self.root / store_dirname(identity)
        if create and directory.is_symlink():  # shards would go wherever it points
            raise FileExistsError(f"{directory} is a link, not a folder of this cache; "
                                  "remove the link and run again")
        return ShardStore(directory, identity if create else None)

    def features(self, dataset_or_paths, extractor, *, n_jobs: int | None = None,
                 backend: str | None = None, progress: bool = True, on_error: str = "nan",
                 chunk_size: int | None = None) -> np.ndarray:
        """Return the ``(N, D)`` features of every image, computing only what is missing.

        Parameters
        ----------
        dataset_or_paths : FaceDataset, list of path, ndarray or list of ndarray
            A data set, image file paths, or an image batch ``(N, H, W[, C])``.
        extractor : estimator
            Anything with ``get_params()`` and ``transform`` that learns nothing: an
            aufeat extractor or a ``Pipeline`` of alignment + extractor. Files, data
            sets and PIL images are read channels-last, as the extractor's ``transform``
            reads them, whatever its ``channel_axis`` (or that of the ``Pipeline`` or
            ``FeatureUnion`` step that gets them first). The key holds
            its parameters only, so a fitted learned step (``StandardScaler``, ``PCA``)
            is refused: cache the feature step and put learned steps after it.
        n_jobs : int, optional
            Local worker processes; None or 1: this process, -1: every core.
            Never more processes than chunks of images to compute.
        backend : {None, 'loky', 'dask'}, optional
            'dask' runs on the current ``distributed.Client``; None follows an
            active ``joblib.parallel_config(backend='dask')``, else loky.
        progress : bool, default=True
            Show a progress bar while computing.
        on_error : {'nan', 'raise'}, default='nan'
            Images that cannot be read or featurised give NaN rows (listed by
            :meth:`failures`), or raise once the others are cached.
        chunk_size : int, optional
            Images per task and shard (default: about four tasks per worker, at most 256).

        Returns
        -------
        ndarray, shape (N, D)
            Rows in the input's order; a read-only ``np.memmap`` above ``memmap_threshold``.

        Raises
        ------
        FeatureExtractionError
            With ``on_error='raise'`` when some rows failed; AllImagesFailedError,
            its subclass, when none could be featurised (whatever ``on_error``).
        ImageSizeError
            When images of different sizes give features of different lengths.
        ValueError
            For a bad ``on_error``, ``chunk_size``, ``n_jobs`` or ``backend``, an extractor
            holding learned state (attributes ending in ``_`` set by ``fit``), or a list
            mixing arrays with PIL images or files for a channel-first step inside a
            ``Pipeline`` or ``FeatureUnion`` (the arrays' layout is not the files').
        """
        if on_error not in ("nan", "raise"):
            raise ValueError(f"on_error must be 'nan' or 'raise', got {on_error!r}")
        _check_count("chunk_size", chunk_size, "a positive int", lambda v: v > 0)
        _check_count("n_jobs", n_jobs, "a non-zero int (-1: every core)", lambda v: v != 0)
        if backend not in (None, "loky", "dask", "sequential"):  # not only when filling
            raise ValueError(f"backend must be None, 'loky' or 'dask', got {backend!r}")
        check_stateless(extractor)
        t0 = time.perf_counter()
        self.last_fill = stats = FillStats()
        if isinstance(dataset_or_paths, np.ndarray):  # one (H, W, C) image: as transform takes it
            from ..estimators.extractors import as_image_batch

            dataset_or_paths = as_image_batch(extractor, dataset_or_paths)
        else:  # files, data sets and PIL images are channels-last, as transform reads them,
            # also by the steps of a Pipeline or FeatureUnion that get them
            from ..estimators._image_inputs import check_channel_axis
            from ._layout import reading_layout

            check_channel_axis(extractor, dataset_or_paths)  # before any file is read
            extractor, dataset_or_paths = reading_layout(extractor, dataset_or_paths)
        sources, labels = resolve_sources(dataset_or_paths)
        store = self._store(extractor, create=True)
        request = Request(self, store, sources, labels, extractor, stats)
        try:
            out, failures = request.run(n_jobs=n_jobs, backend=backend, progress=progress,
                                        chunk_size=chunk_size)
        finally:
            self._transient = [{"extractor": store.name(), **f, "fingerprint": None}
                               for f in request.transient]
        stats.seconds["total"] = time.perf_counter() - t0
        row = {label: i for i, label in reversed(list(enumerate(labels)))}
        stats.failures = sorted(failures + request.transient, key=lambda f: row.get(f["path"], 0))
        if on_error == "raise" and stats.n_failed:
            first = (failures + request.transient)[0]
            raise FeatureExtractionError(f"{stats.n_failed} of {stats.n_items} images failed, "
                                         f"e.g. {first['path']}: "
                                         f"{str(first['reason']).rstrip('.')}. Fix or "
                                         "remove them, or pass on_error='nan' to get NaN rows "
                                         "(cache.failures() lists them).")
        return out

    def failures(self, extractor=None) -> list[dict]:
        """List the images that could not be featurised.

        Parameters
        ----------
        extractor : estimator or str, optional
            Only this extractor's (an estimator, or a name such as ``'hog'``).

        Returns
        -------
        list of dict
            ``{'extractor', 'path', 'reason', 'fingerprint'}`` of the stored failures
            and of the files the last :meth:`features` call could not read
            (``fingerprint`` None: they are retried).
        """
        stores = self._stores(extractor)
        found = [{"extractor": store.name(), "path": f["path"], "reason": f["reason"],
                  "fingerprint": meta["fingerprints"][f["row"]]}
                 for store in stores for meta in store.index()[1].values()
                 for f in meta["failures"]]
        names = {store.name() for store in stores}
        found += [dict(f) for f in self._transient if f["extractor"] in names]
        unique = {canonical_json(f): f for f in found}
        return sorted(unique.values(), key=lambda f: (f["extractor"], str(f["path"])))

    def _stores(self, extractor=None) -> list[ShardStore]:
        """Return the extractor folders this cache made (those with an ``extractor.json``)."""
        # not a link (to another cache's folder, planted or not): clear would empty its target
        stores = [ShardStore(d) for d in sorted(self.root.iterdir())
                  if d.is_dir() and not d.is_symlink() and (d / IDENTITY_FILE).is_file()]
        if extractor is None or isinstance(extractor, str):
            return [s for s in stores if extractor in (None, s.name())]
        return [s for s in [self._store(extractor)] if not s.directory.is_symlink()
                and (s.directory / IDENTITY_FILE).is_file()]

    def names(self) -> list[str]:
        """Return the names of the extractors with features here (no sidecar is read)."""
        return sorted({store.name() for store in self._stores()})

    def info(self) -> list[dict]:
        """Describe each extractor in the cache: name, params, version, rows, shards, bytes."""
        return [store.summary() for store in self._stores()]

    def results(self) -> list:
        """List the memory-mapped result files of earlier calls (one per list of images)."""
        return [str(p) for p in _result_files(self.results_dir)]

    def clear_results(self, extractor=None) -> int:
        """Delete the result files of earlier calls (the features stay); return how many.

        ``extractor`` (an estimator or a name such as ``'hog'``): only its results.
        """
        if extractor is None:
            return _remove_results(self.results_dir)
        return sum(_remove_results(self.results_dir, store.directory.name)
                   for store in self._stores(extractor))

    def clear(self, extractor=None) -> int:
        """Delete the cached features and results of one extractor (estimator or name), or all.

        The results are deleted from ``results_dir`` and from ``root/results``; only
        files named as results are, so a user's own files there stay.

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
        # results go to results_dir; an earlier FeatureCache(root) may have put some in
        # ROOT/results: both are cleared
        inside = self.root / RESULTS_DIR  # a link there (planted) is not followed
        folders = [f for f in dict.fromkeys([self.results_dir, inside])
                   if not (f == inside and f.is_symlink())]
        for store in stores:
            store.remove()
            for folder in folders:
                _remove_results(folder, store.directory.name)
        if extractor is None:
            for folder in folders:
                _remove_results(folder)
        return len(stores)
