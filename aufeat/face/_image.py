"""Private image helpers for the face package: validation and uint8 conversion for dlib."""

from __future__ import annotations

import os

import numpy as np

from .._pil_pixels import with_pil_pixels
from .._validation import as_image_batch, byte_ints, on_white, outside_unit, uint8_pixels
from ..exceptions import InvalidImageError

#: Smallest image side (pixels) that can hold a face dlib can fit.
MIN_SIDE = 8

_NATIVE = (np.uint8, np.uint16, np.float32, np.float64)


def check_image(image, name: str = "image", *, unit: bool = True) -> np.ndarray:
    """Return ``image`` as one 2-D or 3-D (H, W, C) array, validated but not converted.

    uint8, uint16, float32 and float64 pass through (as views); other integers
    must lie in 0-255 and become uint8 (:func:`aufeat._validation.byte_ints`, as
    :func:`aufeat.io.encode_png` writes them); bool and other floats are converted
    to float64 in [0, 1] as :func:`skimage.util.img_as_float` does.
    Float images must be in [0, 1] (``unit=False``: any range), as detection reads
    them: clipped, [0, 255] floats would be a white picture without a face.
    A PIL image is read as the extractors read it (:func:`aufeat._pil_pixels.pil_pixels`):
    palette and CMYK by their colours, grey+alpha as RGBA, 1-bit as 8-bit grey.
    """
    if isinstance(image, (str, os.PathLike)):
        raise InvalidImageError(f"{name}: got a file path ({os.fspath(image)!r}); pass "
                                f"pixels: aufeat.read_image(path)")
    arr = byte_ints(np.asarray(with_pil_pixels(image)), name)
    floats = arr.dtype.kind == "f"
    if arr.ndim == 3 and arr.shape[-1] not in (1, 3, 4):
        if arr.shape[-1] == 2:
            hint = "it looks like grey+alpha (H, W, 2): pass its grey channel, image[..., 0]"
        elif arr.shape[0] in (1, 3, 4):
            hint = "it looks channels-first (C, H, W): pass np.moveaxis(image, 0, -1)"
        else:
            hint = "for a stack of grey images (N, H, W), pass it to FaceAligner.transform"
        raise InvalidImageError(
            f"{name}: got shape {arr.shape}; expected one image (H, W) or (H, W, C) with "
            f"C in 1/3/4; {hint}."
        )
    if arr.ndim not in (2, 3) or arr.size == 0 or arr.dtype not in _NATIVE:
        arr = as_image_batch(arr, name=name).data
        if arr.shape[0] != 1:
            raise InvalidImageError(
                f"{name}: got a batch of {arr.shape[0]} images; expected one image. "
                "Use FaceAligner.transform for batches."
            )
        arr = arr[0]
    elif arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise InvalidImageError(
            f"{name}: got shape {arr.shape} and dtype {arr.dtype} containing NaN or inf; "
            "expected finite pixel values. Replace them (e.g. np.nan_to_num) first."
        )
    if unit and floats and (bounds := outside_unit(arr)) is not None:
        low, high = bounds
        raise InvalidImageError(
            f"{name}: float pixels in [{low:.3g}, {high:.3g}]; float images must be in "
            "[0, 1]. Divide [0, 255] floats by 255 first, or pass uint8 pixels "
            "(np.clip(image, 0, 255).astype(np.uint8)).")
    if arr.ndim == 3 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if min(arr.shape[:2]) < MIN_SIDE:
        raise InvalidImageError(
            f"{name}: an image of {arr.shape[0]}x{arr.shape[1]} pixels is too small to hold "
            f"a face; faces need at least {MIN_SIDE}x{MIN_SIDE} pixels (48x48 or more works "
            "best)."
        )
    return arr


def texture(pixels: np.ndarray) -> float:
    """Return the largest standard deviation of one channel of ``pixels`` (grey: its std).

    A measure of blankness: a flat image of any one colour gives 0. The std of all values
    together would count the differences between one colour's channels (a flat red:
    120) as texture.
    """
    if pixels.size == 0:
        return 0.0
    channels = pixels.reshape(-1, pixels.shape[2]) if pixels.ndim == 3 else pixels.reshape(-1, 1)
    return float(channels.std(axis=0).max())


def to_uint8(image, name: str = "image") -> np.ndarray:
    """Return ``image`` as C-contiguous uint8 gray (H, W) or RGB (H, W, 3) for dlib.

    uint16 is divided by 257, floats must be in [0, 1] (:func:`check_image`), RGBA
    is blended on white as :func:`skimage.color.rgba2rgb` does.
    """
    return uint8_pixels(check_image(image, name))


def opaque(image: np.ndarray) -> np.ndarray:
    """Return RGBA ``image`` blended on white into RGB of its own dtype; others unchanged.

    For grey crops: blending before the warp keeps the mask and the constant
    border black (their alpha 0 would otherwise blend to white), so an opaque
    RGBA image gives the crop of its RGB pixels.
    """
    if image.ndim != 3 or image.shape[2] != 4:
        return image
    if image.dtype.kind == "f":
        return on_white(image).astype(image.dtype)
    return np.rint(on_white(image, np.iinfo(image.dtype).max)).astype(image.dtype)


def square_resize(image: np.ndarray, size: int, border: str) -> np.ndarray:
    """Return ``image`` padded square and resized to ``size``: unsquashed.

    ``border`` fills the padding as :func:`~aufeat.face.align.align_face` fills crop pixels
    outside the image: ``'constant'`` with 0, ``'replicate'`` with the edge pixels.
    """
    import cv2

    height, width = image.shape[:2]
    side = max(height, width)
    top, left = (side - height) // 2, (side - width) // 2
    mode = cv2.BORDER_REPLICATE if border == "replicate" else cv2.BORDER_CONSTANT
    square = cv2.copyMakeBorder(np.ascontiguousarray(image), top, side - height - top, left,
                                side - width - left, mode, value=0)
    shrink = cv2.INTER_AREA if side > size else cv2.INTER_LINEAR
    return cv2.resize(square, (size, size), interpolation=shrink)
