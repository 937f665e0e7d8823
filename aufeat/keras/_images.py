"""Image batches for :class:`~aufeat.keras.KerasCNNClassifier`: validate, scale, resize."""

from __future__ import annotations

from numbers import Real

import numpy as np

__all__ = ["prepare_images"]


def _size(input_size):
    """Return ``input_size`` as ``(H, W)`` (None: None); ValueError unless whole sizes >= 1.

    A whole float (24.0, from a search space or a config) reads as its int, as
    ``epochs`` does; 24.5, NaN and bools are refused (``int()`` trained 24.5 at 24
    pixels and True at 1), each side of a pair too.
    """
    if input_size is None:
        return None
    try:
        pair = (input_size, input_size) if np.ndim(input_size) == 0 else tuple(input_size)
    except (TypeError, ValueError):
        pair = ()
    if not (len(pair) == 2 and all(_whole_size(side) for side in pair)):
        # cv2.resize failed on 0 with its own assertion
        raise ValueError(f"input_size must be a size in pixels of at least 1: a whole number "
                         f"(an int, or a float such as 24.0) or (height, width) of them, or "
                         f"None to keep the images' own; got {input_size!r}")
    return int(pair[0]), int(pair[1])


def _repair(input_size) -> str:
    """How a model fitted with a refused ``input_size`` predicts, for :func:`prepare_images`.

    An aufeat before the refusal trained such a value at ``int()`` of it (24.5 at
    24 pixels) and its saved file still holds the value: the model loads, and
    predicts once ``input_size`` is its network's size.
    """
    try:
        pair = [input_size] if np.ndim(input_size) == 0 else list(input_size)
        whole = [int(side) for side in pair]
    except (TypeError, ValueError, OverflowError):
        whole = []
    how = ("; to predict with a fitted model, set_params(input_size=...) to the size its "
           "network takes (model_.input_shape[1:3])")
    if len(whole) not in (1, 2) or min(whole) < 1:  # an older aufeat failed on it too
        return how
    fix = whole[0] if len(whole) == 1 else tuple(whole)
    return (f"; a model fitted with it by an older aufeat was trained at int() of it: to "
            f"predict with one (as loaded from its file), set_params(input_size={fix}), the "
            "size its network takes (model_.input_shape[1:3])")


def _whole_size(value) -> bool:
    """Whether ``value`` is a whole number >= 1 (not a bool: True is no size in pixels)."""
    return (isinstance(value, Real) and not isinstance(value, bool)
            and bool(np.isfinite(value)) and float(value).is_integer() and value >= 1)


def _refuse_empty(index, shape, batch=0):
    """Raise for the empty image ``X[index]`` (0 rows or columns: no pixels to train on).

    ``batch``: the number of images of an array batch, all of that shape.
    """
    from aufeat.exceptions import InvalidImageError

    every = f" (as are all {batch} images of the batch)" if batch > 1 else ""
    raise InvalidImageError(
        f"X[{index}] has shape {tuple(shape)}: an empty image (no pixels){every}; leave it "
        "out (a face box cut at the frame's edge crops to 0 rows or columns)")


def _items(images) -> list[np.ndarray]:
    """Return a list's images as arrays, refusing empty ones.

    PIL images give their pixels as aufeat reads them everywhere else
    (:func:`aufeat._pil_pixels.pil_pixels`): ``np.asarray`` alone gave a palette
    image's index numbers and a CMYK photo's inks as RGBA. Grey images ``(H, W)``
    beside ``(H, W, 1)`` ones get that channel axis too: both are grey, as in an
    array batch (loaders differ: cv2 drops the axis, other tools keep it).
    """
    from aufeat._pil_pixels import with_pil_pixels

    items = [np.asarray(image) for image in with_pil_pixels(list(images))]
    for i, item in enumerate(items):  # cv2.resize failed on one with its own assertion
        if item.ndim >= 2 and 0 in item.shape[:2]:
            _refuse_empty(i, item.shape)
    if any(item.ndim == 3 and item.shape[2] == 1 for item in items):
        items = [item[..., None] if item.ndim == 2 else item for item in items]
    return items


