"""predict_landmarks checks a FaceBox's four corners only: its score may be anything.

A FaceBox with ``score=None`` or a label was refused with a message that contradicted
itself ("box must be a FaceBox ..., got FaceBox(...)"): every field, the score too, was
converted with ``float``.
"""

import numpy as np
import pytest

from aufeat.face import FaceBox, predict_landmarks


@pytest.mark.parametrize("score", [None, "manual", 0.9])
def test_a_facebox_of_any_score_gives_the_landmarks_of_its_corners(astronaut, score):
    expected = predict_landmarks(astronaut, (150, 60, 260, 180))
    points = predict_landmarks(astronaut, FaceBox(150, 60, 260, 180, score))
    assert points.shape == (68, 2)
    np.testing.assert_array_equal(points, expected)


def test_a_facebox_of_a_text_corner_is_told_its_corners_are_wrong(astronaut):
    box = FaceBox(150, "top", 260, 180, None)
    with pytest.raises(ValueError, match=r"box must hold 4 finite numbers \(left, top, right, "
                                         r"bottom\)") as info:
        predict_landmarks(astronaut, box)
    assert "must be a FaceBox" not in str(info.value)
