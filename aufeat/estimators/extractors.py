"""scikit-learn transformers that turn face images into HOG, LBP or Gabor features.

Each wraps one aufeat feature function: keyword-only parameters stored verbatim,
``fit`` learns nothing (it counts the features of an image of ``X``'s size, for
``get_feature_names_out``: ``hogextractor0``, ...), ``transform(images)`` returns
``(N, n_features)`` (after ``fit``, images giving another count are refused). No images
(an empty list or batch) raise ``InvalidImageError``, as scikit-learn's transformers refuse
0 samples. An image entirely NaN (``FaceAligner(on_missing='nan')``'s row for no face) gets
a row of NaN features. Images are a batch ``(N, H, W)`` / ``(N, H, W, C)``, a list of
arrays, a list of image file paths or a :class:`aufeat.datasets.FaceDataset`. Given a
:class:`aufeat.cache.FeatureCache` as ``cache``, ``transform`` computes only what it lacks.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin

__all__ = ["FHOGExtractor", "GaborExtractor", "HOGExtractor", "LBPExtractor"]


def _check_not_empty(X) -> None:
    """Refuse an empty list or batch of images, with or without a cache."""
    from ..exceptions import InvalidImageError

    if hasattr(X, "__len__") and len(X) == 0:
        shape = f" of shape {X.shape}" if isinstance(X, np.ndarray) else ""
        raise InvalidImageError(f"images: got no images (an empty {type(X).__name__}{shape}); "
                                "give at least one image (the number of features depends on "
                                "the image size).")


def as_image_batch(extractor, X):
    """X as a batch: one (H, W, C) image is refused, or with channel_axis set, a batch of one."""
    if isinstance(X, np.ndarray) and getattr(extractor, "channel_axis", None) is None:
        from ..face._batch import check_layout

        check_layout(X, " (or X[..., None] for grey images that narrow)")
    elif isinstance(X, np.ndarray) and X.ndim == 3:
        return X[None]
    return X


def _no_face(image) -> bool:
    """Whether an image is entirely NaN: FaceAligner(on_missing='nan')'s row for no face."""
    image = np.asarray(image)
    return image.dtype.kind == "f" and image.size > 0 and bool(np.isnan(image).all())


