"""Settings of the face pipeline that only looked valid are refused, naming the parameter."""

import re
from pathlib import Path

import numpy as np
import pytest
from skimage import data

from aufeat.face import FaceAligner, align_face, detect_faces, predict_landmarks


@pytest.fixture(scope="module")
def face():
    image = data.astronaut()
    return image, predict_landmarks(image, detect_faces(image)[0])


@pytest.mark.parametrize("name", ["mask", "antialias"])
@pytest.mark.parametrize("value", ["no", "false", 1, None])
def test_align_face_refuses_flags_that_are_not_booleans(face, name, value):
    image, points = face
    with pytest.raises(ValueError, match=f"{name} must be one of \\(True, False\\)"):
        align_face(image, points, size=32, **{name: value})


def test_align_face_takes_numpy_booleans(face):
    image, points = face
    plain = align_face(image, points, size=32, mask=False, antialias=True).image
    numpy = align_face(image, points, size=32, mask=np.False_, antialias=np.True_).image
    np.testing.assert_array_equal(numpy, plain)


@pytest.mark.parametrize("model", [68.0, 5.0, "68"])
def test_predict_landmarks_names_the_model_parameter(face, model):
    image, _ = face
    box = (0, 0, image.shape[1] - 1, image.shape[0] - 1)
    with pytest.raises(ValueError, match=r"^model must be one of \(68, 5\), got"):
        predict_landmarks(image, box, model=model)


def test_predict_landmarks_takes_a_numpy_model_number(face):
    image, points = face
    box = detect_faces(image)[0]
    np.testing.assert_array_equal(predict_landmarks(image, box, model=np.int64(68)), points)


@pytest.mark.parametrize("name", ["max_fit_error", "crop_fit_error"])
@pytest.mark.parametrize("value", [True, np.True_])
def test_aligner_refuses_booleans_as_fit_limits(name, value):
    with pytest.raises(ValueError, match=f"{name} must be a positive number"):
        FaceAligner(**{name: value}).fit()


@pytest.mark.parametrize(("name", "value"), [("min_size", True), ("threshold", True),
                                             ("threshold", False)])
def test_detect_faces_refuses_booleans_as_numbers(face, name, value):
    with pytest.raises(ValueError, match=f"^{name} must be a"):
        detect_faces(face[0], **{name: value})


def test_aligner_refuses_min_size_true():
    with pytest.raises(ValueError, match=r"^min_size must be a positive number"):
        FaceAligner(min_size=True).fit()


@pytest.mark.parametrize("model_dir", [5, b"/tmp", ["models"]])
def test_model_dir_must_be_a_path(face, model_dir):
    message = re.escape("model_dir must be None or the path of a folder")
    with pytest.raises(TypeError, match=message):
        FaceAligner(model_dir=model_dir).fit()
    with pytest.raises(TypeError, match=message):
        FaceAligner(model_dir=model_dir).align(face[0])
    with pytest.raises(TypeError, match=message):
        predict_landmarks(face[0], (0, 0, 100, 100), model_dir=model_dir)


def test_model_dir_path_like_still_works(face, tmp_path: Path):
    image, points = face
    box = detect_faces(image)[0]
    # an empty folder: the models are then found in the package, as with model_dir=None
    np.testing.assert_array_equal(predict_landmarks(image, box, model_dir=tmp_path), points)
