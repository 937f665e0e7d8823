"""Reviewer Z110: bool flags that took any truthy value, a splitter class as ``cv``, the
NoFaceError hint, and ``detect_faces(min_size=...)``'s promise.

* ``FaceFeatures(crops=..., mirror=...)`` and ``FaceModel(mirror=...)`` turned ``'no'`` (a
  config file's or CLI wrapper's string) into True: crops declared, columns doubled, or
  FaceModel's features halved, without a word. They are refused at fit / transform time,
  with FaceAligner's wording for its own flags.
* ``FaceModel(cv=GroupKFold)`` (the class) passed ``check_cv`` and ended in a TypeError
  about ``super()``.
* NoFaceError suggested "a smaller ... upsample" for small faces: only a larger one finds them.
* ``detect_faces``' docstring promised that no face boxed ``min_size`` or more at full
  resolution is dropped; only a resized copy is searched, where a weak detection can be lost.
"""

import cv2
import numpy as np
import pytest
from skimage import data
from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

from aufeat.estimators import FaceFeatures, FaceModel
from aufeat.face import FaceAligner, NoFaceError, detect_faces


def _aligner_wording(value) -> str:
    """FaceAligner's message for a flag given ``value``, with the name left out."""
    with pytest.raises(ValueError, match=r"^mask must be one of") as error:
        FaceAligner(mask=value).fit()
    return str(error.value).removeprefix("mask")


@pytest.mark.parametrize("name", ["crops", "mirror"])
@pytest.mark.parametrize("value", ["no", "False", 1, 0, None])
def test_facefeatures_refuses_a_flag_that_is_no_bool(name, value):
    features = FaceFeatures("hog+geometry", detector="hog", **{name: value})
    wording = name + _aligner_wording(value)  # "crops must be one of (True, False), got 'no'"
    with pytest.raises(ValueError, match=f"^{name} must be one of") as error:
        features.fit()
    assert str(error.value) == wording
    image = np.zeros((64, 64), np.uint8)
    for call in (features.transform, features.align):  # requires_fit is False
        with pytest.raises(ValueError, match=f"^{name} must be one of"):
            call([image])
    with pytest.raises(ValueError, match=f"^{name} must be one of"):
        features.get_feature_names_out()


def test_facefeatures_takes_numpy_bools_as_bools():
    plain = FaceFeatures("hog+geometry", mirror=False).fit().get_feature_names_out()
    mirrored = FaceFeatures("hog+geometry", mirror=np.True_, crops=np.False_).fit()
    assert len(mirrored.get_feature_names_out()) == 2 * len(plain)


def _features():
    rng = np.random.default_rng(0)
    return rng.normal(size=(40, 6)), np.repeat(["a", "b"], 20)


@pytest.mark.parametrize("value", ["no", "False", 1])
def test_facemodel_refuses_a_mirror_that_is_no_bool(value):
    X, y = _features()
    with pytest.raises(ValueError, match=r"^mirror must be one of") as error:
        FaceModel(mirror=value, normalize="none").fit(X, y)
    assert str(error.value) == "mirror" + _aligner_wording(value)


def test_facemodel_numpy_bool_mirror_is_that_bool():
    X, y = _features()
    whole = FaceModel(mirror=np.False_, normalize="none").fit(X, y)
    assert whole.estimator_.coef_.shape[1] == 6  # every feature: no [face | mirror] split
    halves = FaceModel(mirror=np.True_, normalize="none").fit(X, y)
    assert halves.estimator_.coef_.shape[1] == 3


@pytest.mark.parametrize("normalize", ["auto", "none"])
@pytest.mark.parametrize("splitter", [GroupKFold, LeaveOneGroupOut])
def test_facemodel_refuses_a_splitter_class(normalize, splitter):
    X, y = _features()
    groups = np.tile(np.arange(5), 8)
    name = splitter.__name__
    with pytest.raises(ValueError, match=rf"^cv must be .*the class {name}: instantiate it, "
                                         rf"e\.g\. cv={name}\(\)"):
        FaceModel(normalize=normalize, cv=splitter).fit(X, y, groups=groups)
    FaceModel(normalize=normalize, cv=splitter()).fit(X, y, groups=groups)  # an instance


def _small_astronaut():
    """The astronaut at 200x200: a face of about 34 px, which upsample=0 misses."""
    return cv2.resize(data.astronaut(), (200, 200), interpolation=cv2.INTER_AREA)


def test_no_face_hint_asks_for_a_larger_upsample():
    image = _small_astronaut()
    with pytest.raises(NoFaceError) as error:
        FaceAligner(upsample=0).align(image)
    message = str(error.value)
    assert "a larger upsample" in message
    assert "smaller min_size" not in message  # no min_size set: nothing to make smaller
    assert "smaller min_size / upsample" not in message
    assert FaceAligner(upsample=1).align(image).success  # what the hint says is true


def test_no_face_hint_names_a_set_min_size():
    image = _small_astronaut()
    with pytest.raises(NoFaceError) as error:
        FaceAligner(min_size=120).align_batch([image])
    message = str(error.value)
    assert message.startswith("no face found in X[0]")
    assert "a larger upsample" in message
    assert "a smaller min_size (now 120)" in message
    assert FaceAligner(min_size=30).align(image).success  # a smaller min_size finds it


def test_detect_faces_min_size_doc_says_only_a_resized_copy_is_searched():
    doc = " ".join(detect_faces.__doc__.split())
    assert "no face boxed ``min_size`` or more at full resolution is" not in doc
    assert "may be lost in a shrunk copy, which is not searched again at full size" in doc
    assert "``None`` (the default): whatever the detector finds, searching the image at " \
           "full resolution" in doc
    # "An int upsample searches the image at its own size and only drops the smaller boxes"
    image = data.astronaut()
    boxes = detect_faces(image, upsample=0)
    m = boxes[0].width - 1
    assert detect_faces(image, upsample=0, min_size=m) == [b for b in boxes
                                                          if max(b.width, b.height) >= m]
