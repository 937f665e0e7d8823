"""What evaluate and an image model say when given the other kind of input.

- ``evaluate(data, X=photos of several sizes)`` failed inside NumPy ("inhomogeneous shape");
- a pipeline of images given feature rows said "wrap one image as [image]".
"""

import numpy as np
import pytest

import aufeat
from aufeat.exceptions import InvalidImageError


def test_evaluate_given_photos_of_several_sizes_says_to_compute_features():
    data = aufeat.make_synthetic_faces(n_subjects=3, n_per_subject=2, random_state=0)
    photos = [np.zeros((40 + i, 40, 3), np.uint8) for i in range(len(data))]
    with pytest.raises(ValueError, match=r"X holds items of several shapes \(photos of several "
                                         r"sizes\?\); evaluate takes one array: features, .*"
                                         r"FaceFeatures\('best'\)\.transform\(data\)"):
        aufeat.evaluate(data, photos, model="linear-svm", protocol="group-kfold:3")


def test_an_image_pipeline_given_feature_rows_names_both_readings():
    model = aufeat.make_pipeline("best", task="emotion")
    rows = np.random.default_rng(0).random((12, 300))
    with pytest.raises(InvalidImageError, match=r"got an array of shape \(12, 300\), one grey "
                                                r"image or rows of features .*make_face_model"):
        model.fit(rows, ["happiness", "sadness"] * 6, model__groups=np.arange(12) % 4)
