"""Second look SL21 at the Z110 fixes: the helpers FaceFeatures delegates to, the
NoFaceError hint at the largest upsample, and ``detect_faces(min_size=...)``'s docstring.

* ``feature_sets.face_features(mirror=...)`` and ``feature_sets.face_aligner(crops=...)``
  (public, called directly by ``aufeat predict``) turned ``'no'`` into True: columns doubled
  or crops declared, without a word, while FaceFeatures refused the same value.
* FaceFeatures' docstring said ``fit`` checks the parameters; it checks three of them.
* NoFaceError advised "a larger upsample (an int up to 4)" to an aligner already at 4.
* ``detect_faces``' docstring said only the resized copy is searched; an enlarged copy that
  finds nothing is followed by a search at the image's own size.
"""

import numpy as np
import pytest

from aufeat.estimators import FaceFeatures
from aufeat.estimators.feature_sets import FACE_SIZE, face_aligner, face_features
from aufeat.face import FaceAligner, NoFaceError, detect_faces

BAD = ["no", "False", 1, 0, None]


def _aligner_wording(name, value) -> str:
    """FaceAligner's message for a flag given ``value``, under ``name``."""
    with pytest.raises(ValueError, match=r"^mask must be one of") as error:
        FaceAligner(mask=value).fit()
    return name + str(error.value).removeprefix("mask")


def _faces():
    faces = np.random.default_rng(0).random((2, FACE_SIZE, FACE_SIZE))
    return faces, np.full((2, 68, 2), np.nan)


@pytest.mark.parametrize("value", BAD)
def test_face_features_refuses_a_mirror_that_is_no_bool(value):
    faces, points = _faces()
    with pytest.raises(ValueError, match=r"^mirror must be one of") as error:
        face_features(faces, points, "hog+geometry", mirror=value)
    assert str(error.value) == _aligner_wording("mirror", value)
    with pytest.raises(ValueError, match=r"^mirror must be one of"):  # no faces: same check
        face_features(faces[:0], points[:0], "hog+geometry", mirror=value)


def test_face_features_takes_numpy_bools_as_bools():
    faces, points = _faces()
    plain = face_features(faces, points, "hog+geometry", mirror=False)
    assert face_features(faces, points, "hog+geometry", mirror=np.False_).shape == plain.shape
    mirrored = face_features(faces, points, "hog+geometry", mirror=np.True_)
    assert mirrored.shape == (2, 2 * plain.shape[1])


@pytest.mark.parametrize("value", BAD)
def test_face_aligner_refuses_crops_that_is_no_bool(value):
    with pytest.raises(ValueError, match=r"^crops must be one of") as error:
        face_aligner(crops=value)
    assert str(error.value) == _aligner_wording("crops", value)


def test_face_aligner_takes_numpy_bools_as_bools():
    assert face_aligner(crops=np.True_).detect == face_aligner(crops=True).detect == "auto"
    assert face_aligner(crops=np.False_).detect is face_aligner(crops=False).detect is True


def test_facefeatures_doc_names_what_fit_checks():
    doc = " ".join(FaceFeatures.__doc__.split())
    assert "``fit`` only checks the parameters" not in doc
    assert "``fit`` only checks ``feature_set``, ``crops`` and ``mirror``" in doc
    features = FaceFeatures("hog+geometry", detector="bogus").fit()  # as the doc now says
    with pytest.raises(ValueError, match=r"^detector must be one of"):
        features.transform([np.zeros((64, 64), np.uint8)])


@pytest.mark.parametrize("upsample", [4, np.int64(4)])
def test_no_face_hint_at_the_largest_upsample_asks_for_no_larger_one(upsample):
    blank = np.zeros((40, 40), np.uint8)
    with pytest.raises(NoFaceError) as error:
        FaceAligner(upsample=upsample, detector="hog").align(blank)
    message = str(error.value)
    assert "upsample" not in message
    assert "detect='auto' (or False) if the images are already face crops" in message
    with pytest.raises(ValueError, match="upsample"):  # what it would have advised
        FaceAligner(upsample=5).fit()
    with pytest.raises(NoFaceError) as error:
        FaceAligner(upsample=upsample, detector="hog", min_size=np.int64(120)).align_batch([blank])
    message = str(error.value)
    assert message.startswith("no face found in X[0]")
    assert "upsample" not in message
    assert message.endswith("face crops, or, for small faces, a smaller min_size (now 120)")


def test_no_face_hint_below_the_largest_upsample_still_asks_for_a_larger_one():
    with pytest.raises(NoFaceError) as error:
        FaceAligner(upsample=3, detector="hog").align(np.zeros((40, 40), np.uint8))
    assert "for small faces, a larger upsample (an int up to 4" in str(error.value)


def test_detect_faces_min_size_doc_says_an_enlarged_copy_is_followed_by_the_image():
    doc = " ".join(detect_faces.__doc__.split())
    assert "only the copy resized by" not in doc
    assert "may be lost in a shrunk copy, which is not searched again at full size" in doc
    assert "Only where an enlarged copy finds no face is the image searched at its own " \
           "size too" in doc
