"""GeometryExtractor: sklearn API, pose invariance, NaN rows for images without a face."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from aufeat.cache import FeatureCache
from aufeat.estimators import GeometryExtractor


@pytest.fixture(scope="module")
def batch(astronaut):
    from skimage.transform import rotate

    face = astronaut[0:256, 96:352]  # the astronaut's head, with margin
    turned = (rotate(face, 12, mode="edge", preserve_range=True)).astype(np.uint8)
    noise = np.random.default_rng(3).integers(0, 256, face.shape, dtype=np.uint8)
    return [face, turned, noise]


def test_sklearn_api():
    ext = GeometryExtractor(detect=False, model_dir=None)
    assert ext.name == "geometry"
    assert ext.feature_version == 3
    assert clone(ext).get_params() == ext.get_params()
    for check in (check_get_params_invariance, check_no_attributes_set_in_init,
                  check_parameters_default_constructible, check_set_params):
        check("GeometryExtractor", ext)


def test_rotation_invariance_and_noise(batch):
    X = GeometryExtractor().fit_transform(batch)
    assert X.shape == (3, 136)
    assert np.isfinite(X[:2]).all()
    # pose is removed: a rotated copy gives nearly the same shape features
    assert np.abs(X[0] - X[1]).max() < 0.03
    assert np.abs(X[0]).max() > 3 * np.abs(X[0] - X[1]).max()
    # random noise holds no face the detector finds: a row of NaN; detect='auto' then
    # takes the image as a declared face crop, and only a blank one holds no face
    assert np.isnan(GeometryExtractor(detect=True).transform(batch[2:])).all()
    assert np.isnan(GeometryExtractor().transform([np.full_like(batch[2], 128)])).all()


def test_aligned_crops_without_detection(batch):
    from aufeat.face import FaceAligner

    crops = FaceAligner(size=112, gray=True).transform(batch[:1])
    X = GeometryExtractor(detect=False).transform(crops)
    assert X.shape == (1, 136)
    assert np.isfinite(X).all()
    np.testing.assert_allclose(X, GeometryExtractor().transform(batch[:1]), atol=0.03)


def test_empty_input_and_cache(batch, tmp_path):
    assert GeometryExtractor().transform([]).shape == (0, 136)
    cache = FeatureCache(tmp_path)
    ext = GeometryExtractor(cache=cache)
    first = ext.transform(batch[:1])
    np.testing.assert_array_equal(first, GeometryExtractor().transform(batch[:1]))
    np.testing.assert_array_equal(ext.transform(batch[:1]), first)


def test_cache_with_a_path_as_model_dir(batch, tmp_path):
    # model_dir is a folder looked in first; a pathlib.Path is keyed as the same str
    cache = FeatureCache(tmp_path / "cache")
    X = GeometryExtractor(model_dir=tmp_path, cache=cache).transform(batch[:1])
    np.testing.assert_array_equal(X, GeometryExtractor().transform(batch[:1]))
    GeometryExtractor(model_dir=str(tmp_path), cache=cache).transform(batch[:1])
    assert cache.last_fill.n_computed == 0


def test_an_image_entirely_nan_gets_a_nan_row(batch, tmp_path):
    # FaceAligner(on_missing='nan')'s row for an image without a face
    missing = np.full((112, 112), np.nan, np.float32)
    X = GeometryExtractor().transform([missing, batch[0], missing])
    assert np.isnan(X).all(axis=1).tolist() == [True, False, True]
    np.testing.assert_array_equal(X[1:2], GeometryExtractor().transform(batch[:1]))
    assert np.isnan(GeometryExtractor().transform(np.stack([missing] * 2))).all()
    cache = FeatureCache(tmp_path / "cache")
    np.testing.assert_array_equal(GeometryExtractor(cache=cache).transform([batch[0], missing]),
                                  X[1::-1])
    assert "NaN or inf" not in cache.last_fill.failures[0]["reason"]
