"""scikit-learn's global pandas output and aufeat's transformers used without fit.

``sklearn.set_config(transform_output='pandas')`` made scikit-learn ask every
``transform`` for its feature names; aufeat's extractors are stateless
(``requires_fit=False``) and aufeat called them unfitted, so building a model, a
``FaceFeatures`` transform and ``FeatureCache.features`` raised ``NotFittedError``.
"""

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.exceptions import NotFittedError

import aufeat
from aufeat.estimators import (
    FaceFeatures,
    FHOGExtractor,
    GaborExtractor,
    GeometryExtractor,
    HOGExtractor,
    LBPExtractor,
)
from aufeat.estimators.feature_sets import block_sizes

IMAGE_EXTRACTORS = [HOGExtractor(pixels_per_cell=(8, 8)), LBPExtractor(grid=(2, 2)),
                    GaborExtractor(frequencies=(0.25,), orientations=2, grid=(2, 2)),
                    FHOGExtractor()]
IDS = ["hog", "lbp", "gabor", "fhog"]


@pytest.fixture
def faces(rng):
    return rng.random((3, 32, 32))


def test_feature_sets_are_counted_and_models_built_under_pandas_output():
    want = block_sizes("best")
    with sklearn.config_context(transform_output="pandas"):
        assert block_sizes("best") == want
        model = aufeat.make_pipeline("best", task="emotion", detector="hog")
    assert model is not None


def test_face_features_transform_unfitted_under_pandas_output(astronaut):
    X = [astronaut, np.zeros((64, 64))]
    ext = FaceFeatures("hog+geometry", detector="hog")
    want = ext.transform(X)
    names = ext.get_feature_names_out()  # known before fit: the feature set fixes the count
    assert len(names) == want.shape[1] == sum(block_sizes("hog+geometry"))
    assert not hasattr(ext, "_n_features_out")
    with sklearn.config_context(transform_output="pandas"):
        frame = FaceFeatures("hog+geometry", detector="hog").transform(X)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == list(names)
    np.testing.assert_array_equal(frame.to_numpy(), want)
    mirrored = FaceFeatures("hog+geometry", mirror=True).get_feature_names_out()
    assert len(mirrored) == 2 * len(names)


@pytest.mark.parametrize("ext", IMAGE_EXTRACTORS, ids=IDS)
def test_image_extractor_transform_unfitted_under_pandas_output(ext, faces):
    want = sklearn.clone(ext).transform(faces)
    with sklearn.config_context(transform_output="pandas"):
        frame = sklearn.clone(ext).transform(faces)
        fitted = sklearn.clone(ext).fit(faces)
        named = fitted.transform(faces)
    assert isinstance(frame, pd.DataFrame)  # columns numbered: the names come with fit
    np.testing.assert_array_equal(frame.to_numpy(), want)
    assert list(named.columns) == list(fitted.get_feature_names_out())
    np.testing.assert_array_equal(named.to_numpy(), want)


@pytest.mark.parametrize("ext", IMAGE_EXTRACTORS, ids=IDS)
def test_unfitted_image_extractor_names_say_to_fit_first(ext):
    with pytest.raises(NotFittedError, match=r"before fit: (the number of features depends on "
                       r"the image size with these settings|fit counts the features of an "
                       r"image); call fit\(images\)"):
        sklearn.clone(ext).get_feature_names_out()


def test_geometry_names_are_known_before_fit():
    ext = GeometryExtractor()
    names = ext.get_feature_names_out()
    assert list(names) == [f"geometryextractor{i}" for i in range(136)]
    blank = np.full((2, 48, 48), np.nan)  # FaceAligner(on_missing='nan')'s rows for no face
    with sklearn.config_context(transform_output="pandas"):
        frame = GeometryExtractor().transform(blank)
    assert list(frame.columns) == list(names)
    assert frame.shape == (2, 136)
    assert frame.isna().all().all()
