"""Pixels a :class:`~aufeat.datasets.FaceDataset` holds in memory.

Checked when given (``images=``), stacked when asked for (``load_images``).
"""

from __future__ import annotations

import os
from collections import Counter

import numpy as np

from .._pil_pixels import with_pil_pixels
from .._sources import is_path
from .._validation import _to_float, byte_ints

__all__ = ["memory_images", "readable", "stack_images"]

_PATHS = "image files go in paths= (images= holds pixels: arrays or PIL images)"


def memory_images(images):
    """Return ``images=`` as a data set holds them: the (N, H, W[, C]) array, or a list of arrays.

    A list's PIL images become pixels as the extractors read them
    (:func:`aufeat._pil_pixels.pil_pixels`: a palette image by its colours, CMYK as RGB,
    grey+alpha as RGBA). Paths (meant for ``paths=``), and items or arrays that are
    not images of numbers, raise ValueError naming the item.

    Examples
    --------
    >>> [p.shape for p in memory_images([np.zeros((4, 6), np.uint8)])]
    [(4, 6)]
    >>> memory_images(["face.png"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: images[0] is a path ('face.png'): image files go in paths= ...
    """
    if isinstance(images, np.ndarray):
        if images.ndim not in (3, 4):
            raise ValueError(f"images: expected (N, H, W) or (N, H, W, C), got shape "
                             f"{images.shape}")
        _check_numbers(images, "images")
        return images
    if is_path(images):
        raise ValueError(f"images is a path ({images!r}): {_PATHS}; a folder of images: "
                         "load_image_folder")
    out = []
    for i, item in enumerate(images):
        if is_path(item):
            raise ValueError(f"images[{i}] is a path ({item!r}): {_PATHS}")
        pixels = np.asarray(with_pil_pixels(item))
        if pixels.ndim not in (2, 3):
            raise ValueError(f"images[{i}]: expected one image, (H, W) or (H, W, C), got shape "
                             f"{pixels.shape} ({pixels.dtype}); give one array per image, or "
                             "the files as paths=")
        _check_numbers(pixels, f"images[{i}]")
        out.append(pixels)
    return out


def path_array(paths) -> np.ndarray:
    """``paths`` as an object array of str; one path (not in a list) is refused.

    A str is a sequence of characters: ``paths="face.png"`` read as 8 one-letter paths.

    Examples
    --------
    >>> path_array(["a.png", "b.png"]).tolist()
    ['a.png', 'b.png']
    """
    if is_path(paths):
        raise ValueError(f"paths is one path ({paths!r}); give a list of paths "
                         f"(paths=[{paths!r}]), or a folder's images with load_image_folder")
    return np.array([os.fspath(p) for p in paths], dtype=object)


def _check_numbers(pixels: np.ndarray, name: str) -> None:
    """Refuse pixels that are not numbers (text, objects, complex)."""
    if pixels.dtype.kind not in "biuf":
        raise ValueError(f"{name}: got {pixels.dtype} values, not pixels; give bool, integer or "
                         f"float pixels, or {_PATHS}")


def readable(p: np.ndarray) -> np.ndarray:
    """Return pixels as aufeat reads them: bool 0/255 and other ints uint8, odd floats float32.

    Bool pixels become uint8 0/255, which the features read as they read the bools
    (True is 255/255 = 1.0), and which can be resized.
    """
    if p.dtype == bool:
        return p.astype(np.uint8) * np.uint8(255)
    odd_float = p.dtype.kind == "f" and p.dtype.itemsize not in (4, 8)
    return p.astype(np.float32) if odd_float else byte_ints(p, "images")


def stack_images(pixels: list[np.ndarray], size) -> np.ndarray:
    """Stack images into one array, resized to ``size`` (default: the most common size)."""
    import cv2

    if not pixels:
        return np.empty((0, 0, 0), np.uint8)
    shape = Counter(p.shape[:2] for p in pixels).most_common(1)[0][0] if size is None else size
    pixels = [readable(p) for p in pixels]
    if len({p.dtype for p in pixels}) > 1:  # each by its own rule, as in as_image_batch
        pixels = [_to_float(p, "images", rescale=True) for p in pixels]
    one_channel = all(p.ndim == 3 and p.shape[2] == 1 for p in pixels)  # (H, W, 1) stays
    pixels = [p[..., 0] if p.ndim == 3 and p.shape[2] == 1 else p for p in pixels]
    colour = any(p.ndim == 3 for p in pixels)
    out = []
    for p in pixels:
        if p.shape[:2] != shape:
            shrink = p.shape[0] * p.shape[1] > shape[0] * shape[1]
            p = cv2.resize(p, (shape[1], shape[0]),
                           interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)
        if colour and p.ndim == 2:
            p = np.repeat(p[..., np.newaxis], 3, axis=2)
        out.append(p)
    if len({p.shape[2] for p in out if p.ndim == 3}) > 1:
        # named as given: a grey image is promoted to RGB above, but no RGB image is there
        channels = sorted({p.shape[2] if p.ndim == 3 else 1 for p in pixels})
        kinds = {1: "grey", 2: "grey+alpha", 3: "RGB", 4: "RGBA"}
        raise ValueError(f"the images mix {' and '.join(map(str, channels))} colour channels "
                         f"({' and '.join(kinds.get(c, '?') for c in channels)}); give them "
                         "one channel count to stack them")
    stacked = np.stack(out)
    return stacked[..., np.newaxis] if one_channel else stacked
