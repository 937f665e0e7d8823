"""The 5-point landmark model: its faces get a fit error and a confidence too."""

import math

import numpy as np

from aufeat.face import FaceAligner
from aufeat.face.align import fit_error


def test_a_face_with_five_landmarks_has_a_fit_error_and_a_confidence(astronaut):
    record = FaceAligner(size=64, landmarks=5).align(astronaut)
    assert record.success
    assert record.source == "detected"
    assert record.landmarks.shape == (5, 2)
    assert record.fit_error == fit_error(record.image_landmarks)
    assert math.isfinite(record.fit_error)
    assert record.confidence == min(max(1 - record.fit_error / 0.1, 0.0), 1.0) > 0


def test_five_point_fits_do_not_judge_declared_crops(rng):
    # as before: with 5 points no fit check leaves a declared crop unaligned
    noise = rng.integers(0, 256, (64, 64), dtype=np.uint8)
    record = FaceAligner(size=32, landmarks=5, detect=False, max_fit_error=1e-9).align(noise)
    assert record.success
    assert record.source == "crop"
    assert math.isfinite(record.fit_error)
