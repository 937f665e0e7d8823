"""What the image extractors take: batches, lists and files of images, checked and read.

:mod:`aufeat.estimators.extractors` computes the features; the rules here say how an
input becomes images: an array is a batch (one image is refused, as it cannot be told from
a batch), an empty input is refused, and an image entirely NaN is a missed face.
"""

from __future__ import annotations

import numpy as np

__all__ = ["as_image_batch", "by_shape", "check_channel_axis", "check_fitted", "check_images",
           "check_not_empty", "check_params", "first_image_size", "image_size", "listed",
           "name_too_small", "no_face", "read_images", "source_layout", "with_nan_rows"]

#: How to add a channel axis of 1 to a batch of grey images, by the extractor's channel_axis.
_GREY_HINT = {0: "X[:, None]", -1: "X[..., None]"}


def check_not_empty(X) -> None:
    """Refuse an empty list or batch of images, with or without a cache."""
    from ..exceptions import InvalidImageError

    if hasattr(X, "__len__") and len(X) == 0:
        shape = f" of shape {X.shape}" if isinstance(X, np.ndarray) else ""
        raise InvalidImageError(f"images: got no images (an empty {type(X).__name__}{shape}); "
                                "give at least one image (the number of features depends on "
                                "the image size).")


def listed(X):
    """Return a one-pass iterable (a generator, ``map``) as a list, anything else as it is.

    So that ``fit``, ``transform`` and their messages read the same images: a generator
    read by ``fit`` would be empty for ``transform`` (``fit_transform``, ``Pipeline.fit``).
    """
    if X is None or isinstance(X, np.ndarray) or hasattr(X, "__len__"):
        return X
    return list(X) if hasattr(X, "__iter__") else X


def as_image_batch(extractor, X):
    """Return ``X`` after checking that an array is a batch of images.

    Without a ``channel_axis``, an array that looks like one ``(H, W, C)`` image is
    refused. With one, a 3-D array is one colour image when its channel axis is not
    the first and holds 3 or 4 channels (``(48, 48, 3)``: as 48 grey images it would
    be 3 pixels wide), returned as a batch of one; otherwise it is refused: it may be
    one colour image or a batch ``(N, H, W)`` of grey images (``(3, 48, 48)`` with
    ``channel_axis=0``), and read as one it gave one row for N faces. Lists, paths
    and data sets pass unchanged (each of their items is one image); so does a 1-D array of
    paths or images (``df['path'].to_numpy()``, or its one-column 2-D form), as a list;
    a generator, as a list (:func:`listed`).
    """
    check_channel_axis(extractor, X)
    if not isinstance(X, np.ndarray):
        from .._sources import refuse_one_image

        refuse_one_image(X)  # one PIL image: as one path or one (H, W) array, refused
        return listed(X)
    if X.ndim == 2 and X.shape[1] == 1 and X.dtype.kind in "UO":  # df[['path']].to_numpy()
        X = X[:, 0]
    if X.ndim == 1 and X.dtype.kind in "UO":  # paths or images, e.g. a manifest's column
        return X.tolist()
    axis = getattr(extractor, "channel_axis", None)
    if axis is None:
        from ..face._batch import check_layout

        check_layout(X, " (or X[..., None] for grey images that narrow)")
    elif X.ndim == 3 and axis not in (0, -3) and X.shape[axis] in (3, 4):
        return X[None]  # one (H, W, C) image: its sides are no batch of grey images
    elif X.ndim == 3:
        from ..exceptions import InvalidImageError

        grey = _GREY_HINT.get(axis) if isinstance(axis, (int, np.integer)) else None
        raise InvalidImageError(
            f"X: an array of shape {X.shape} given to {type(extractor).__name__}"
            f"(channel_axis={axis!r}) is either one colour image or a batch of "
            f"{X.shape[0]} grey images; pass image[None] (or [image]) for one colour "
            f"image, or {grey or 'X with a channel axis of 1 added'} (or list(X)) for "
            "grey images")
    return X


