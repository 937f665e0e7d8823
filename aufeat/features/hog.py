"""Histogram of Oriented Gradients (HOG) equal to :func:`skimage.feature.hog`, on batches.

The public function validates its input and parameters and builds the
orientation tables; the jitted kernels in :mod:`aufeat.features._hog_kernels`
(with ``_hog_bins`` and ``_hog_norm``) do the work, serially for small batches
and with a ``prange`` over images for large ones (see
:func:`aufeat.parallel.use_parallel`).
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Sequence

import numpy as np

from .._validation import as_image_batch, unbatch
from ..exceptions import InvalidImageError
from ..parallel import numba_threads, use_parallel

__all__ = ["extract_hog"]

# block_norm -> kernel code (aufeat.features._hog_norm.NORM_*; no numba import here)
_NORMS = {"L1": 0, "L1-sqrt": 1, "L2": 2, "L2-Hys": 3}
# Pseudo-angle table: cells whose range comes closer than this to a bin edge
# (in pseudo-angle units, ~radians) are sent to the exact path.
_LUT_MARGIN = 1e-9
_LUT_MIN_SIZE = 8192  # a power of two: int(s * lut_scale) is then an exact floor


def _bin_of(ori: float, thresholds: np.ndarray) -> int:
    for i in range(thresholds.size - 1):
        if thresholds[i] <= ori < thresholds[i + 1]:
            return i
    return -1


@functools.lru_cache(maxsize=32)
def _orientation_tables(orientations: int):
    """Thresholds, pseudo-angle bin table and special bins for ``orientations`` bins.

    Returns ``((thresholds, lut, dirs, special), lut_scale, s_bin0)``:
    ``lut[int(s * lut_scale)]`` is the bin of every gradient whose pseudo-angle
    is ``s``, or -1 where the table cell touches a bin edge (exact path);
    ``dirs`` holds ``(cos, sin)`` of the bin edges ``k * pi / n``; ``special``
    the bins of 90, 45 and 135 degrees; ``s_bin0`` is a pseudo-angle with the
    definite bin 0, used for gradients with ``g_row == 0`` (always bin 0).
    """
    per = 180.0 / orientations
    # skimage: orientation_start = (180. / n) * (i + 1), in double precision
    thresholds = per * np.arange(orientations + 1, dtype=np.float64)
    size = max(_LUT_MIN_SIZE, 1 << (64 * orientations - 1).bit_length())
    lut_scale = size / 2.0
    phi = np.arange(orientations + 1) * (math.pi / orientations)
    dirs = np.stack([np.cos(phi), np.sin(phi)], axis=1)
    phi = phi[1:-1]
    edges = 1.0 - np.cos(phi) / (np.abs(np.cos(phi)) + np.sin(phi))
    mid = (np.arange(size + 1) + 0.5) / lut_scale
    # one-byte entries keep the table in L1 cache
    lut = np.searchsorted(edges, mid).astype(np.int8 if orientations < 127 else np.int32)
    ambiguous = np.zeros(size + 1, dtype=bool)
    ambiguous[[0, size - 1, size]] = True  # 0 and 180 degrees: the wrap-around
    for edge in edges:
        lo = max(math.floor((edge - _LUT_MARGIN) * lut_scale), 0)
        hi = min(math.floor((edge + _LUT_MARGIN) * lut_scale), size)
        ambiguous[lo : hi + 1] = True
    lut[ambiguous] = -1
    definite = np.flatnonzero(lut == 0)
    s_bin0 = float(mid[definite[0]]) if definite.size else 0.0
    special = np.array([_bin_of(a, thresholds) for a in (90.0, 45.0, 135.0)], dtype=np.int64)
    for arr in (thresholds, lut, dirs, special):
        arr.flags.writeable = False
    return (thresholds, lut, dirs, special), lut_scale, s_bin0


def _positive_int(value, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a positive integer; got {value!r}.")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}.")
    return int(value)


def _pair(value, name: str) -> tuple[int, int]:
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        value = (value, value)
    if not isinstance(value, (Sequence, np.ndarray)) or len(value) != 2:
        raise ValueError(
            f"{name} must be a pair of positive integers (rows, cols), e.g. (8, 8); "
            f"got {value!r}."
        )
    try:
        return _positive_int(value[0], name), _positive_int(value[1], name)
    except ValueError:
        raise ValueError(
            f"{name} must be a pair of positive integers (rows, cols), e.g. (8, 8); "
            f"got {value!r}."
        ) from None


def _flag(value, name: str) -> bool:
    """Return ``value`` as a bool; refuse anything but True or False (np.bool_ counts), 0 or 1.

    ``'false'`` (as a config file or a grid built from text gives it) is truthy:
    taken as it is, it would turn the option on. The integers 0 and 1 are kept, as
    scikit-image takes them: models saved with ``transform_sqrt=1`` predicted before.
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)) and value in (0, 1):
        return bool(value)
    raise ValueError(f"{name} must be True or False; got {value!r}.")


