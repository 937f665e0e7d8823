"""FaceModel.fit on X with no rows says so (reviewer Z84, F3).

It said "every training row is NaN (no face found in any image)", sending the user
to face detection (--crops, the detector) when the usual cause is an empty data set
or a selection that matched nothing.
"""

import numpy as np
import pytest

from aufeat.estimators import FaceModel


@pytest.mark.parametrize("normalize", ["none", "auto", "person", "domain"])
def test_fit_on_no_rows_says_x_has_no_rows(normalize):
    with pytest.raises(ValueError, match="X has no rows") as refused:
        FaceModel(normalize=normalize).fit(np.zeros((0, 6)), np.array([], dtype=str),
                                           groups=np.array([], dtype=str))
    assert str(refused.value) == ("FaceModel.fit: X has no rows (an empty data set or "
                                  "selection); nothing to fit")


def test_fit_on_rows_none_with_a_face_still_blames_face_detection():
    with pytest.raises(ValueError, match=r"every training row is NaN \(no face found"):
        FaceModel(normalize="none").fit(np.full((4, 6), np.nan), ["a", "b", "a", "b"])