def check_channel_axis(extractor, X) -> None:
    """Refuse an extractor's ``channel_axis`` that is no axis of one image, in its terms.

    The extractors take the axis of one image (0 for channel-first ``(C, H, W)``), which
    they turn into the batch's for the feature functions: left to them, an axis out of
    range was reported as another number (the batch's), on an array the caller never gave.
    """
    from ..exceptions import InvalidImageError

    axis = getattr(extractor, "channel_axis", None)
    if axis is None:
        return
    owner = type(extractor).__name__
    advice = "0 for channel-first (C, H, W) images and (N, C, H, W) batches, -1 or None for " \
             "channels last"
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{owner}: channel_axis must be an integer axis of one image ({advice}), "
                        f"got {axis!r}.")
    if not -3 <= axis <= 2:
        shape = f"; X has shape {X.shape}" if isinstance(X, np.ndarray) else ""
        raise InvalidImageError(
            f"{owner}: channel_axis={axis} is not an axis of one image (3-D: 0..2 or "
            f"-3..-1){shape}. The extractors take the channel axis of one image, not of the "
            f"batch: {advice}.")


def source_layout(extractor, X):
    """Return ``(extractor, X)`` to compute ``X``'s features with: decoded pixels channels-last.

    Image files, data sets and PIL images hold ``(H, W, C)`` pixels, whatever the
    extractor's ``channel_axis`` (which says how the arrays it is given are laid out).
    For an extractor whose channel axis is not the last, PIL images in a list become
    arrays with their channel axis moved there, and files and data sets are read by
    a twin of the extractor with ``channel_axis=None`` (through its cache too, which
    reads the files itself).
    """
    from .._pil_pixels import with_pil_pixels
    from .._sources import is_path

    axis = getattr(extractor, "channel_axis", None)
    if (not isinstance(axis, (int, np.integer)) or axis not in (0, 1, -2, -3)
            or X is None or isinstance(X, np.ndarray)):
        return extractor, X
    items = X.to_numpy().ravel().tolist() if hasattr(X, "to_numpy") else X
    if hasattr(X, "in_memory") or (len(items) and all(is_path(p) for p in items)):
        twin = type(extractor)(**{**extractor.get_params(deep=False), "channel_axis": None})
        return twin, X
    pixels = [with_pil_pixels(item) for item in items]
    if any(p is not item and p.ndim == 3 for p, item in zip(pixels, items, strict=True)):
        X = [np.moveaxis(p, -1, axis) if p is not item and p.ndim == 3 else item
             for p, item in zip(pixels, items, strict=True)]
    return extractor, X


def image_size(image: np.ndarray, channel_axis) -> tuple[int, int]:
    """``(H, W)`` of one image: a 2-D one's shape, else its shape without the channel axis."""
    shape = image.shape if image.ndim == 2 else np.delete(image.shape, -1 if channel_axis is None
                                                          else channel_axis)
    return int(shape[0]), int(shape[1])


def check_params(extractor) -> None:
    """Refuse a fitted ``extractor`` whose parameters changed since ``fit`` (``set_params``).

    Its feature names and the checks of :func:`check_fitted` describe the fitted
    parameters: a change of the count was blamed on the images, and one that keeps it
    (HOG's ``pixels_per_cell`` (8, 4) to (4, 8) on square faces) gave columns in another
    layout under the fitted names. An unfitted extractor (stateless) and a model saved
    before ``fit`` recorded its parameters are not checked; ``cache`` is no parameter of
    the features.
    """
    from sklearn.exceptions import NotFittedError

    fitted = getattr(extractor, "_fitted_params", None)
    if fitted is None:
        return
    now = extractor._params()
    changed = [f"{k}={fitted.get(k)!r} -> {now.get(k)!r}" for k in sorted({*fitted, *now})
               if not _same(fitted.get(k), now.get(k))]
    if changed:
        raise NotFittedError(
            f"{type(extractor).__name__}: parameters changed since fit ({'; '.join(changed)}); "
            "the fitted feature names describe the old ones: refit (fit or fit_transform) "
            "before transform")


