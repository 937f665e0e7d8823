"""Image and batch checks shared by every public function.

The rules:

* one image is ``(H, W)`` or ``(H, W, C)`` with ``C`` in 1, 3 or 4; a batch is
  ``(N, H, W)`` (grayscale) or ``(N, H, W, C)`` (colour);
* a 3-D array is read as one colour image when ``channel_axis`` is given or
  its last axis has length 1, 3 or 4, and as a grayscale batch otherwise; a last
  axis of 2 (one grey+alpha image, as ``np.asarray`` of a PIL "LA" image) is refused;
* float32 stays float32; float64 stays float64; bool and integer images are
  scaled as :func:`skimage.util.img_as_float` does (uint8 / 255, ...), with a
  warning for 32/64-bit integers holding only 0-255 (8-bit pixels: nearly black
  so scaled); every other float type computes in float64;
* empty arrays, a wrong number of dimensions, non-numeric dtypes, NaN/inf,
  values beyond :data:`MAX_ABS_PIXEL` (1e30 in float64, 1e15 in float32: larger
  ones overflow into NaN features) and images smaller than the descriptor's
  minimum size raise
  :class:`aufeat.InvalidImageError` naming the argument, what was received and
  what is expected.

Kernels trust what comes out of here: C-contiguous, finite, float32/float64.
"""

from __future__ import annotations

import operator
import os
from typing import NamedTuple

import numpy as np

from ._pil_pixels import with_pil_pixels
from ._pixels import byte_ints, on_white, outside_unit, uint8_pixels
from .exceptions import InvalidImageError

__all__ = ["MAX_ABS_PIXEL", "ImageBatch", "as_image_batch", "byte_ints", "on_white",
           "outside_unit", "overflow_message", "to_gray", "uint8_pixels", "unbatch"]

_EXPECTED = (
    "expected one image (H, W) or (H, W, C) with C in 1/3/4, "
    "or a batch (N, H, W) or (N, H, W, C)"
)
_CHANNELS = (1, 3, 4)
#: Largest pixel magnitude accepted per float dtype. HOG accumulates float32
#: magnitudes (overflow near 1e37) and Gabor pooling squares float32 responses
#: (overflow near 1e20 for float32 images); these limits leave a factor of 1e5 or
#: more for the sums over large cells and images.
MAX_ABS_PIXEL = {np.float32: 1e15, np.float64: 1e30}
# skimage.color.rgb2gray weights (ITU-R BT.709)
_GRAY_WEIGHTS = (0.2125, 0.7154, 0.0721)


class ImageBatch(NamedTuple):
    """A validated batch and whether the caller passed a single image.

    Attributes
    ----------
    data : ndarray, shape (N, H, W) or (N, H, W, C)
        C-contiguous float32 or float64 pixels, all finite.
    single : bool
        True when the caller passed one image; use :func:`unbatch` on results.
    scales : ndarray of float, shape (N,), or None
        What each image's pixels were divided by to give ``data`` (the integer type's
        maximum for rescaled integers, else 1; per image for a list mixing dtypes):
        a value in the image's units (Gabor's ``cval``) / it is in ``data``'s units.
        None when one image was assembled from parts of several dtypes.
    """

    data: np.ndarray
    single: bool
    scales: np.ndarray | None = None

    @property
    def is_color(self) -> bool:
        """Whether the batch has a channel axis."""
        return self.data.ndim == 4


def _describe(arr: np.ndarray) -> str:
    return f"shape {arr.shape} and dtype {arr.dtype}"


def _to_float(arr: np.ndarray, name: str, rescale: bool) -> np.ndarray:
    kind = arr.dtype.kind
    if kind == "f":
        if arr.dtype.itemsize == 2:  # float16: computed in float32, as scikit-image does
            return arr.astype(np.float32)
        if arr.dtype.itemsize in (4, 8):  # float32 / float64, native byte order in the kernels
            return arr.astype(arr.dtype.newbyteorder("="), copy=False)
        return arr.astype(np.float64)
    if kind in "biu":
        if not rescale:
            return arr.astype(np.float64)
        from skimage.util import img_as_float64

        return img_as_float64(arr)
    raise InvalidImageError(
        f"{name}: got {_describe(arr)}; expected a real numeric image "
        "(bool, integer or float pixels). Convert it with np.asarray(..., dtype=float)."
    )


def _divisor(dtype: np.dtype, rescale: bool) -> float:
    """Return what :func:`_to_float` divides ``dtype`` pixels by: the integer max, else 1."""
    return float(np.iinfo(dtype).max) if rescale and dtype.kind in "ui" else 1.0


