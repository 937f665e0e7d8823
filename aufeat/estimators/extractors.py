"""scikit-learn transformers that turn face images into HOG, LBP or Gabor features.

Each wraps one aufeat feature function: keyword-only parameters stored verbatim,
``fit`` learns nothing (it counts the features of an image of ``X``'s size, for
``get_feature_names_out``: ``hogextractor0``, ...), ``transform(images)`` returns
``(N, n_features)`` (after ``fit``, images giving another count are refused, and images of
another size where the features' layout depends on it). No images
(an empty list or batch) raise ``InvalidImageError``, as scikit-learn's transformers refuse
0 samples. An image entirely NaN (``FaceAligner(on_missing='nan')``'s row for no face) gets
a row of NaN features. Images are a batch ``(N, H, W)`` / ``(N, H, W, C)``, a list of
arrays, a list of image file paths or a :class:`aufeat.datasets.FaceDataset`. Given a
:class:`aufeat.cache.FeatureCache` as ``cache``, ``transform`` computes only what it lacks.
"""

from __future__ import annotations

import numpy as np

from ._image_extractor import _ImageExtractor
from ._image_inputs import as_image_batch  # noqa: F401 (FeatureCache's, from here)

__all__ = ["FHOGExtractor", "GaborExtractor", "HOGExtractor", "LBPExtractor"]


class FHOGExtractor(_ImageExtractor):
    """Felzenszwalb's 31-channel HOG of the grey face, as OpenFace's (:func:`.extract_fhog`).

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
        from ..exceptions import InvalidImageError
        from ..features.fhog import fhog_largest_cell, fhog_min_side

        try:
            out = super()._compute(batch)
        except InvalidImageError as err:  # under 3x3: extract_fhog's minimum, not FHOG's
            if not hasattr(err, "too_small"):
                raise
            out = None
        if out is not None and out.shape[1]:
            return out
        # extract_fhog's empty vector ((N, 0) would fail further on), or its refusal
        (h, w), side = batch.shape[1:3], fhog_min_side(self.cell_size)
        largest = fhog_largest_cell(min(h, w))
        advice = (f"use larger images or a smaller cell_size (at most {largest} for {h}x{w} "
                  "images)" if largest else "use larger images: under 3x3 pixels no "
                  "cell_size gives FHOG features")
        minimum = (f"{side}x{side} (3 cells a side of cell_size={self.cell_size}: FHOG "
                   f"describes the cells inside the border ones); {advice}")
        err = InvalidImageError(f"images: images of {h}x{w} pixels are smaller than the "
                                f"minimum {minimum}")
        err.too_small = ((side, side), minimum)  # _checked names the caller's image
        raise err


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
        images (a batch ``(N, C, H, W)``), -1 or None for ``(H, W, C)``. It
        describes arrays: image files, PIL images and data sets are read
        channels-last whatever it is.
    cache : FeatureCache, optional
        Read and store features in this cache.

    Notes
    -----
    As :func:`aufeat.extract_hog`, an RGBA image's alpha is a fourth gradient channel (as
    in scikit-image), also where an RGBA file is read: the hidden colour under
    transparent pixels changes the features. The other extractors blend RGBA on white;
    for their reading, read the files and blend them first,
    ``[skimage.color.rgba2rgb(aufeat.io.read_image(p)) for p in paths]``, or convert
    RGBA files to RGB on white before ``aufeat extract --features hog``.
    :class:`~aufeat.estimators.FaceFeatures` is not affected: it aligns grey faces,
    blended on white.

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

    def _layout_by_size(self) -> bool:  # pixels_per_cell's cells; a grid's follow the size
        return self.pixels_per_cell is not None


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
    #: 2: pooling='histogram' bins float32 magnitudes as np.histogram does (one bin off)
    feature_version = 2
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

    def _layout_by_size(self) -> bool:  # pixel blocks or maps; grid cells follow the size
        return self.pooling in ("downsample", "none")