def _same(a, b) -> bool:
    """Whether two parameter values are equal: (8, 8) and [8, 8] are, arrays compared."""
    try:
        return bool(np.array_equal(np.asarray(a, dtype=object), np.asarray(b, dtype=object)))
    except (TypeError, ValueError):
        return False


def check_fitted(extractor, out: np.ndarray, X, images, owner) -> None:
    """Refuse features ``out`` of images unlike those ``extractor`` was fitted on.

    Another number of features is refused, and another image size ``(H, W)`` where the
    features' layout depends on it (``extractor._layout_by_size()``; not checked for a
    model saved before ``fit`` recorded the size). ``images``: what was read of ``X``
    (a batch or a list of arrays; ``X`` itself through a cache, whose files and data
    sets are then not read); ``owner``: the extractor that computed ``out``, whose
    ``channel_axis`` gives the images' layout.
    """
    from .._pil_pixels import with_pil_pixels

    fitted = getattr(extractor, "_n_features_out", None)
    if fitted is not None and out.shape[1] != fitted:
        raise ValueError(f"{type(extractor).__name__}: fitted on images giving {fitted} "
                         f"features; these give {out.shape[1]} "
                         f"({first_image_size(X, getattr(owner, 'channel_axis', None))}): "
                         "resize or align the faces to the fitted size, or refit")
    size = getattr(extractor, "_fitted_size", None) if extractor._layout_by_size() else None
    if size is None:
        return
    if not isinstance(images, np.ndarray):
        images = with_pil_pixels(list(images)) if isinstance(images, (list, tuple)) else []
        if not all(isinstance(image, np.ndarray) for image in images):
            return  # paths: the cache reads only the files whose features it lacks
    axis = getattr(owner, "channel_axis", None)
    sizes = {image_size(np.asarray(image), axis)
             for image in (images[:1] if isinstance(images, np.ndarray) else images)}
    if other := sorted(s for s in sizes if s != tuple(size)):
        raise ValueError(
            f"{type(extractor).__name__}: fitted on {size[0]}x{size[1]} images; these are "
            f"{', '.join(f'{h}x{w}' for h, w in other)}, whose features lie in another "
            "layout (the columns would not match the fitted ones, nor what a model after it "
            "was trained on): resize or align the faces to the fitted size, or refit")


def no_face(image) -> bool:
    """Whether an image is entirely NaN: FaceAligner(on_missing='nan')'s row for no face."""
    image = np.asarray(image)
    return image.dtype.kind == "f" and image.size > 0 and bool(np.isnan(image).all())


def read_images(X, *, first: bool = False):
    """``X``'s images: an array batch as it is (its shape checked), else a list of arrays.

    Files are read with :func:`aufeat.io.read_image`; ``first``: the first image only.
    """
    from ..io import read_image, resolve_sources

    sources, _ = resolve_sources(X)
    if isinstance(X, np.ndarray):
        return X[:1] if first else X
    sources = [sources[0]] if first else sources
    return [read_image(s) if isinstance(s, str) else np.asarray(s) for s in sources]


def with_nan_rows(compute, batch: np.ndarray) -> np.ndarray:
    """``compute(batch)``; an image entirely NaN (a missed face) gets a row of NaN."""
    missing = np.array([no_face(image) for image in batch]) if batch.ndim > 2 else []
    if not np.any(missing):
        return compute(batch)
    found = ~missing  # FaceAligner(on_missing='nan') rows; partly NaN images are refused
    out = compute(batch[found] if found.any() else np.zeros_like(batch[:1]))
    rows = np.full((len(batch), out.shape[1]), np.nan, dtype=out.dtype)
    rows[found] = out[:found.sum()]
    return rows


