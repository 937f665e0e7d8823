"""Private helpers of FaceAligner: reading and stacking a batch, the no-face message."""

from __future__ import annotations

import os

import numpy as np

from ..exceptions import InvalidImageError
from ._params import plain
from .record import AlignedBatch, AlignedFace

__all__ = ["check_layout", "iter_batch", "load", "no_face_message", "stack_batch"]


def load(image):
    """Return pixels: a path's file read (its pixels checked, the file named in errors)."""
    if isinstance(image, (str, os.PathLike)):
        from .._file_uint8 import check_file_pixels
        from ..io import read_image

        return check_file_pixels(read_image(image), image)
    return image


def iter_batch(X):
    """Iterate over the images of a batch; one image or one path is an InvalidImageError.

    A pandas column of paths, or a one-column frame (``df[['path']]``), is read as the
    extractors read it (:func:`aufeat._sources.column_values`: a frame of several
    columns is refused, naming the column to pass); other iterables are iterated
    lazily (a data set's images a chunk at a time).
    """
    from .._sources import column_values, refuse_one_image

    X = column_values(X)
    refuse_one_image(X, " (or use FaceAligner.align)")
    if isinstance(X, np.ndarray):
        if X.ndim == 1 and X.dtype.kind in "UO":  # paths, e.g. a manifest's column
            return iter(X.tolist())
        if X.ndim not in (3, 4):
            rows = (" or rows of features (a model of images, such as make_pipeline's, "
                    "takes images; for features use aufeat.estimators.make_face_model)"
                    if X.ndim == 2 else "")
            raise InvalidImageError(
                f"X must be a batch (N, H, W) or (N, H, W, C) or a list of images, got an "
                f"array of shape {X.shape}{', one grey image' if rows else ''}{rows}; wrap "
                "one image as [image] or use FaceAligner.align")
        check_layout(X, " (or use FaceAligner.align)")
        return iter(X)
    if isinstance(X, (str, os.PathLike)):
        raise InvalidImageError("X must be a batch or a list of images/paths; wrap one "
                                "path as [path]")
    return iter(X)


def check_layout(X: np.ndarray, hint: str = "") -> None:
    """Refuse an array that looks like one (H, W, C) image or a channels-first batch.

    ``hint`` ends the first message (another way to give one image).
    """
    if X.ndim == 3 and X.shape[-1] in (1, 3, 4):  # as a batch: images 1-4 pixels wide
        raise InvalidImageError(
            f"X: an array of shape {X.shape} looks like one (H, W, C) image, not a "
            f"batch (N, H, W) of grey images; pass [image]{hint}")
    if X.ndim == 4 and X.shape[1] in (1, 3, 4) and X.shape[-1] not in (1, 3, 4):
        raise InvalidImageError(
            f"X: an array of shape {X.shape} looks like a channels-first (N, C, H, W) "
            "batch; images are (H, W, C): pass np.moveaxis(X, 1, -1)")


def no_face_message(what: str, aligner) -> str:
    """NoFaceError's message; it suggests only what ``aligner``'s settings leave to try.

    Small faces are found by a larger ``upsample`` (each doubling of the image finds
    faces half as large: not suggested at 4, the largest) and, when ``min_size`` is
    set, a smaller one (None already keeps whatever the detector finds). Declared crops
    (``detect`` ``'auto'`` or False) miss a face only when blank (face._crop_fit): no
    detector setting can help there, so none is suggested.
    """
    min_size, upsample = aligner.min_size, aligner.upsample
    if plain(aligner.detect) is not True:
        return (f"no face found in {what}: it is blank (one flat colour), so no face can be "
                "fitted in it; pass on_missing='nan' (or 'drop' with align_batch) to keep going")
    tries = [] if plain(upsample) == 4 else [
        "a larger upsample (an int up to 4: each doubling of the image finds faces half "
        "as large)"]
    if min_size is not None:
        tries.append(f"a smaller min_size (now {plain(min_size)!r})")
    small = f", or, for small faces, {' or '.join(tries)}" if tries else ""
    return (f"no face found in {what}; pass on_missing='nan' (or 'drop' with align_batch) to "
            f"keep going, detect='auto' (or False) if the images are already face crops{small}")


def stack_batch(rows: list[tuple[int, AlignedFace]], *, size: int, n_points: int,
                channels: tuple, dtype: np.dtype, as_float: bool) -> AlignedBatch:
    """Stack ``(input row, record)`` pairs into an :class:`AlignedBatch`.

    ``channels`` and ``dtype`` (of the first input image) shape the output when
    no face was found; ``as_float`` scales integer crops to float32 in [0, 1],
    each by its own bit depth, so that NaN rows fit (and the dtype never depends
    on the data), and casts all crops to one float type (float64 if any is).
    """
    ok = [r.image for _, r in rows if r.success]
    if as_float:  # each crop by its own bit depth: 8- and 16-bit files mix
        ok = [o if o.dtype.kind == "f" else (o / np.iinfo(o.dtype).max).astype(np.float32)
              for o in ok]
        dtype = np.result_type(dtype if dtype.kind == "f" else np.float32, *ok)
        ok = [o.astype(dtype, copy=False) for o in ok]  # float32 and float64 mix too
    shape = (size, size, *(ok[0].shape[2:] if ok else channels))
    dtype = ok[0].dtype if ok else dtype
    if any(image.shape != ok[0].shape or image.dtype != dtype for image in ok):
        raise ValueError("the images mix grayscale and colour (or dtypes); pass "
                         "gray=True and images of one dtype to get one array")
    images = np.full((len(rows), *shape), np.nan if dtype.kind == "f" else 0, dtype=dtype)
    good = iter(ok)
    for i, (_, record) in enumerate(rows):
        if record.success:
            images[i] = next(good)
    records = tuple(r for _, r in rows)
    return AlignedBatch(
        images=images,
        row_index=np.array([row for row, _ in rows], dtype=np.intp),
        face_index=np.array([r.face_index for r in records], dtype=np.intp),
        success=np.array([r.success for r in records], dtype=bool),
        landmarks=(np.stack([r.landmarks for r in records]) if records
                   else np.empty((0, n_points, 2))),
        records=records,
    )
