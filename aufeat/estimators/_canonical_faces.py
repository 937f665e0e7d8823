"""Canonical faces as the feature sets read them: checked, then floats in [0, 1].

:func:`aufeat.estimators.feature_sets.face_features` and ``family_block`` take grey faces
``(N, FACE_SIZE, FACE_SIZE)`` (or with a channel axis of 1) and their landmarks ``(N, 68, 2)``
(checked only for the families that read them: geometry, patches); every family reads the
faces as floats in [0, 1] (LBP as 8-bit codes of ``face * 255``). Other shapes are refused
rather than half-handled: the mirror, the landmark patches and the feature widths all
assume the canonical side, and only grey faces give one feature set for one picture.
"""

from __future__ import annotations

import numpy as np

from .._pixels import byte_ints, outside_unit
from ..exceptions import InvalidImageError
from ._image_inputs import check_images

__all__ = ["canonical_inputs", "unit_faces"]


def unit_faces(faces, size: int | None) -> np.ndarray:
    """Return grey faces ``(N, size, size)`` as floats in [0, 1]; other shapes are refused.

    A trailing channel axis of 1 (``(N, size, size, 1)``, Keras' grey images) is
    dropped; ``size`` None accepts grey faces of any size (geometry reads only the
    landmarks). uint8 and uint16 are scaled by their maximum; other integers are read as 8-bit
    pixels by aufeat's rule (:func:`aufeat._pixels.byte_ints`: 0-255 kept, other
    ranges refused), with a warning, rather than scaled by their type's maximum
    (``int64`` faces holding 0-255 were black). Floats must lie in [0, 1]; a face
    entirely NaN is a missing one, and a face partly NaN or inf is refused, as the
    extractors refuse it (the feature sets would read it as missing: one NaN pixel,
    e.g. a warp's NaN border, made it a face not found). No faces (N = 0) pass
    whatever their shape.
    """
    faces = np.asarray(faces)
    given = faces.shape  # named in messages as the caller gave it
    if faces.ndim == 4 and faces.shape[-1] == 1:  # grey faces with a channel axis
        faces = faces[..., 0]
    empty = faces.ndim > 0 and len(faces) == 0
    if not empty and (faces.ndim != 3 or faces.shape[1:] != (size or faces.shape[1],) * 2):
        side = size or "S"
        raise InvalidImageError(
            f"faces: got shape {faces.shape}; expected (N, {side}, {side}) grey canonical "
            f"faces, as face_aligner() and canonical_faces() give. Align the images with "
            f"face_aligner() (or make colour faces grey, e.g. skimage.color.rgb2gray, and "
            f"resize them to {side}x{side} pixels) first")
    if faces.dtype.kind == "b":
        return faces.astype(np.float32)
    if faces.dtype.kind in "ui":
        return _integer_faces(faces)
    if not empty:  # a face partly NaN or inf: refused as the extractors refuse it
        check_images(faces, None, given, name="faces")
    if (bounds := outside_unit(faces)) is not None:
        low, high = bounds
        raise InvalidImageError(f"faces: float values in [{low:.3g}, {high:.3g}]; expected "
                                "[0, 1] as FaceAligner gives (or integer pixels); divide "
                                "[0, 255] floats by 255 first")
    return faces


def _integer_faces(faces: np.ndarray) -> np.ndarray:
    """Integer faces as float32 in [0, 1]: uint8/uint16 by their maximum, others as 8 bits."""
    as_bytes = byte_ints(faces, "faces")  # native order; other integers as uint8
    if as_bytes.dtype == np.uint8 and faces.dtype != np.uint8 and faces.size:
        from .._warnings import warn

        high = int(as_bytes.max(initial=0))
        warn(f"faces: {faces.dtype} pixels lie in 0-255 (up to {high}) as 8-bit ones do and "
             "are read as 8-bit pixels, as the face aligner and data sets read them (the "
             f"extractors would scale them as scikit-image scales {faces.dtype}: black "
             "faces). Pass faces.astype(np.uint8) to read them so without this warning.")
    return as_bytes.astype(np.float32) / np.iinfo(as_bytes.dtype).max


def canonical_inputs(faces, landmarks, size: int,
                     families: tuple = ("geometry",)) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(unit_faces(faces, size), landmarks as float64)`` for ``families`` to read.

    Landmarks must be ``(N, 68, 2)``, one row per face (NaN where a face has none),
    where a family reads them (``geometry``, ``patches``); otherwise they are not
    looked at (None, any shape) and NaN is returned. A face whose landmarks cannot
    place its parts (:func:`~aufeat.estimators._patches.usable_landmarks`: any NaN or
    inf, or all zero or with the eyes at one place, as placeholders of failed frames
    are) gets NaN landmarks, so every family treats it as a face without landmarks
    (template patches, zero geometry). The caller's array is not changed. Geometry
    alone reads the faces only for their missing (NaN) rows: their side need not be
    ``size``.
    """
    from ._patches import usable_landmarks

    faces = unit_faces(faces, None if set(families) == {"geometry"} else size)
    if not {"geometry", "patches"} & set(families):
        return faces, np.full((len(faces), 68, 2), np.nan)
    points = np.array(landmarks, dtype=np.float64)  # a copy: unusable rows become NaN
    if points.shape != (len(faces), 68, 2):
        raise ValueError(
            f"landmarks: got shape {points.shape} for {len(faces)} faces; expected "
            f"({len(faces)}, 68, 2), the 68 landmarks of each face in crop coordinates "
            "(NaN for a face without landmarks), as canonical_faces() gives")
    points[~usable_landmarks(points)] = np.nan
    return faces, points