def check_images(images, channel_axis, shape=None, *, indexed=True, name="X") -> None:
    """Refuse, naming ``X[i]`` and the caller's shape, images the feature functions would refuse.

    ``images``: the caller's batch or list of arrays (a list's 2-D images are grey);
    ``shape``: the caller's batch shape when ``images`` is a part of it (fit's first
    image); ``indexed=False``: the list is not the caller's (a FeatureCache's images,
    whose failure rows name each image's path), so its index names no image of the
    caller's and the message says ``image`` instead; ``name``: the caller's argument
    (``X[i]``, or ``faces[i]`` for the feature sets). An image whose channel axis
    (``channel_axis``, else the last of a 4-D batch or a 3-D list item) is not 1, 3 or 4
    long is refused, as is one partly NaN or inf (an image entirely NaN is a missed
    face: a row of NaN), one of pixels that are no real numbers (complex) and one
    with pixels beyond :data:`aufeat._validation.MAX_ABS_PIXEL` in magnitude. The
    functions' own messages would name the array the extractor built (a grey batch
    with a channel axis added, the first image alone) and no image of it.
    """
    from .._validation import channel_count_message
    from ..exceptions import InvalidImageError

    batch = isinstance(images, np.ndarray)
    of_x = f" of {name} (shape {shape or images.shape})" if batch else ""
    axis = None if isinstance(channel_axis, bool) else channel_axis
    _check_real(images, shape, indexed=indexed, name=name)
    for i, image in enumerate(images if batch and images.ndim == 4 else [] if batch else images):
        image = np.asarray(image)
        if image.ndim == 3 and (axis is None or -3 <= axis < 3) and \
                (count := image.shape[-1 if axis is None else axis]) not in (1, 3, 4):
            what, got = ((name, shape or images.shape) if batch
                         else (f"{name}[{i}]" if indexed else "image", image.shape))
            raise InvalidImageError(channel_count_message(what, got, count, axis))
        if batch:  # one shape: one check
            break
    if batch:  # the images holding NaN or inf, found at once
        rows = (np.flatnonzero(~np.isfinite(images.reshape(len(images), -1)).all(axis=1))
                if images.dtype.kind in "fc" else [])
    else:
        rows = range(len(images))
    for i in rows:
        image = np.asarray(images[i])
        if image.dtype.kind not in "fc" or (finite := np.isfinite(image)).all() \
                or np.isnan(image).all():
            continue
        raise InvalidImageError(
            f"{f'{name}[{i}]' if indexed else 'image'}: {image.size - np.count_nonzero(finite)} of "
            f"{image.size} values of "
            f"this image (shape {image.shape}){of_x} are NaN or inf. An image entirely NaN "
            "(FaceAligner(on_missing='nan')'s missing face) gives a row of NaN; a partly "
            "NaN one has no features: replace its NaN/inf (e.g. np.nan_to_num), or set the "
            "whole image to NaN to mark it missing.")
    _check_magnitude(images, of_x, indexed=indexed, name=name)


def _check_real(images, shape, *, indexed, name) -> None:
    """Refuse a batch, or the first image of a list, of pixels that are no real numbers."""
    from ..exceptions import InvalidImageError

    batch = isinstance(images, np.ndarray)
    for i, image in enumerate([images] if batch else images):
        dtype = np.asarray(image).dtype
        if dtype.kind in "biuf":
            continue
        what, has = ((name, f"{name} has shape {shape or images.shape}") if batch else
                     (f"{name}[{i}]" if indexed else "image",
                      f"this image has shape {np.shape(image)}"))
        advice = ("pass their magnitude (np.abs) or real part (.real)" if dtype.kind == "c"
                  else "convert them to numbers first, e.g. np.asarray(image, dtype=float)")
        raise InvalidImageError(f"{what}: got pixels of dtype {dtype} ({has}); expected a real "
                                f"numeric image (bool, integer or float pixels): {advice}.")


