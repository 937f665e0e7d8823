"""What the image extractors take: batches, lists and files of images, checked and read.

:mod:`aufeat.estimators.extractors` computes the features; the rules here say how an
input becomes images: an array is a batch (one image is refused, as it cannot be told from
a batch), an empty input is refused, and an image entirely NaN is a missed face.
"""

from __future__ import annotations

import numpy as np

__all__ = ["as_image_batch", "by_shape", "check_not_empty", "first_image_size", "no_face",
           "read_images", "with_nan_rows"]

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


def as_image_batch(extractor, X):
    """Return ``X`` after checking that an array is a batch of images.

    Without a ``channel_axis``, an array that looks like one ``(H, W, C)`` image is
    refused. With one, a 3-D array is one colour image when its channel axis is not
    the first and holds 3 or 4 channels (``(48, 48, 3)``: as 48 grey images it would
    be 3 pixels wide), returned as a batch of one; otherwise it is refused: it may be
    one colour image or a batch ``(N, H, W)`` of grey images (``(3, 48, 48)`` with
    ``channel_axis=0``), and read as one it gave one row for N faces. Lists, paths
    and data sets pass unchanged (each of their items is one image); so does a 1-D array of
    paths or images (``df['path'].to_numpy()``), as a list.
    """
    if not isinstance(X, np.ndarray):
        return X
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
    shape = first.shape if first.ndim == 2 else np.delete(first.shape, -1 if channel_axis is None
                                                          else channel_axis)
    return "x".join(str(int(n)) for n in shape[:2])
