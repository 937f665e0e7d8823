"""GeometryExtractor names the caller's image, X[i], in its image errors.

Images entirely NaN (FaceAligner(on_missing='nan')'s missing faces) are set aside before
the others are aligned; the errors named the position among the others, so a valid face
was blamed and the bad image stayed hidden.
"""
import numpy as np
import pytest
from skimage import data

from aufeat.estimators import GeometryExtractor
from aufeat.exceptions import InvalidImageError


@pytest.fixture(scope="module")
def face():
    return data.astronaut()[:256, 100:356].astype(np.float64) / 255


def _bad(face):
    bad = face.copy()
    bad[0, 0, 0] = np.nan
    return bad


@pytest.mark.parametrize(("layout", "index", "what"), [
    ("missing face bad", 2, "NaN or inf"),
    ("face missing missing bad", 3, "NaN or inf"),
    ("missing face small", 2, "too small"),
    ("missing bytes", 1, r"\[0, 255\]"),
])
def test_image_errors_name_the_callers_index(face, layout, index, what):
    make = {"missing": lambda: np.full_like(face, np.nan), "face": lambda: face,
            "bad": lambda: _bad(face), "small": lambda: np.zeros((5, 5)),
            "bytes": lambda: face * 255}
    X = [make[name]() for name in layout.split()]
    with pytest.raises(InvalidImageError, match=rf"^X\[{index}\]: .*{what}"):
        GeometryExtractor(detect=True).fit_transform(X)


def test_missing_faces_still_give_nan_rows_in_place(face):
    missing = np.full_like(face, np.nan)
    rows = GeometryExtractor(detect=True).fit_transform([missing, face, missing])
    alone = GeometryExtractor(detect=True).fit_transform([face])
    assert np.isnan(rows[[0, 2]]).all()
    np.testing.assert_array_equal(rows[1], alone[0])
    assert np.isfinite(alone).all()
