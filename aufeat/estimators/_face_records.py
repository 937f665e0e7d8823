"""The check that an aligned-face record is a canonical face, before it is stacked.

:func:`aufeat.estimators.feature_sets.canonical_faces` writes each record into arrays of
grey ``(FACE_SIZE, FACE_SIZE)`` faces and ``(68, 2)`` landmarks: a record of another
aligner (another size, colour, 5 points) ended there in NumPy's broadcast error, which
named neither the record nor what to change. One of another ``scale`` (a 48 px grey
``FaceAligner`` keeps its default 0.7) has that shape but a smaller face, and was stacked
without a word: its features are not those of the canonical face.

Where the face sits is read from its landmarks. ``align_face`` maps them onto the
canonical template by a least-squares similarity, so refitting the aligned landmarks to
the same template gives the identity, whatever the fit error of the face (the residual
of a least-squares fit is orthogonal to the fit): on real records of ``face_aligner()``
(CK+ crops and photos) the points move by under 1e-13 px. A record aligned at another
scale or position moves by pixels (scale 0.7 for 0.9: ~6 px on a 48 px crop).
"""

from __future__ import annotations

import numpy as np

from ..exceptions import InvalidImageError

__all__ = ["check_canonical_record"]

#: Largest move (in canonical jaw spans) of a record's landmarks when refitted onto the
#: canonical template: under 1e-14 for face_aligner()'s records; 0.035 for scale 0.85, 0.14
#: for FaceAligner's default 0.7 (canonical: 0.9), measured on 40 CK+ crops and photos.
_PLACE_TOLERANCE = 0.01


def check_canonical_record(index: int, record, size: int, scale: float) -> None:
    """Refuse ``records[index]`` unless it is a canonical face of ``face_aligner()``.

    A grey ``(size, size)`` crop with 68 landmarks; finite landmarks must lie where the
    canonical template (jaw span ``scale * size``, centred) puts them.
    """
    shape, points = np.shape(record.image), np.shape(record.landmarks)
    if shape != (size, size) or points != (68, 2):
        raise InvalidImageError(
            f"records[{index}]: a crop of shape {shape} with {points[0]} landmarks; "
            f"canonical_faces() stacks the grey {size}x{size} crops with 68 landmarks that "
            "face_aligner() gives: align the images with face_aligner()")
    landmarks = np.asarray(record.landmarks, dtype=np.float64)
    if np.isnan(landmarks).all():  # kept unaligned: no landmarks to place
        return
    ratio, moved = _placement(landmarks, size, scale)
    if not moved <= _PLACE_TOLERANCE * scale * size:  # NaN (some points missing) too
        raise InvalidImageError(
            f"records[{index}]: its landmarks are not where face_aligner() puts the canonical "
            f"face (a jaw span of {scale:g} x {size} px, centred): its face is {ratio:.2f}x "
            f"that size, its landmarks up to {moved:.1f} px away (an aligner of another "
            "scale); canonical_faces() stacks the faces that face_aligner() gives: align the "
            "images with face_aligner()")


def _placement(landmarks: np.ndarray, size: int, scale: float) -> tuple[float, float]:
    """Return the face's size relative to the template, and its points' largest move (px)."""
    from aufeat.face._canonical import RIGID_68
    from aufeat.face.align import canonical_landmarks, similarity_transform

    if not np.isfinite(landmarks).all():
        return float("nan"), float("nan")
    matrix = similarity_transform(landmarks[RIGID_68],
                                  canonical_landmarks(size, scale)[RIGID_68])
    moved = landmarks @ matrix[:, :2].T + matrix[:, 2] - landmarks
    return 1 / float(np.hypot(matrix[0, 0], matrix[1, 0])), float(np.hypot(*moved.T).max())