class _ImageExtractor(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Shared machinery: parameters -> feature function call, optional cache."""

    #: Short name, used in cache keys and folder names.
    name: ClassVar[str] = ""
    #: Bumped whenever the algorithm's output changes, so cached features go stale.
    feature_version: ClassVar[int] = 1
    _function: ClassVar[tuple[str, str]] = ("", "")

    def fit(self, X=None, y=None):
        """Count the features of ``X``'s images, for :meth:`get_feature_names_out`; return self.

        Nothing is learned: the count is that of the first image's features (their
        number depends on the parameters and the image size only); :meth:`transform`
        then refuses images that give another count.

        Parameters
        ----------
        X : images, optional
            As in :meth:`transform`; None leaves the feature names unknown.
        y : ignored
            Accepted for scikit-learn pipelines.

        Returns
        -------
        self
        """
        X = as_image_batch(self, X)
        n = self._count_features(X)
        if n is not None:
            self._n_features_out = n
        else:
            self.__dict__.pop("_n_features_out", None)
        return self

    def _count_features(self, X) -> int | None:
        """Length of the feature vector of ``X``'s first image (None when there is none)."""
        from ..io import read_image as read_image_file
        from ..io import resolve_sources

        if X is None:
            return None
        _check_not_empty(X)
        sources, _ = resolve_sources(X)
        if isinstance(X, np.ndarray):
            return self._extract(X[:1]).shape[1]
        first = sources[0]
        first = read_image_file(first) if isinstance(first, str) else np.asarray(first)
        return self._extract(first[None]).shape[1]

    def _params(self) -> dict:
        return {k: v for k, v in self.get_params(deep=False).items() if k != "cache"}

    def transform(self, X) -> np.ndarray:
        """Extract the features of every image.

        Parameters
        ----------
        X : ndarray, shape (N, H, W) or (N, H, W, C), list of ndarray, list of path, \
or FaceDataset
            The images (same size within a batch for HOG), or image files read
            with :func:`aufeat.io.read_image`.

        Returns
        -------
        ndarray, shape (N, n_features)
            float32 for float32 images, float64 otherwise; a row of NaN for an image
            entirely NaN (``FaceAligner(on_missing='nan')``'s row for no face).

        Raises
        ------
        InvalidImageError
            No images (an empty list or batch): the number of features depends on the
            image size, so there is no ``(0, n_features)`` result to give.
        ValueError
            After :meth:`fit`, images giving another number of features than the
            fitted ones (another size, for HOG and Gabor): the columns would not match
            the feature names, nor what a model after it was trained on.
        """
        _check_not_empty(X)
        X = as_image_batch(self, X)
        out = self._features(X)
        fitted = getattr(self, "_n_features_out", None)
        if fitted is not None and out.shape[1] != fitted:
            raise ValueError(f"{type(self).__name__}: fitted on images giving {fitted} "
                             f"features; these give {out.shape[1]} ({self._size(X)}): resize "
                             "or align the faces to the fitted size, or refit")
        return out

    def _size(self, X) -> str:
        """'HxW' of ``X``'s first image, for messages."""
        from ..io import read_image, resolve_sources

        first = X[0] if isinstance(X, np.ndarray) else resolve_sources(X)[0][0]
        first = read_image(first) if isinstance(first, str) else np.asarray(first)
        axis = getattr(self, "channel_axis", None)
        shape = first.shape if first.ndim == 2 else np.delete(first.shape, -1 if axis is None
                                                                else axis)
        return "x".join(str(int(n)) for n in shape[:2])

    def _features(self, X) -> np.ndarray:
        if self.cache is not None:
            return np.asarray(self.cache.features(X, self, progress=False))
        from ..io import read_image as read_image_file
        from ..io import resolve_sources

        sources, _ = resolve_sources(X)
        if isinstance(X, np.ndarray):
            return self._extract(X)
        images = [read_image_file(s) if isinstance(s, str) else np.asarray(s) for s in sources]
        return self._extract_list(images)

    def _extract(self, batch: np.ndarray) -> np.ndarray:
        """Features of a batch; an image entirely NaN (a missed face) gets a NaN row."""
        missing = np.array([_no_face(image) for image in batch]) if batch.ndim > 2 else []
        if not np.any(missing):
            return self._compute(batch)
        found = ~missing  # FaceAligner(on_missing='nan') rows; partly NaN images are refused
        out = self._compute(batch[found] if found.any() else np.zeros_like(batch[:1]))
        rows = np.full((len(batch), out.shape[1]), np.nan, dtype=out.dtype)
        rows[found] = out[:found.sum()]
        return rows

    def _compute(self, batch: np.ndarray) -> np.ndarray:
        import importlib

        module, func = self._function
        params = self._params()
        axis = params.get("channel_axis")
        if axis is not None and axis >= 0 and batch.ndim == 4:  # an image's axis -> the batch's
            params["channel_axis"] = axis + 1
        out = getattr(importlib.import_module(module), func)(batch, **params)
        if out.ndim > 2:  # maps (Gabor's pooling='none'): (N, F, H, W) or one image's (F, H, W)
            return out.reshape(len(out) if out.ndim == 4 else 1, -1)
        return out[None] if out.ndim == 1 else out

    def _extract_list(self, images: list) -> np.ndarray:
        groups: dict = {}
        for i, image in enumerate(images):
            groups.setdefault((image.shape, image.dtype.str), []).append(i)
        if len(groups) == 1:
            return self._extract(np.stack(images))
        parts = {}
        for rows in groups.values():
            for row, vec in zip(rows, self._extract(np.stack([images[r] for r in rows])),
                                strict=True):
                parts[row] = vec
        sizes = {v.shape for v in parts.values()}
        if len(sizes) > 1:
            raise ValueError(
                f"{type(self).__name__}: images of different sizes give feature vectors of "
                f"different lengths {sorted(s[0] for s in sizes)}; resize or align the faces "
                "to one size first (e.g. FaceDataset.load_images(size=...))."
            )
        return np.stack([parts[i] for i in range(len(images))])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        return tags


class FHOGExtractor(_ImageExtractor):
    """Felzenszwalb's 31-channel HOG, as OpenFace uses (:func:`aufeat.features.extract_fhog`).

    Parameters
    ----------
    cell_size : int, default=8
        Cell side in pixels.
    cache : FeatureCache, optional
        Read and store features in this cache.

    Examples
    --------
    >>> import numpy as np
    >>> FHOGExtractor(cell_size=6).fit_transform(np.zeros((2, 48, 48))).shape
    (2, 1116)
    """

    name = "fhog"
    feature_version = 1
    _function = ("aufeat.features.fhog", "extract_fhog")

    def __init__(self, *, cell_size=8, cache=None):
        self.cell_size = cell_size
        self.cache = cache


class HOGExtractor(_ImageExtractor):
    """Histogram of Oriented Gradients features (:func:`aufeat.extract_hog`).

    Parameters
    ----------
    orientations : int, default=9
        Orientation bins.
    pixels_per_cell : (int, int), default=(8, 8)
        Cell size.
    cells_per_block : (int, int), default=(3, 3)
        Block size in cells.
    block_norm : {'L1', 'L1-sqrt', 'L2', 'L2-Hys'}, default='L2-Hys'
        Block normalisation.
    transform_sqrt : bool, default=False
        Power-law compression before the gradients.
    channel_axis : int, optional
        Channel axis of one colour image: 0 for channel-first ``(C, H, W)``
        images (a batch ``(N, C, H, W)``), -1 or None for ``(H, W, C)``.
    cache : FeatureCache, optional
        Read and store features in this cache.

    Examples
    --------
    >>> import numpy as np
    >>> from aufeat.estimators import HOGExtractor
    >>> HOGExtractor(pixels_per_cell=(16, 16)).fit_transform(np.zeros((2, 48, 48))).shape
    (2, 81)
    """

    name = "hog"
    feature_version = 1
    _function = ("aufeat.features.hog", "extract_hog")

    def __init__(self, *, orientations: int = 9, pixels_per_cell=(8, 8), cells_per_block=(3, 3),
                 block_norm: str = "L2-Hys", transform_sqrt: bool = False,
                 channel_axis: int | None = None, cache=None):
        self.orientations = orientations
        self.pixels_per_cell = pixels_per_cell
        self.cells_per_block = cells_per_block
        self.block_norm = block_norm
        self.transform_sqrt = transform_sqrt
        self.channel_axis = channel_axis
        self.cache = cache


