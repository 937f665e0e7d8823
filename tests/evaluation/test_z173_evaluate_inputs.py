"""evaluate refuses swapped arguments, missing features and images for a preset up front.

They failed deep inside ("'numpy.ndarray' object has no attribute 'targets'", "len() of
unsized object", or "Found array with dim 4" after the first fold).
"""

import numpy as np
import pytest

import aufeat


@pytest.fixture(scope="module")
def data():
    faces = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=7, size=48)
    return faces, aufeat.extract_hog(faces.load_images(), pixels_per_cell=(16, 16))


def test_swapped_arguments_are_named(data):
    faces, X = data
    with pytest.raises(TypeError, match=r"got ndarray for the data set; the arguments are "
                                        r"swapped: evaluate\(data, X\)"):
        aufeat.evaluate(X, faces, protocol="group-kfold:2")


@pytest.mark.parametrize("X", [None, "hog"])
def test_no_features_is_said(data, X):
    with pytest.raises(TypeError, match=r"no features; evaluate takes its features"):
        aufeat.evaluate(data[0], X, protocol="group-kfold:2")


def test_a_data_set_as_features_is_said(data):
    with pytest.raises(TypeError, match="X is a data set; evaluate takes its features"):
        aufeat.evaluate(data[0], data[0], protocol="group-kfold:2")


def test_images_for_a_preset_are_refused_before_any_fit(data):
    faces, _ = data
    with pytest.raises(ValueError, match=r"X holds images \(\(48, 48, 3\) each\), and model "
                                         "'logreg' fits feature rows"):
        aufeat.evaluate(faces, faces.load_images(), model="logreg", protocol="group-kfold:2")


def test_features_still_evaluate(data):
    faces, X = data
    result = aufeat.evaluate(faces, np.asarray(X), model="logreg", protocol="group-kfold:2",
                             n_bootstrap=0)
    assert len(result.per_fold) == 2
