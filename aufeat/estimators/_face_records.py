"""The check that an aligned-face record is a canonical face, before it is stacked.

:func:`aufeat.estimators.feature_sets.canonical_faces` writes each record into arrays of
grey ``(FACE_SIZE, FACE_SIZE)`` faces and ``(68, 2)`` landmarks: a record of another
aligner (another size, colour, 5 points) ended there in NumPy's broadcast error, which
named neither the record nor what to change.
"""

from __future__ import annotations

import numpy as np

from ..exceptions import InvalidImageError

__all__ = ["check_canonical_record"]


def check_canonical_record(index: int, record, size: int) -> None:
    """Refuse ``records[index]`` unless its crop is grey ``(size, size)`` with 68 landmarks."""
    shape, points = np.shape(record.image), np.shape(record.landmarks)
    if shape != (size, size) or points != (68, 2):
        raise InvalidImageError(
            f"records[{index}]: a crop of shape {shape} with {points[0]} landmarks; "
            f"canonical_faces() stacks the grey {size}x{size} crops with 68 landmarks that "
            "face_aligner() gives: align the images with face_aligner()")