class LBPExtractor(_ImageExtractor):
    """Local Binary Pattern histograms over a grid of cells (:func:`aufeat.extract_lbp`).

    Parameters
    ----------
    n_points : int or sequence of int, default=8
        Circle sample points (several for a multi-scale descriptor).
    radius : float or sequence of float, default=1
        Circle radius.
    method : str, default='nri_uniform'
        Code mapping (59 bins for 8 points: the classic face descriptor).
    grid : (int, int), default=(7, 7)
        Cells (rows, columns) the histograms are taken over.
    pixels_per_cell : (int, int), optional
        Cell size in pixels instead of ``grid``.
    normalize : {'l1', 'l2', None}, default='l1'
        Per-cell histogram normalisation.
    channel_axis : int, optional
        Channel axis of one colour image (0 for channel-first images), as in
        :class:`HOGExtractor`.
    cache : FeatureCache, optional
        Read and store features in this cache.

    Examples
    --------
    >>> import numpy as np
    >>> from aufeat.estimators import LBPExtractor
    >>> LBPExtractor(grid=(2, 2)).fit_transform(np.zeros((3, 32, 32))).shape
    (3, 236)
    """

    name = "lbp"
    feature_version = 1
    _function = ("aufeat.features.lbp", "extract_lbp")

    def __init__(self, *, n_points=8, radius=1, method: str = "nri_uniform", grid=(7, 7),
                 pixels_per_cell=None, normalize: str | None = "l1",
                 channel_axis: int | None = None, cache=None):
        self.n_points = n_points
        self.radius = radius
        self.method = method
        self.grid = grid
        self.pixels_per_cell = pixels_per_cell
        self.normalize = normalize
        self.channel_axis = channel_axis
        self.cache = cache


class GaborExtractor(_ImageExtractor):
    """Pooled Gabor filter-bank magnitudes (:func:`aufeat.extract_gabor`).

    Parameters
    ----------
    frequencies : sequence of float, optional
        Filter frequencies (cycles/pixel); default the function's 5-scale bank.
    orientations : int, default=8
        Evenly spaced orientations (ignored when ``thetas`` is given).
    thetas : sequence of float, optional
        Explicit orientations in radians.
    bandwidth : float, default=1.0
        Bandwidth in octaves.
    pooling : {'grid', 'downsample', 'histogram', 'none'}, default='grid'
        How magnitude maps become a vector: ``'none'`` flattens the maps themselves
        (``F * H * W`` features, ordered filter, row, column; for the maps as arrays use
        :func:`aufeat.features.gabor.gabor_responses`).
    grid : (int, int), default=(4, 4)
        Cells of ``pooling='grid'``.
    downsample : int, default=4
        Factor of ``pooling='downsample'``.
    bins : int, default=20
        Bins of ``pooling='histogram'``.
    mode : str, default='reflect'
        Boundary mode (as :func:`skimage.filters.gabor`).
    cval : float, default=0.0
        Fill value for ``mode='constant'``.
    method : str, default='auto'
        Convolution path.
    channel_axis : int, optional
        Channel axis of one colour image (0 for channel-first images), as in
        :class:`HOGExtractor`.
    cache : FeatureCache, optional
        Read and store features in this cache.

    Examples
    --------
    >>> import numpy as np
    >>> from aufeat.estimators import GaborExtractor
    >>> GaborExtractor(frequencies=(0.25,), orientations=2, grid=(2, 2)).fit_transform(
    ...     np.zeros((2, 32, 32))).shape
    (2, 16)
    """

    name = "gabor"
    feature_version = 1
    _function = ("aufeat.features.gabor", "extract_gabor")

    def __init__(self, *, frequencies=None, orientations: int = 8, thetas=None,
                 bandwidth: float = 1.0, pooling: str = "grid", grid=(4, 4), downsample: int = 4,
                 bins: int = 20, mode: str = "reflect", cval: float = 0.0, method: str = "auto",
                 channel_axis: int | None = None, cache=None):
        self.frequencies = frequencies
        self.orientations = orientations
        self.thetas = thetas
        self.bandwidth = bandwidth
        self.pooling = pooling
        self.grid = grid
        self.downsample = downsample
        self.bins = bins
        self.mode = mode
        self.cval = cval
        self.method = method
        self.channel_axis = channel_axis
        self.cache = cache