def _stack(items) -> np.ndarray:
    """Stack a list's images of one shape, each scaled by its own dtype if they differ."""
    if len({item.dtype for item in items}) > 1:  # NumPy would put uint8 0-255 beside floats
        from aufeat._validation import _to_float

        items = [_to_float(item, "X", True) for item in items]  # each by its dtype, as in
        # as_image_batch: uint8 / 255, uint16 / 65535, floats as they are
    return np.asarray(items)


def _each_resized(items, size) -> np.ndarray:
    """Prepare a list of images of several sizes one by one, each resized to ``size``.

    Each image is scaled and blended on white alone, in float, and resized after, as
    it would be alone or in an array: resizing RGBA first averaged the hidden colour
    of transparent pixels into the face, so its pixels hung on its neighbours' sizes.
    """
    from aufeat.exceptions import InvalidImageError

    shapes = sorted({item.shape for item in items})
    if any(item.ndim not in (2, 3) for item in items) or len({s[2:] for s in shapes}) > 1:
        raise InvalidImageError(
            f"X: a list of images of shapes {shapes[:6]}; each must be one image (H, W) or "
            "(H, W, C), all with the same channels")
    if size is None:
        sizes = sorted({f"{s[1]}x{s[0]}" for s in shapes})
        raise InvalidImageError(
            f"X: the images have different sizes ({', '.join(sizes[:6])}"
            f"{', ...' if len(sizes) > 6 else ''}, width x height) and input_size is None; "
            "set input_size to resize them all, or crop them to one size")
    batches = [item.reshape(1, *item.shape[:2], -1) for item in items]  # (1, H, W, C)
    _check_pixels(batches)
    import warnings

    with warnings.catch_warnings(record=True) as caught:  # as_image_batch's, per image
        warnings.simplefilter("always")
        prepared = np.concatenate([_scaled(batch[0], size, f"X[{i}]")  # one image: X[i]'s
                                   for i, batch in enumerate(batches)])  # shape in its errors
    _warn_once(caught)
    return prepared


def _warn_once(caught) -> None:
    """Warn each kind of message of ``caught`` (``X[i]: ...``, per image) once, as ``X: ...``.

    Messages differing only in their numbers (``up to 254``, ``up to 255``) are one kind,
    said with the largest, as for the images stacked in an array.
    """
    import re

    from aufeat._warnings import warn

    kinds = {}
    for record in caught:
        text = re.sub(r"^X\[\d+\]", "X", str(record.message))
        numbers = [int(n) for n in re.findall(r"\d+", text)]
        key = (re.sub(r"\d+", "#", text), record.category)
        if key not in kinds or numbers > kinds[key][0]:
            kinds[key] = (numbers, text)
    for (_, category), (_, text) in kinds.items():
        warn(text, category)


def _check_pixels(batches) -> None:
    """Refuse all-NaN images and warn, once for all ``batches``, of pixels on a wrong scale."""
    from aufeat._warnings import warn
    from aufeat.exceptions import InvalidImageError

    floats = [b for b in batches if b.dtype.kind == "f" and b.size]  # empty: as_image_batch's
    missing = sum(int(np.isnan(b).all(axis=tuple(range(1, b.ndim))).sum()) for b in floats)
    if missing:
        raise InvalidImageError(
            f"X: {missing} image(s) are all NaN, faces "
            "the aligner did not find (on_missing='nan'); leave those rows out of fit and "
            "predict (e.g. X[~np.isnan(X).any(axis=(1, 2))]), do not fill them with pixels")
    wide = {b.dtype for b in batches if b.dtype.kind in "iu" and b.dtype.itemsize > 1}
    for dtype in sorted(wide, key=str):
        peaks = [int(b.max()) for b in batches if b.dtype == dtype and b.size]
        if peaks and max(peaks) <= 255:
            peak, top = max(peaks), int(np.iinfo(dtype).max)
            warn(f"X: {dtype} images with pixels up to {peak} (0-255 values?) are "
                 f"scaled by the {dtype} maximum {top}, as integer images are, to at "
                 f"most {peak / top:.2g}: the network would see near-black faces; pass uint8 "
                 "images (X.astype(np.uint8)) or floats in [0, 1] (X / 255)")
    peak = max((float(np.nanmax(b)) for b in floats if b.size), default=0.0)
    if peak > 1.0 + 1e-6:
        warn(f"X: float images are expected in [0, 1] but reach {peak:g}; "
             "divide 0-255 pixels by 255 (or pass uint8 images), or the network "
             "will train on badly scaled inputs")