def _negative_message(image, low: float) -> str:
    """Refusal of transform_sqrt=True on pixels down to ``low`` < 0, saying why for ints.

    Signed integers are scaled as img_as_float does, to [-1, 1]: their negative pixels
    stay negative, which is no scaling to [0, 1] the user could have expected.
    """
    parts = image if isinstance(image, (list, tuple)) else [image]  # a list: each by its dtype
    signed = sorted({str(d) for d in (np.asarray(p).dtype for p in parts) if d.kind == "i"})
    why = (f" ({'/'.join(signed)} pixels are scaled to [-1, 1], as skimage.util.img_as_float "
           "scales signed integers, so negative ones stay negative)" if signed else "")
    return (f"image: transform_sqrt=True needs non-negative pixels; the minimum is {low}{why}. "
            "Rescale the image to [0, 1] (e.g. image - image.min() divided by its range, in "
            "float) or pass transform_sqrt=False.")


def _check_params(orientations, pixels_per_cell, cells_per_block, block_norm):
    n = _positive_int(orientations, "orientations")
    cell = _pair(pixels_per_cell, "pixels_per_cell")
    block = _pair(cells_per_block, "cells_per_block")
    if not isinstance(block_norm, str) or block_norm not in _NORMS:
        raise ValueError(
            f"block_norm must be one of {sorted(_NORMS)}; got {block_norm!r}."
        )
    return n, cell, block, _NORMS[block_norm]


