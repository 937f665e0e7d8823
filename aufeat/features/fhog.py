"""Felzenszwalb's HOG ("FHOG", 31 channels per cell), the HOG OpenFace computes for AUs.

Felzenszwalb, Girshick, McAllester and Ramanan, "Object Detection with
Discriminatively Trained Part-Based Models", PAMI 2010 (the UoCTTI variant of
HOG): 18 contrast-sensitive and 9 contrast-insensitive orientation channels,
each half the sum of the cell's histogram value under its four 2x2-cell
normalisations, each truncated at 0.2 (so in [0, 0.4]: ``0.5 * total``, not a
mean), and 4 texture channels (the 18 truncated contrast-sensitive values
under each normalisation, summed and times 0.2357). The border cells give
no features, as in the reference code (``features.cc`` of the authors'
voc-release), which the kernels follow step by step on a grey image;
``tests/naive/fhog.py`` is an independent NumPy version of it. Colour images
are converted to grey first, where ``features.cc`` (and dlib, which OpenFace
calls) takes the gradient of the strongest colour channel: the two agree on
grey faces, as ``best`` aligns them.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._validation import as_image_batch, unbatch
from ..parallel import use_parallel

__all__ = ["FHOG_CHANNELS", "extract_fhog", "fhog_largest_cell", "fhog_min_side"]

#: Channels per cell: 18 contrast-sensitive, 9 contrast-insensitive, 4 texture.
FHOG_CHANNELS = 31


def fhog_min_side(cell_size: int) -> int:
    """Return the smallest image side (pixels) that gives FHOG features: 3 cells.

    :func:`extract_fhog` counts ``round(side / cell_size)`` cells a side, halves
    rounding up, and describes all but the border cells.

    Examples
    --------
    >>> fhog_min_side(8)
    20
    """
    return int(np.ceil(2.5 * cell_size))


def fhog_largest_cell(side: int) -> int:
    """Return the largest ``cell_size`` that gives an image ``side`` pixels a side features.

    The inverse of :func:`fhog_min_side` (0: none does, under 3 pixels).

    Examples
    --------
    >>> fhog_largest_cell(20), fhog_min_side(fhog_largest_cell(20) + 1) > 20
    (8, True)
    """
    return 2 * side // 5


def extract_fhog(image, *, cell_size: int = 8) -> np.ndarray:
    """Return Felzenszwalb's 31-channel HOG of one grey image or a batch.

    Parameters
    ----------
    image : array_like, shape (H, W) or (N, H, W)
        Grey images (colour is converted to grey); integers are scaled as
        :func:`skimage.util.img_as_float` does: unsigned to [0, 1], signed to [-1, 1].
    cell_size : int, default 8
        Cell side in pixels. An image has ``round(H / cell_size)`` x
        ``round(W / cell_size)`` cells, and features for all but the border cells.

    Returns
    -------
    ndarray, shape (n_features,) or (N, n_features)
        float64, ``(cells_y - 2) * (cells_x - 2) * 31`` per image, in C order of
        ``(cell row, cell column, channel)``; empty for images of fewer than 3 cells
        a side (:func:`fhog_min_side`).

    Examples
    --------
    >>> import numpy as np
    >>> extract_fhog(np.random.default_rng(0).random((48, 48)), cell_size=8).shape
    (496,)
    """
    from ._fhog_kernels import fhog_batch_parallel, fhog_batch_serial

    if isinstance(cell_size, bool) or not isinstance(cell_size, numbers.Integral) \
            or cell_size < 1:
        raise ValueError(f"cell_size must be a positive integer; got {cell_size!r}")
    side = fhog_min_side(cell_size)  # under 3x3 no cell size helps: the gradients need 3 px
    batch = as_image_batch(image, gray=True, min_size=(3, 3), min_size_advice="use larger images",
                           min_size_reason=f"central differences; FHOG gives features from "
                                           f"{side}x{side} on: 3 cells a side of "
                                           f"cell_size={cell_size}")
    data = np.ascontiguousarray(batch.data, dtype=np.float64)
    n, h, w = data.shape
    # C's round(): halves away from zero (Python's round() would take 2.5 to 2)
    cells_y, cells_x = (int(np.floor(side / cell_size + 0.5)) for side in (h, w))
    out = np.zeros((n, max(cells_y - 2, 0), max(cells_x - 2, 0), FHOG_CHANNELS))
    if out[0].size:
        kernel = fhog_batch_parallel if use_parallel(n, h * w) else fhog_batch_serial
        kernel(data, int(cell_size), cells_y, cells_x, out)
    return unbatch(out.reshape(n, -1), batch.single)
