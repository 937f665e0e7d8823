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

from ._image_inputs import as_image_batch, by_shape, first_image_size, read_images, with_nan_rows
from ._image_inputs import check_not_empty as _check_not_empty

__all__ = ["FHOGExtractor", "GaborExtractor", "HOGExtractor", "LBPExtractor"]


class _ImageExtractor(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Shared machinery: parameters -> feature function call, optional cache."""

    #: Short name, used in cache keys and folder names.
    name: ClassVar[str] = ""
    #: Bumped whenever the algorithm's output changes, so cached features go stale.
    feature_version: ClassVar[int] = 1
    _function: ClassVar[tuple[str, str]] = ("", "")
    #: The number of features whatever the images; None: it depends on their size.
    _fixed_width: ClassVar[int | None] = None

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

    def get_feature_names_out(self, input_features=None):
        """Return the feature names ``hogextractor0``, ... (one per feature :meth:`fit` counted).

        ``input_features`` is ignored: images have no feature names. Before :meth:`fit`, the
        image extractors raise ``NotFittedError`` (their number of features depends on the
        image size); scikit-learn's pandas output of an unfitted ``transform`` then numbers
        its columns 0, 1, ...
        """
        from sklearn.exceptions import NotFittedError

        n = getattr(self, "_n_features_out", self._fixed_width)
        if n is None:  # "does not provide get_feature_names_out": pandas output numbers columns
            raise NotFittedError(
                f"{type(self).__name__} does not provide get_feature_names_out before fit: "
                "the number of features depends on the image size; call fit(images) or "
                "fit_transform first")
        prefix = type(self).__name__.lower()
        return np.asarray([f"{prefix}{i}" for i in range(n)], dtype=object)

    def _count_features(self, X) -> int | None:
        """Length of the feature vector of ``X``'s first image (None when there is none)."""
        if X is None:
            return None
        _check_not_empty(X)
        first = read_images(X, first=True)
        if isinstance(first, np.ndarray):
            return self._extract(first).shape[1]
        return self._features_of_images(first).shape[1]

    def _params(self) -> dict:
        return {k: v for k, v in self.get_params(deep=False).items() if k != "cache"}

    def transform(self, X) -> np.ndarray:
        """Extract the features of every image.

        Parameters
        ----------
        X : ndarray, shape (N, H, W) or (N, H, W, C), list of ndarray, list of path, \
or FaceDataset
            The images (same size within a batch for HOG), or image files read
            with :func:`aufeat.io.read_image`. With ``channel_axis`` set, an array
            is a batch of colour images (``(N, C, H, W)`` for ``channel_axis=0``) or,
            channels last, one ``(H, W, 3 or 4)`` image; the 2-D images of a list are grey.

        Returns
        -------
        ndarray, shape (N, n_features)
            float32 for float32 images (but FHOGExtractor's: always float64), float64
            otherwise; a row of NaN for an image entirely NaN
            (``FaceAligner(on_missing='nan')``'s row for no face).

        Raises
        ------
        InvalidImageError
            No images (an empty list or batch): the number of features depends on the
            image size, so there is no ``(0, n_features)`` result to give. One image
            not in a batch, or with ``channel_axis=0`` a 3-D array (one colour image or
            grey images?): pass ``image[None]``, or the grey images with a channel axis.
        ValueError
            After :meth:`fit`, images giving another number of features than the
            fitted ones (another size, for HOG and Gabor): the columns would not match
            the feature names, nor what a model after it was trained on.
        """
        return self._transform(X)

    def _transform(self, X) -> np.ndarray:
        """:meth:`transform` without scikit-learn's ``set_output`` wrapper: aufeat's own calls.

        The wrapper asks for feature names under ``transform_output='pandas'``, which an
        unfitted extractor (as aufeat uses them: stateless) does not have.
        """
        _check_not_empty(X)
        X = as_image_batch(self, X)
        out = self._features(X)
        fitted = getattr(self, "_n_features_out", None)
        if fitted is not None and out.shape[1] != fitted:
            raise ValueError(f"{type(self).__name__}: fitted on images giving {fitted} "
                             f"features; these give {out.shape[1]} "
                             f"({first_image_size(X, getattr(self, 'channel_axis', None))}): "
                             "resize or align the faces to the fitted size, or refit")
        return out

    def _features(self, X) -> np.ndarray:
        if self.cache is not None:
            return np.asarray(self.cache.features(X, self, progress=False))
        images = read_images(X)
        if isinstance(images, np.ndarray):
            return self._extract(images)
        return self._features_of_images(images)

    def _features_of_images(self, images: list) -> np.ndarray:
        """Features of a list of image arrays, uncached, as a plain array (FeatureCache's call).

        Each item is one image: a 2-D one is grey, even with a ``channel_axis``.
        """
        return self._extract_list([np.asarray(image) for image in images])

    def _extract(self, batch: np.ndarray) -> np.ndarray:
        """Features of a batch; an image entirely NaN (a missed face) gets a NaN row."""
        return with_nan_rows(self._compute, batch)

    def _compute(self, batch: np.ndarray) -> np.ndarray:
        import importlib

        module, func = self._function
        params = self._params()
        axis = params.get("channel_axis")
        if batch.ndim == 3:  # grey (H, W) images (a list's, stacked; arrays were checked) get
            batch = batch[..., None]  # a channel axis: 1, 3 or 4 px wide, they are no (H, W, C)
            if axis is not None:
                params["channel_axis"] = None
        elif axis is not None and axis >= 0 and batch.ndim == 4:  # an image's axis -> the batch's
            params["channel_axis"] = axis + 1
        out = getattr(importlib.import_module(module), func)(batch, **params)
        if out.ndim > 2:  # maps (Gabor's pooling='none'): (N, F, H, W) or one image's (F, H, W)
            return out.reshape(len(out) if out.ndim == 4 else 1, -1)
        return out[None] if out.ndim == 1 else out

    def _extract_list(self, images: list) -> np.ndarray:
        return by_shape(self._extract, images, type(self).__name__)

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

    Notes
    -----
    Features are float64, also for float32 images. Images under 3 cells a side
    (:func:`~aufeat.features.fhog.fhog_min_side` pixels) are refused with
    ``InvalidImageError``: FHOG describes the cells inside the border ones only.

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

    def _compute(self, batch: np.ndarray) -> np.ndarray:
        out = super()._compute(batch)
        if out.shape[1] == 0:  # extract_fhog's empty vector: (N, 0) would fail further on
            from ..exceptions import InvalidImageError
            from ..features.fhog import fhog_min_side

            (h, w), side = batch.shape[1:3], fhog_min_side(self.cell_size)
            raise InvalidImageError(
                f"images: images of {h}x{w} pixels are smaller than the minimum {side}x{side} "
                f"(3 cells a side of cell_size={self.cell_size}: FHOG describes the cells "
                "inside the border ones); use larger images or a smaller cell_size")
        return out


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