def extract_hog(
    image,
    *,
    orientations: int = 9,
    pixels_per_cell: tuple[int, int] = (8, 8),
    cells_per_block: tuple[int, int] = (3, 3),
    block_norm: str = "L2-Hys",
    transform_sqrt: bool = False,
    channel_axis: int | None = None,
    feature_vector: bool = True,
) -> np.ndarray:
    """Histogram of Oriented Gradients of one image or a batch, as scikit-image.

    Equal to :func:`skimage.feature.hog` with the same parameters (on images of
    1, 3 or 4 channels, the ones aufeat takes; for a
    bool or integer image: to ``hog(img_as_float(image))``, as such images
    are scaled as ``img_as_float`` scales them; ``hog`` of the raw integers
    bins the many exact ties at bin edges differently), but compiled and batched: a batch is
    processed in one call, in parallel over images when it is large enough.
    The promised bound is a max abs difference of 1e-7 in float64 and 1e-5
    in float32; as the kernels repeat
    scikit-image's arithmetic step by step, the results are in practice equal
    to the last bit (see Notes).

    Parameters
    ----------
    image : array_like, shape (H, W), (H, W, C), (N, H, W) or (N, H, W, C)
        One grayscale or colour image, or a batch. A 3-D array whose last axis
        has length 1, 3 or 4 is one colour image; otherwise a grayscale batch.
        Colour images use, at each pixel, the gradient of the channel with the
        largest magnitude; an RGBA image's alpha is a fourth channel, as in
        scikit-image (the other extractors blend RGBA on white: pass
        ``skimage.color.rgba2rgb(image)`` for their reading). Bool and
        unsigned integer images are scaled to [0, 1], signed integer ones to
        [-1, 1], as :func:`skimage.util.img_as_float` does.
    orientations : int, default 9
        Number of orientation bins over [0, 180) degrees.
    pixels_per_cell : (int, int) or int, default (8, 8)
        Cell size (rows, cols) in pixels; an int means a square cell. Pixels
        beyond the last whole cell are ignored, as in scikit-image.
    cells_per_block : (int, int) or int, default (3, 3)
        Block size (rows, cols) in cells; blocks overlap with a stride of one cell.
    block_norm : {'L1', 'L1-sqrt', 'L2', 'L2-Hys'}, default 'L2-Hys'
        Block normalisation (``eps = 1e-5``), as in scikit-image.
    transform_sqrt : bool, default False
        Take the square root of the image first (power-law compression).
        Requires non-negative pixels (signed integer images scaled to [-1, 1]
        keep their negative ones).
    channel_axis : int or None, default None
        Axis of the colour channels of one image (or of a batch), if not last. It
        must hold 1, 3 or 4 channels (grey, RGB, RGBA); other counts, which
        scikit-image takes, are refused.
    feature_vector : bool, default True
        Return flat feature vectors; otherwise the block array
        ``(n_blocks_row, n_blocks_col, b_row, b_col, orientations)``.

    Returns
    -------
    features : ndarray, shape (n_features,) or (N, n_features)
        float32 for float16 or float32 input (as skimage.feature.hog), float64
        otherwise. With
        ``feature_vector=False`` the shape is
        ``([N,] n_blocks_row, n_blocks_col, b_row, b_col, orientations)``, where
        ``n_blocks_row = H // pixels_per_cell[0] - cells_per_block[0] + 1``.

    Raises
    ------
    InvalidImageError
        For an invalid image (see :func:`aufeat._validation.as_image_batch`),
        an image smaller than one block, or negative pixels with
        ``transform_sqrt=True``.
    ValueError
        For ``orientations`` or sizes that are not positive integers, an
        unknown ``block_norm``, or a ``transform_sqrt`` or ``feature_vector``
        other than True or False (or 0 or 1; ``'false'`` is refused).
    TypeError
        For a ``channel_axis`` that is not an integer (or None).

    See Also
    --------
    skimage.feature.hog : the reference implementation (one image at a time).

    Notes
    -----
    The result does not depend on the batch size or on the number of Numba
    threads. As in scikit-image: gradients are centred differences in the
    image's dtype, zero on the border rows and columns; magnitudes use
    ``np.hypot``'s rounding (glibc's algorithm); cell histograms are summed
    in float32 and block sums follow ``np.sum``'s pairwise order. Orientation
    bins are found without ``arctan2`` from a table that is exact away from
    bin edges; gradients within 1e-12 rad of an edge are binned by
    ``np.arctan2`` itself, whose last bit (SIMD or libm) decides there.

    A grayscale batch whose width is 1, 3 or 4 pixels is read as one colour
    image; pass it as ``(N, H, W, 1)`` instead.

    Examples
    --------
    >>> import numpy as np
    >>> from aufeat import extract_hog
    >>> rng = np.random.default_rng(0)
    >>> extract_hog(rng.random((48, 48))).shape
    (1296,)
    >>> batch = rng.random((5, 112, 112)).astype(np.float32)
    >>> feats = extract_hog(batch, orientations=8, pixels_per_cell=(16, 16),
    ...                     cells_per_block=(1, 1))
    >>> feats.shape, feats.dtype
    ((5, 392), dtype('float32'))
    """
    from ._hog_kernels import hog_parallel, hog_serial

    n, (cr, cc), (br, bc), method = _check_params(
        orientations, pixels_per_cell, cells_per_block, block_norm
    )
    transform_sqrt = _flag(transform_sqrt, "transform_sqrt")
    feature_vector = _flag(feature_vector, "feature_vector")
    batch = as_image_batch(
        image,
        name="image",
        channel_axis=channel_axis,
        min_size=(br * cr, bc * cc),
        min_size_reason=f"one HOG block of {br}x{bc} cells of {cr}x{cc} pixels",
    )
    data = batch.data if batch.is_color else batch.data[..., np.newaxis]
    if transform_sqrt:
        if (data < 0).any():
            raise InvalidImageError(_negative_message(image, data.min()))
        data = np.sqrt(data)
    n_images, h, w = data.shape[:3]
    nbr = h // cr - br + 1
    nbc = w // cc - bc + 1
    out = np.empty((n_images, nbr * nbc * br * bc * n), dtype=data.dtype)
    tables, lut_scale, s_bin0 = _orientation_tables(n)
    args = (cr, cc, br, bc, method, tables, lut_scale, s_bin0)
    if use_parallel(n_images, h * w):
        chunk = max(1, min(64, n_images // (4 * numba_threads())))
        hog_parallel(data, out, *args, chunk)
    else:
        hog_serial(data, out, *args)
    if not feature_vector:
        out = out.reshape(n_images, nbr, nbc, br, bc, n)
    return unbatch(out, batch.single)