def _check_values(batch: np.ndarray, arr: np.ndarray, name: str,
                  single: bool = True) -> tuple[float, float]:
    """Refuse NaN/inf and values so large that the features overflow; return (min, max).

    For a batch (``single`` False) the message names the first image holding NaN/inf.
    """
    low, high = float(batch.min()), float(batch.max())
    if not (np.isfinite(low) and np.isfinite(high)):
        bad = (~np.isfinite(batch)).reshape(len(batch), -1).sum(axis=1)
        first = int(np.flatnonzero(bad)[0])
        where = "" if single else (
            f" ({name}[{first}]: {bad[first]} of {batch[0].size} values"
            + (f"; {np.count_nonzero(bad) - 1} more images" if np.count_nonzero(bad) > 1
               else "") + ")")
        raise InvalidImageError(
            f"{name}: got {_describe(arr)} containing NaN or inf{where}; "
            "expected finite pixel values. Replace them (e.g. np.nan_to_num) first."
        )
    peak = max(-low, high)
    if peak > MAX_ABS_PIXEL[batch.dtype.type]:
        raise InvalidImageError(overflow_message(name, _describe(arr), peak, batch.dtype))
    return low, high


def overflow_message(name: str, got: str, peak: float, dtype) -> str:
    """Return the refusal of pixels up to ``peak`` in magnitude, beyond :data:`MAX_ABS_PIXEL`.

    ``got``: what was received; ``dtype``: the float type the features are computed in.
    """
    dtype = np.dtype(dtype)
    return (f"{name}: got {got} with values up to {peak:.3g} in magnitude; they overflow the "
            "feature computations (squared gradients and responses), giving NaN features. "
            f"Accepted: |pixel| <= {MAX_ABS_PIXEL[dtype.type]:.0e} for {dtype} images (images "
            "are usually in [0, 1] or [0, 255]); rescale them first.")


def _bytes_in_wide_ints(dtype: np.dtype, low: float, high: float) -> bool:
    """Whether 32/64-bit integers scaled to ``[low, high]`` hold only 0-255 (8-bit pixels)."""
    return low >= 0 and 2 <= round(high * _divisor(dtype, True)) <= 255  # 0/1: a mask


def _warn_bytes_in_wide_ints(dtype: np.dtype, low: float, high: float, name: str,
                             more: int = 0) -> None:
    """Warn when 32/64-bit integers scaled by their maximum hold only 0-255 (8-bit pixels).

    ``low``/``high``: the scaled batch's range. scikit-image's scaling is kept (the
    features equal its functions'), but such an image (``np.array(pixels_list)``,
    ``pd.read_csv``) is nearly black for it: features near 0. ``more``: how many other
    images of a list hold such pixels too (one warning for them all).
    """
    div = _divisor(dtype, True)
    if _bytes_in_wide_ints(dtype, low, high):
        from ._warnings import warn

        name += f" and {more} more image{'s' if more > 1 else ''}" if more else ""
        warn(f"{name}: {dtype} pixels lie in 0-255 (up to {round(high * div)}) as 8-bit ones "
             f"do, but are scaled as scikit-image scales {dtype} (divided by {div:.3g}): "
             "the image is nearly black and its features near 0. For 8-bit pixels pass "
             "image.astype(np.uint8); for this scaling without the warning, convert to "
             "float first.")


def _split_layout(arr: np.ndarray, name: str, channel_axis: int | None):
    """Return (batch array, single) with the channel axis, if any, last."""
    ndim = arr.ndim
    if channel_axis is not None:
        try:  # 2.0 or '-1' reached np.moveaxis: "'float' object is not iterable"
            channel_axis = operator.index(None if isinstance(channel_axis, bool) else channel_axis)
        except TypeError:
            raise TypeError(f"{name}: channel_axis must be an integer axis (e.g. -1 for "
                            f"channels last) or None, got {channel_axis!r}.") from None
        if ndim not in (3, 4):
            raise InvalidImageError(
                f"{name}: channel_axis={channel_axis} was given but the input has "
                f"{_describe(arr)}; {_EXPECTED}. Pass channel_axis=None for grayscale."
            )
        try:
            arr = np.moveaxis(arr, channel_axis, -1)
        except np.exceptions.AxisError as exc:
            raise InvalidImageError(
                f"{name}: channel_axis={channel_axis} is not an axis of an array "
                f"with {_describe(arr)}."
            ) from exc
        if ndim == 3:
            return arr[np.newaxis], True
        if channel_axis in (0, -4):
            raise InvalidImageError(
                f"{name}: channel_axis={channel_axis} is the image axis of a batch with "
                f"{_describe(np.moveaxis(arr, -1, channel_axis))}; give the channel axis "
                "of the batch (1 for channel-first (N, C, H, W), -1 for (N, H, W, C)).")
        return arr, False
    if ndim == 2:
        return arr[np.newaxis], True
    if ndim == 3:
        if arr.shape[-1] in _CHANNELS:
            return arr[np.newaxis], True
        if arr.shape[-1] == 2:  # np.asarray(PIL "LA" image); no batch has images 2 px wide
            raise InvalidImageError(
                f"{name}: got {_describe(arr)}; it looks like one grey+alpha image (H, W, 2): "
                f"pass its grey channel, {name}[..., 0] (or {name}[..., None] for a batch "
                "of grey images 2 pixels wide).")
        return arr, False
    if ndim == 4:
        return arr, False
    raise InvalidImageError(f"{name}: got {_describe(arr)}; {_EXPECTED}.")


