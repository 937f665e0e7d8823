"""detect_faces(threshold<0) finds more faces with HOG only: dlib's CNN cuts at 0 itself."""

import warnings

import pytest

from aufeat.exceptions import AufeatWarning
from aufeat.face import detect_faces


def test_a_negative_threshold_with_the_cnn_warns_that_it_finds_no_more(head):
    with pytest.warns(AufeatWarning, match="detector='cnn'") as caught:
        found = detect_faces(head, detector="cnn", threshold=-1.0)
    assert caught[0].filename == __file__  # names the user's line
    assert len(found) == len(detect_faces(head, detector="cnn"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        detect_faces(head, detector="hog", threshold=-0.5)  # HOG does use it
        detect_faces(head, detector="cnn", threshold=0.5)