def _scaled(arr, size, name) -> np.ndarray:
    """Return the batch ``arr`` (N, H, W, C) or image (H, W, C) as float32 (N, H, W, C).

    Scaled to [0, 1] by dtype, RGBA blended on white, resized to ``size``.
    """
    from aufeat._validation import as_image_batch, on_white

    batch = as_image_batch(arr, name=name, channel_axis=-1).data.astype(np.float32, copy=False)
    if batch.shape[-1] == 4:  # RGBA on white, as the features and the aligner take it
        batch = np.clip(on_white(batch), 0.0, 1.0)
    if size is not None and batch.shape[1:3] != size:
        import cv2

        resized = np.empty((len(batch), *size, batch.shape[-1]), np.float32)
        for i, image in enumerate(batch):
            out = cv2.resize(image, (size[1], size[0]), interpolation=cv2.INTER_AREA)
            resized[i] = out.reshape(resized.shape[1:])
        batch = resized
    return np.ascontiguousarray(batch)


def prepare_images(X, input_size) -> np.ndarray:
    """Return ``X`` as float32 ``(N, H, W, C)`` in [0, 1], resized to ``input_size``.

    ``X`` is a batch ``(N, H, W)`` or ``(N, H, W, C)`` (one colour image
    ``(H, W, 3)`` or ``(H, W, 4)`` is refused: pass ``face[None]``), or a list
    of images (arrays, or PIL images read as aufeat reads them), which may
    differ in size when ``input_size`` is set (each is then scaled, blended and
    resized to it on its own, as it would be alone; a list mixing pixel types is
    scaled image by image, a uint8 face / 255 beside float ones). RGBA images are
    blended on white into RGB, as :func:`skimage.color.rgba2rgb` and aufeat's
    features do.
    Integer images are scaled as :func:`skimage.util.img_as_float` does, by
    their type's maximum
    (int16/uint16/int32/int64 images holding 0-255 pixels get a warning, as
    they would come out near 0); float images are taken as they are
    (expected in [0, 1]; a warning when they reach over 1).

    Examples
    --------
    >>> prepare_images(np.zeros((2, 112, 112), np.uint8), 48).shape
    (2, 48, 48, 1)
    """
    from aufeat.exceptions import InvalidImageError

    try:
        size = _size(input_size)
    except ValueError as exc:  # fit refused it first (check_params): a fitted model's
        raise ValueError(f"{exc}{_repair(input_size)}") from None
    checked = isinstance(X, (list, tuple))
    if checked:
        items = _items(X)
        if len({item.shape for item in items}) > 1:
            return _each_resized(items, size)
        _check_pixels([item[None] for item in items])  # as stored: _stack scales mixed ones
        arr = _stack(items)
    else:
        arr = np.asarray(X)
    if arr.ndim not in (3, 4):
        raise InvalidImageError(
            f"X: got an array of shape {arr.shape}; KerasCNNClassifier takes a batch of "
            "images (N, H, W) or (N, H, W, C). For feature vectors use KerasMLPClassifier.")
    if arr.ndim == 3 and arr.shape[-1] in (3, 4):
        raise InvalidImageError(
            f"X: got an array of shape {arr.shape}, which looks like one colour image "
            f"(H, W, {arr.shape[-1]}), not a batch of {arr.shape[0]} grey images; pass a "
            "batch: face[None] for one image (a batch of grey images this narrow as "
            f"(N, H, W, 1): X[..., None])")
    if len(arr) and 0 in arr.shape[1:3]:  # not "all NaN" (vacuously true of 0 pixels)
        _refuse_empty(0, arr.shape[1:], len(arr))
    if arr.ndim == 3:
        arr = arr[..., None]
    if not checked:
        _check_pixels([arr])
    return _scaled(arr, size, "X")