def _check_same_shapes(images, name: str) -> None:
    """Refuse a list of images of several shapes, naming two (NumPy's error names none)."""
    first: dict = {}
    for i, entry in enumerate(images):
        try:
            shape = np.shape(entry)
        except ValueError:  # ragged inside this entry: as_image_batch's np.asarray says so
            return
        first.setdefault(shape, i)
        if len(first) > 1:
            (a, i_a), (b, i_b) = first.items()
            raise InvalidImageError(
                f"{name}: got a list of images of different shapes: {name}[{i_a}] has shape "
                f"{a}, {name}[{i_b}] has {b}; a batch holds images of one size. Resize them "
                "to one size first (e.g. FaceDataset.load_images(size=...)), or pass the list "
                "to an extractor class (LBPExtractor, GaborExtractor, HOGExtractor, "
                "FHOGExtractor), which takes images of several sizes and gives one row per "
                "image where the number of features does not depend on the size (LBP over a "
                "grid, Gabor with grid or histogram pooling).")


def _refuse_paths(image, name: str) -> None:
    """Refuse a file path, or a list of them, where pixels are expected, saying what to pass."""
    paths = [image] if isinstance(image, (str, os.PathLike)) else (
        image if isinstance(image, (list, tuple)) else [])
    if paths and all(isinstance(p, (str, os.PathLike)) for p in paths):
        raise InvalidImageError(f"{name}: got a file path ({os.fspath(paths[0])!r}"
                                f"{f' and {len(paths) - 1} more' if len(paths) > 1 else ''}); "
                                "pass pixels: aufeat.read_image(path)")


def as_image_batch(
    image,
    *,
    name: str = "image",
    channel_axis: int | None = None,
    gray: bool = False,
    min_size: tuple[int, int] = (1, 1),
    min_size_reason: str = "",
    rescale: bool = True,
    min_size_advice: str = "use larger images or smaller cells",
) -> ImageBatch:
    """Validate one image or a batch and return it as a float batch.

    Parameters
    ----------
    image : array_like
        One image ``(H, W)`` / ``(H, W, C)`` or a batch ``(N, H, W)`` /
        ``(N, H, W, C)``; a list of images of several dtypes is scaled image by
        image (a uint8 image / 255 next to float ones). A list's images must
        have one shape.
    name : str
        Argument name used in error messages.
    channel_axis : int or None
        Axis of the colour channels. ``None`` reads a 3-D array whose last
        axis has length 1, 3 or 4 as one colour image.
    gray : bool
        Convert colour to grayscale as :func:`skimage.color.rgb2gray` does
        (RGBA is first blended on white as :func:`skimage.color.rgba2rgb`).
    min_size : (int, int)
        Smallest accepted ``(H, W)``.
    min_size_reason : str
        Why that size is needed, appended to the error message.
    rescale : bool
        Scale bool/integer images to [0, 1] (or [-1, 1] for signed types).
    min_size_advice : str
        What to do about images smaller than ``min_size``, ending that message.

    Returns
    -------
    ImageBatch
        ``data`` is C-contiguous float32 (for float16 or float32 input, as scikit-image
        computes them) or float64.

    Raises
    ------
    InvalidImageError
        On empty arrays, lists of images of several shapes, a wrong number of
        dimensions or channels,
        non-numeric dtypes, NaN/inf values, values beyond :data:`MAX_ABS_PIXEL`
        or images smaller than ``min_size``.

    Examples
    --------
    >>> import numpy as np
    >>> batch = as_image_batch(np.zeros((48, 48), dtype=np.uint8))
    >>> batch.data.shape, batch.data.dtype, batch.single
    ((1, 48, 48), dtype('float64'), True)
    """
    _refuse_paths(image, name)
    image = with_pil_pixels(image)  # a palette or CMYK PIL image: its colours, not its codes
    if isinstance(image, (list, tuple)):
        _check_same_shapes(image, name)
    divisors = None
    if isinstance(image, (list, tuple)) and all(isinstance(i, np.ndarray) for i in image) \
            and len({i.dtype for i in image}) > 1:  # np.asarray would cast uint8 to 0-255 floats
        divisors = [_divisor(i.dtype, rescale) for i in image]
        wide = []  # (k, dtype, low, high) of the entries of 8-bit pixels in wide integers
        for k, (entry, div) in enumerate(zip(image, divisors, strict=True)):  # as in a list
            if rescale and entry.dtype.kind in "iu" and entry.dtype.itemsize >= 4 and entry.size:
                low, high = float(entry.min()) / div, float(entry.max()) / div
                if _bytes_in_wide_ints(entry.dtype, low, high):
                    wide.append((k, entry.dtype, low, high))
        if wide:  # one warning for the list, naming the first (it was one per image)
            _warn_bytes_in_wide_ints(*wide[0][1:], f"{name}[{wide[0][0]}]", more=len(wide) - 1)
        image = [_to_float(i, name, rescale) for i in image]  # each by its own dtype's rule
    try:
        arr = np.asarray(image)
    except ValueError as exc:  # ragged nesting inside one entry (NumPy: inhomogeneous)
        raise InvalidImageError(
            f"{name}: got a ragged nested sequence (rows of different lengths), not an "
            f"array of pixels; {_EXPECTED}.") from exc
    if arr.dtype == object or arr.dtype.kind in "OSUVcMm":
        raise InvalidImageError(
            f"{name}: got {_describe(arr)}; expected a real numeric image "
            "(bool, integer or float pixels)."
        )
    if arr.size == 0:
        raise InvalidImageError(f"{name}: got an empty array ({_describe(arr)}); {_EXPECTED}.")
    batch, single = _split_layout(arr, name, channel_axis)
    scales = _scales(divisors, arr.dtype, rescale, len(batch), single)
    if batch.ndim == 4 and batch.shape[-1] not in _CHANNELS:
        raise InvalidImageError(channel_count_message(name, arr, batch.shape[-1], channel_axis))
    batch = _to_float(batch, name, rescale)
    low, high = _check_values(batch, arr, name, single)
    if rescale and arr.dtype.kind in "iu" and arr.dtype.itemsize >= 4:
        _warn_bytes_in_wide_ints(arr.dtype, low, high, name)
    h, w = batch.shape[1:3]
    if h < min_size[0] or w < min_size[1]:
        reason = f" ({min_size_reason})" if min_size_reason else ""
        minimum = f"{min_size[0]}x{min_size[1]}{reason}; {min_size_advice}."
        err = InvalidImageError(
            f"{name}: images of {h}x{w} pixels (input {_describe(arr)}) are smaller than "
            f"the minimum {minimum}")
        err.too_small = (tuple(min_size), minimum)  # the extractors name the caller's image
        raise err
    if gray and batch.ndim == 4:
        batch = to_gray(batch)
    return ImageBatch(np.ascontiguousarray(batch), single, scales)


