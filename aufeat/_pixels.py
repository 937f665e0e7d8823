"""Pixel values: aufeat's rules for integer pixels, [0, 1] floats, 8 bits and alpha.

Shared by the face aligner, data sets and image files (re-exported by
:mod:`aufeat._validation`, where the image checks live).
"""

from __future__ import annotations

import numpy as np

from .exceptions import InvalidImageError

__all__ = ["byte_ints", "on_white", "outside_unit", "uint8_pixels"]


def on_white(rgba: np.ndarray, white: float = 1.0) -> np.ndarray:
    """Blend RGBA ``(..., 4)`` on a white background into RGB ``(..., 3)``.

    As :func:`skimage.color.rgba2rgb` does (without its clipping):
    ``(1 - a) * white + a * rgb`` with ``a = alpha / white``; ``white`` is 1 for
    floats in [0, 1], 255 for uint8 pixels. Floats keep their dtype, integers
    give float64.

    Examples
    --------
    >>> on_white(np.array([[0, 0, 0, 0], [10, 20, 30, 255]], np.uint8), 255).tolist()
    [[255.0, 255.0, 255.0], [10.0, 20.0, 30.0]]
    """
    alpha = rgba[..., 3:4] / white
    return (1 - alpha) * white + alpha * rgba[..., :3]


def outside_unit(arr: np.ndarray) -> tuple[float, float] | None:
    """Return ``(min, max)`` of float values that leave [0, 1], else None (NaN ignored).

    The one [0, 1] check of aufeat's float images (files, arrays, aligned faces):
    1e-6 of rounding is allowed either side.

    Examples
    --------
    >>> outside_unit(np.array([0.0, 1.0])) is None
    True
    >>> outside_unit(np.array([3.0, np.nan, 255.0]))
    (3.0, 255.0)
    """
    with np.errstate(invalid="ignore"):
        low = float(np.nanmin(arr, initial=np.inf))
        high = float(np.nanmax(arr, initial=-np.inf))
    return (low, high) if low < -1e-6 or high > 1 + 1e-6 else None


def byte_ints(arr: np.ndarray, name: str = "image", *, strict: bool = True) -> np.ndarray:
    """Return integer pixels other than uint8/uint16 as uint8; they must lie in 0-255.

    The one rule of aufeat for such integers where 8-bit pixels are needed (PNG
    files written, the face aligner, data sets read as 8 bits): ``image.astype(int)``
    keeps its picture, other ranges raise :class:`InvalidImageError` rather than be
    guessed (scaled by ``2**63``, an int64 image would be black). Other dtypes are
    returned as they are, numbers of non-native byte order (big-endian uint16 from
    ``np.asarray(PIL.Image.open(tiff))``) in native order first. The features scale
    integers as scikit-image does instead. ``strict=False``: other ranges are returned
    as they are (in native order), as the image reader keeps them.

    Examples
    --------
    >>> byte_ints(np.array([[0, 7, 255]], np.int64)).dtype
    dtype('uint8')
    >>> byte_ints(np.array([[0, 65535]], ">u2")).dtype == np.uint16
    True
    """
    if arr.dtype.kind in "iuf" and not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    if arr.dtype.kind not in "iu" or arr.dtype in (np.uint8, np.uint16):
        return arr
    if arr.size and (arr.min() < 0 or arr.max() > 255):
        if not strict:
            return arr
        raise InvalidImageError(
            f"{name}: {arr.dtype} pixels from {arr.min()} to {arr.max()}; integer pixels "
            "other than uint8 and uint16 are read as 8 bits and must lie in 0-255. Convert "
            "them first: 0-255 values with .astype(np.uint8), others rescaled to uint8, "
            "uint16 or float [0, 1]")
    return arr.astype(np.uint8)


def uint8_pixels(arr: np.ndarray) -> np.ndarray:
    """Return one (H, W) or (H, W, 3|4) uint8/uint16/float image as uint8 grey or RGB.

    The one conversion to 8 bits of aufeat (the face aligner, data sets): uint16
    is divided by 257, floats are read as [0, 1] (clipped), RGBA is blended on
    white as :func:`skimage.color.rgba2rgb` does.

    Examples
    --------
    >>> uint8_pixels(np.array([[0, 257, 65535]], np.uint16)).tolist()
    [[0, 1, 255]]
    >>> uint8_pixels(np.array([[-0.5, 0.5, 2.0]])).tolist()
    [[0, 128, 255]]
    """
    if arr.dtype == np.uint8 and (arr.ndim == 2 or arr.shape[2] == 3):
        return np.ascontiguousarray(arr)
    if arr.dtype == np.uint16:
        arr = arr / 65535.0
    elif arr.dtype == np.uint8:
        arr = arr / 255.0
    if arr.ndim == 3 and arr.shape[2] == 4:
        arr = on_white(arr)
    out = np.clip(arr, 0.0, 1.0) * 255.0
    return np.ascontiguousarray(np.rint(out).astype(np.uint8))