def _check_magnitude(images, of_x: str, *, indexed, name) -> None:
    """Refuse the first image with pixels beyond ``MAX_ABS_PIXEL`` (NaN: checked before)."""
    from .._validation import MAX_ABS_PIXEL, overflow_message
    from ..exceptions import InvalidImageError

    def peaks(flat):  # of float images; a missed face's NaN compares False
        if flat.dtype.kind != "f" or not flat.size:
            return np.zeros(len(flat))
        return np.maximum(flat.max(axis=1), -flat.min(axis=1))

    batch = isinstance(images, np.ndarray)
    found = (peaks(images.reshape(len(images), -1)) if batch else
             [peaks(np.asarray(image).reshape(1, -1))[0] for image in images])
    for i, peak in enumerate(found):
        peak, image = float(peak), np.asarray(images[i])  # the dtype features compute in:
        dtype = np.float32 if image.dtype.type in (np.float16, np.float32) else np.float64
        if peak > MAX_ABS_PIXEL[dtype]:
            raise InvalidImageError(overflow_message(
                f"{name}[{i}]" if indexed else "image",
                f"this image (shape {image.shape}, dtype {image.dtype}){of_x}", peak, dtype))


def name_too_small(err, images, channel_axis, shape=None, *, indexed=True, name="X"):
    """Return a feature function's "too small" refusal ``err`` naming the caller's image.

    ``err.too_small`` holds the minimum ``(H, W)`` and its text; the function's message
    names the array the extractor built (a grey list item with a channel axis added, fit's
    first image alone). Named as :func:`check_images` names images: ``X[i]`` (the first
    image of a list under the minimum; ``indexed=False``: ``image``) or, for a batch,
    ``X`` and the caller's ``shape``.
    """
    from ..exceptions import InvalidImageError

    (min_h, min_w), minimum = err.too_small
    if isinstance(images, np.ndarray):
        h, w = image_size(np.asarray(images[0]), None if images.ndim == 3 else channel_axis)
        return InvalidImageError(f"{name}: images of {h}x{w} pixels ({name} has shape "
                                 f"{shape or images.shape}) are smaller than the minimum "
                                 f"{minimum}")
    for i, image in enumerate(images):
        image = np.asarray(image)
        h, w = image_size(image, None if image.ndim == 2 else channel_axis)
        if h < min_h or w < min_w:
            return InvalidImageError(f"{f'{name}[{i}]' if indexed else 'image'}: images of "
                                     f"{h}x{w} pixels (this one has shape {image.shape}) are "
                                     f"smaller than the minimum {minimum}")
    return err


def by_shape(extract, images: list, owner: str) -> np.ndarray:
    """Features of a list of images: one ``extract`` batch per shape and dtype, in order.

    ``owner`` names the extractor when images of different sizes give vectors of
    different lengths.
    """
    groups: dict = {}
    for i, image in enumerate(images):
        groups.setdefault((image.shape, image.dtype.str), []).append(i)
    if len(groups) == 1:
        return extract(np.stack(images))
    parts = {}
    for rows in groups.values():
        for row, vec in zip(rows, extract(np.stack([images[r] for r in rows])), strict=True):
            parts[row] = vec
    sizes = {v.shape for v in parts.values()}
    if len(sizes) > 1:
        raise ValueError(
            f"{owner}: images of different sizes give feature vectors of different lengths "
            f"{sorted(s[0] for s in sizes)}; resize or align the faces to one size first "
            "(e.g. FaceDataset.load_images(size=...)).")
    return np.stack([parts[i] for i in range(len(images))])


def first_image_size(X, channel_axis) -> str:
    """'HxW' of ``X``'s first image, for messages."""
    from ..io import read_image, resolve_sources

    first = X[0] if isinstance(X, np.ndarray) else resolve_sources(X)[0][0]
    first = read_image(first) if isinstance(first, str) else np.asarray(first)
    return "x".join(map(str, image_size(first, channel_axis)))
