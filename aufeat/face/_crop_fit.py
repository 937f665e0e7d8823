"""Declared face crops: aligned on the landmarks fitted in the whole image, or kept unaligned.

A declared crop (``detect=False``, or ``'auto'`` where the detector finds nothing) has
its landmarks fitted in the whole image. On real face crops that fit agrees with the
detected face's (median under 1% of the jaw span) whatever its fit error, and fits as
detected faces do, 0.02-0.16: so a crop is not held to the ``max_fit_error`` (0.04) that
picks well-fitting detections, only to ``CROP_FIT_FACTOR`` times it. A detector's miss
says little here: HOG misses most faces that fill the image (375 of 682 film crops).

Whole-image fits measured on real crops: CK+ 48x48 (522) 0.017-0.080, median 0.026;
film-still face crops (682) median 0.066, 90% under 0.115, 2 over 0.16 (0.166 at most).
Non-face crops fit as well or better (natural-image crops: median 0.044, all under 0.16;
noise 0.02-0.12): the fit tells a wild fit from a face, not a face from a non-face.
"""

from __future__ import annotations

import math

import numpy as np

from ._image import square_resize, texture
from .record import AlignedFace, _missing, _to_gray

__all__ = ["CROP_FIT_FACTOR", "declared_crop", "unaligned"]

#: A declared crop is kept unaligned when its whole-image fit is worse than this many
#: times ``max_fit_error`` (0.16 at the default 0.04: 2 of 682 film crops, no CK+ crop;
#: at 1x, with ``detect=False``: 530 and 88 of 522).
CROP_FIT_FACTOR = 4


def unaligned(image, box, face_index, *, size, n_points, gray, border) -> AlignedFace:
    """Return the whole crop, padded square (filled as ``border`` says) and resized: never squashed.

    ``border='constant'`` pads with 0 as the aligned crops of the same aligner are
    filled (edge pixels regardless made one batch mix black and smeared padding).
    """
    crop = square_resize(image, size, border)
    nan = np.full((n_points, 2), np.nan)
    return AlignedFace(_to_gray(crop) if gray else crop, nan, nan.copy(), box,
                       math.nan, True, face_index, source="unaligned")


def declared_crop(aligner, image, pixels, box, error, face_index) -> AlignedFace | None:
    """Return the record of a declared crop that is not aligned, or None to align it.

    Missing when the crop is blank (no face: one flat colour, every channel's std under
    1 grey level); unaligned (not masked, landmarks NaN)
    when its 68-point fit is worse than the aligner's ``crop_fit_error`` (None:
    ``CROP_FIT_FACTOR * max_fit_error``).
    """
    if pixels is not None and texture(pixels) < 1.0:  # flat, whatever its colour
        return _missing(aligner.landmarks, box, face_index)
    limit = aligner.crop_fit_error
    limit = CROP_FIT_FACTOR * aligner.max_fit_error if limit is None else limit
    if aligner.landmarks == 68 and error > limit:
        return unaligned(image, box, face_index, size=aligner.size,
                         n_points=aligner.landmarks, gray=aligner.gray, border=aligner.border)
    return None