def channel_count_message(name: str, arr, count: int, channel_axis) -> str:
    """Return the message for ``count`` channels (not 1, 3 or 4) in ``arr`` (or its shape).

    With ``channel_axis`` given it names that axis rather than asking the caller to set it.
    """
    got = f"got {_describe(arr)}" if isinstance(arr, np.ndarray) else f"got shape {arr}"
    if channel_axis is None:
        return (f"{name}: {got} with {count} channels; expected 1, 3 or 4 channels on the "
                "last axis (or set channel_axis).")
    hint = " (for grey+alpha, pass the grey channel alone)" if count == 2 else ""
    return (f"{name}: {got}: channel_axis={channel_axis} selects an axis of {count} "
            f"channels; aufeat takes 1, 3 or 4 channels (grey, RGB, RGBA){hint}. Give "
            "the axis that holds the colour channels, or pass the image's channels "
            "as grey, RGB or RGBA.")


def _scales(divisors, dtype, rescale: bool, n: int, single: bool) -> np.ndarray | None:
    """:attr:`ImageBatch.scales` of ``n`` images; ``divisors`` per list entry, if mixed."""
    if divisors is None or len(set(divisors)) == 1:
        return np.full(n, _divisor(dtype, rescale) if divisors is None else divisors[0])
    if not single and len(divisors) == n:  # the list's entries are the images
        return np.array(divisors)
    return None  # the entries are parts (rows, channels) of one image


def to_gray(batch: np.ndarray) -> np.ndarray:
    """Convert a colour batch ``(N, H, W, C)`` to grayscale ``(N, H, W)``.

    Equal to :func:`skimage.color.rgb2gray` (after
    :func:`skimage.color.rgba2rgb` on a white background for 4 channels),
    in the batch's own float dtype.
    """
    channels = batch.shape[-1]
    if channels == 1:
        return batch[..., 0]
    if channels == 4:
        rgb = on_white(batch)
        batch = np.clip(rgb, 0, 1, out=rgb)
    weights = np.array(_GRAY_WEIGHTS, dtype=batch.dtype)
    return batch @ weights


def unbatch(result: np.ndarray, single: bool) -> np.ndarray:
    """Return ``result[0]`` for a single-image call, ``result`` otherwise."""
    return result[0] if single else result
