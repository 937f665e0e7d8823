"""A FaceBox with non-finite or out-of-range corners is refused with the documented ValueError.

A tuple holding inf was refused, but a FaceBox skipped the check: ``round(inf)`` raised a
raw OverflowError inside ``FaceBox.to_dlib``, and a finite corner too large for dlib's
rectangle (1e300) a TypeError from dlib's constructor.
"""

import math

import numpy as np
import pytest

from aufeat.face import FaceBox, predict_landmarks


@pytest.mark.parametrize("box", [
    FaceBox(0, 0, math.inf, 100), FaceBox(0, -math.inf, 50, 100), FaceBox(math.nan, 0, 50, 100),
    FaceBox(0, 0, 1e300, 100), FaceBox(-1e12, 0, 50, 100), (0, 0, 1e300, 100),
    (0, 0, math.inf, 100)])
def test_a_box_of_non_finite_or_absurd_corners_raises_value_error(astronaut, box):
    with pytest.raises(ValueError, match="box must"):
        predict_landmarks(astronaut, box)


@pytest.mark.parametrize("corner", [math.inf, math.nan, 1e300])
def test_facebox_to_dlib_refuses_what_dlib_cannot_hold(corner):
    with pytest.raises(ValueError, match="finite"):
        FaceBox(0, 0, corner, 100).to_dlib()


def test_a_facebox_partly_outside_the_image_is_still_fitted(astronaut):
    points = predict_landmarks(astronaut, FaceBox(-50.0, -40.0, 300.5, 320.0, score=1.5))
    assert points.shape == (68, 2)
    assert np.isfinite(points).all()
