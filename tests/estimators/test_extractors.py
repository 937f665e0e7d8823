"""HOG/LBP/Gabor extractor transformers: sklearn API, inputs, pipelines and the cache."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from aufeat.cache import FeatureCache
from aufeat.estimators import (
    FHOGExtractor,
    GaborExtractor,
    GeometryExtractor,
    HOGExtractor,
    LBPExtractor,
)
from aufeat.features.gabor import extract_gabor
from aufeat.features.hog import extract_hog
from aufeat.features.lbp import extract_lbp

CASES = [
    (HOGExtractor, extract_hog, {"orientations": 6, "pixels_per_cell": (8, 8),
                                 "cells_per_block": (2, 2), "block_norm": "L1"}),
    (LBPExtractor, extract_lbp, {"n_points": 8, "radius": 2, "grid": (3, 3)}),
    (GaborExtractor, extract_gabor, {"frequencies": (0.2, 0.3), "orientations": 4,
                                     "grid": (2, 2)}),
]
IDS = ["hog", "lbp", "gabor"]


@pytest.fixture
def faces(rng):
    return rng.integers(0, 256, (5, 40, 40), dtype=np.uint8)


@pytest.mark.parametrize(("cls", "func", "params"), CASES, ids=IDS)
def test_transform_equals_the_feature_function(cls, func, params, faces):
    ext = cls(**params)
    assert ext.fit(faces) is ext
    np.testing.assert_array_equal(ext.transform(faces), func(faces, **params))
    np.testing.assert_array_equal(ext.fit_transform(faces[:1]), func(faces[:1], **params))


def test_hog_extractor_matches_scikit_image(camera):
    from skimage.feature import hog

    image = camera[200:296, 200:296] / 255.0
    got = HOGExtractor(pixels_per_cell=(16, 16), cells_per_block=(2, 2)).transform(image[None])
    want = hog(image, pixels_per_cell=(16, 16), cells_per_block=(2, 2))
    np.testing.assert_allclose(got[0], want, rtol=1e-10, atol=1e-12)


def test_colour_batches_and_float32(rng):
    colour = rng.random((3, 32, 32, 3)).astype(np.float32)
    X = HOGExtractor().transform(colour)
    assert X.shape[0] == 3
    assert X.dtype == np.float32
    np.testing.assert_array_equal(X, extract_hog(colour))


@pytest.mark.parametrize(("cls", "func", "params"), CASES, ids=IDS)
def test_channel_first_images_keep_one_row_each(cls, func, params, rng):
    last = rng.random((4, 32, 32, 3))
    first = np.moveaxis(last, -1, 1)  # (N, C, H, W)
    want = func(last, **params)
    ext = cls(**params, channel_axis=0)  # the axis of one image
    np.testing.assert_array_equal(ext.transform(list(first)), want)
    np.testing.assert_array_equal(ext.transform(first), want)
    np.testing.assert_array_equal(ext.transform(first[:1]), want[:1])


@pytest.mark.parametrize(("cls", "func", "params"), CASES, ids=IDS)
def test_sklearn_parameter_api(cls, func, params):
    name = cls.__name__
    est = cls(**params)
    check_parameters_default_constructible(name, cls())
    check_no_attributes_set_in_init(name, cls())
    check_get_params_invariance(name, est)
    check_set_params(name, est)
    params_out = est.get_params()
    assert {k: params_out[k] for k in params} == params
    assert params_out["cache"] is None
    copy = clone(est)
    assert copy.get_params() == params_out
    assert copy is not est
    assert isinstance(cls.feature_version, int)
    assert cls.name == name[:-9].lower()
    with pytest.raises(TypeError):
        cls(6)  # keyword-only


def test_parameters_are_stored_verbatim_and_validated_on_use(faces):
    ext = HOGExtractor(pixels_per_cell=[8, 8], orientations="many")
    assert ext.pixels_per_cell == [8, 8]
    assert ext.orientations == "many"
    with pytest.raises((TypeError, ValueError)):
        ext.transform(faces)


def test_lists_of_paths_and_arrays(tmp_path, faces):
    import cv2

    paths = []
    for i, face in enumerate(faces):
        paths.append(str(tmp_path / f"{i}.png"))
        cv2.imwrite(paths[-1], face)
    ext = LBPExtractor(grid=(4, 4))
    want = ext.transform(faces)
    np.testing.assert_array_equal(ext.transform(paths), want)
    np.testing.assert_array_equal(ext.transform(list(faces)), want)
    # LBP's grid gives one length for any size: mixed sizes are fine
    mixed = [faces[0], np.kron(faces[1], np.ones((2, 2), np.uint8))]
    assert ext.transform(mixed).shape == (2, want.shape[1])
    with pytest.raises(ValueError, match="different lengths"):
        HOGExtractor().transform(mixed)
    with pytest.raises(ValueError, match="batch"):
        ext.transform(faces[0])


def test_in_pipeline_and_feature_union(faces):
    union = FeatureUnion([("hog", HOGExtractor()), ("lbp", LBPExtractor(grid=(2, 2)))])
    X = make_pipeline(union, StandardScaler()).fit_transform(faces)
    n = HOGExtractor().transform(faces).shape[1] + 4 * 59
    assert X.shape == (5, n)
    assert np.allclose(X.mean(axis=0), 0)


def test_cache_parameter_goes_through_the_cache(tmp_path, faces):
    cache = FeatureCache(tmp_path / "cache")
    ext = HOGExtractor(cache=cache)
    X = ext.transform(faces)
    assert cache.last_fill.n_computed == 5
    np.testing.assert_array_equal(X, HOGExtractor().transform(faces))
    copy = clone(ext)
    assert copy.cache.root == cache.root
    np.testing.assert_array_equal(copy.transform(faces), X)
    assert copy.cache.last_fill.n_computed == 0


@pytest.mark.parametrize("cls", [HOGExtractor, LBPExtractor, GaborExtractor, FHOGExtractor],
                         ids=["hog", "lbp", "gabor", "fhog"])
def test_no_images_is_a_one_line_error(cls, tmp_path):
    # the width depends on the image size, so there is no (0, n_features) result: as
    # sklearn's transformers refuse 0 samples, so do these (GeometryExtractor, always 136
    # wide, gives (0, 136))
    from aufeat.exceptions import InvalidImageError

    for ext in (cls(), cls(cache=FeatureCache(tmp_path / "cache"))):
        for call in (ext.transform, ext.fit, ext.fit_transform):
            with pytest.raises(InvalidImageError, match=r"got no images \(an empty list\)"):
                call([])
        with pytest.raises(InvalidImageError, match="empty ndarray of shape"):
            ext.transform(np.zeros((0, 48, 48)))


def test_gabor_without_pooling_gives_the_flattened_maps(tmp_path, faces):
    # pooling='none' returned the (N, F, H, W) maps with F feature names: pandas output,
    # a scaler after it and the cache all failed
    import pandas as pd

    params = {"frequencies": (0.2,), "orientations": 2, "pooling": "none"}
    maps = extract_gabor(faces, **params)  # (5, 2, 40, 40)
    ext = GaborExtractor(**params).fit(faces)
    X = ext.transform(faces)
    np.testing.assert_array_equal(X, maps.reshape(5, 2 * 40 * 40))
    np.testing.assert_allclose(X, extract_gabor(faces, frequencies=(0.2,), orientations=2,
                                                pooling="downsample", downsample=1))
    assert len(ext.get_feature_names_out()) == X.shape[1]
    np.testing.assert_array_equal(ext.transform(list(faces[:2])), X[:2])
    frame = GaborExtractor(**params).set_output(transform="pandas").fit_transform(faces)
    assert isinstance(frame, pd.DataFrame)
    np.testing.assert_array_equal(frame.to_numpy(), X)
    assert make_pipeline(GaborExtractor(**params), StandardScaler()).fit_transform(
        faces).shape == X.shape
    cached = GaborExtractor(**params, cache=FeatureCache(tmp_path / "cache"))
    np.testing.assert_array_equal(cached.transform(faces), X)


@pytest.mark.parametrize("cls", [HOGExtractor, LBPExtractor, GaborExtractor, FHOGExtractor,
                                 GeometryExtractor], ids=["hog", "lbp", "gabor", "fhog", "geo"])
def test_one_colour_image_is_refused_as_a_batch(cls, tmp_path, rng):
    # (H, W, 3) gave one row without a cache, H rows of H x 3 "images" with one, and a
    # size error from fit; FaceFeatures and FaceAligner refuse it, and so do these now
    from aufeat.exceptions import InvalidImageError

    image = rng.integers(0, 256, (40, 40, 3), dtype=np.uint8)
    for ext in (cls(), cls(cache=FeatureCache(tmp_path / "cache"))):
        for call in (ext.fit, ext.transform, ext.fit_transform):
            with pytest.raises(InvalidImageError,
                               match=r"\(40, 40, 3\) looks like one \(H, W, C\) image.*\[image\]"):
                call(image)
    if cls is GeometryExtractor:
        return
    want = cls().transform([image])  # as the message says
    np.testing.assert_array_equal(cls().transform(image[None]), want)
    np.testing.assert_array_equal(cls(cache=FeatureCache(tmp_path / "c2")).transform([image]), want)
    if cls is HOGExtractor:
        np.testing.assert_array_equal(want[0], extract_hog(image))
        # an explicit channel axis still reads one image (or a batch of one)
        np.testing.assert_array_equal(cls(channel_axis=-1).transform(image), want)
        np.testing.assert_array_equal(cls(channel_axis=-1).transform(image[None]), want)


@pytest.mark.parametrize(("cls", "func", "params"), CASES, ids=IDS)
def test_one_colour_image_with_a_channel_axis_is_one_row_with_or_without_a_cache(
        cls, func, params, tmp_path, rng):
    # with a cache, (H, W, 3) went through as H images of W x 3 pixels (40 rows, not 1);
    # image[None] and [image] are one row too
    image = rng.random((40, 40, 3))
    want = func(image, **params, channel_axis=-1)[None]
    for ext in (cls(**params, channel_axis=-1),
                cls(**params, channel_axis=-1, cache=FeatureCache(tmp_path / "cache"))):
        np.testing.assert_array_equal(ext.fit(image).transform(image), want)
        np.testing.assert_array_equal(ext.fit(image[None]).transform(image[None]), want)
        np.testing.assert_array_equal(ext.transform([image]), want)
        assert len(ext.get_feature_names_out()) == want.shape[1]


def test_images_of_another_size_than_fitted_are_refused(tmp_path, rng):
    # fitted on 32x32 faces (324 names), 40x48 faces gave 720 columns without a word (and
    # pandas output a raw 'Length mismatch')
    small, large = rng.random((3, 32, 32)), rng.random((2, 40, 48))
    params = {"pixels_per_cell": (8, 8), "cells_per_block": (2, 2)}
    msg = (r"fitted on images giving 324 features; these give 720 \(40x48\): resize or align "
           "the faces to the fitted size, or refit")
    for ext in (HOGExtractor(**params), HOGExtractor(**params).set_output(transform="pandas"),
                HOGExtractor(**params, cache=FeatureCache(tmp_path / "cache"))):
        ext.fit(small)
        assert len(ext.get_feature_names_out()) == 324
        with pytest.raises(ValueError, match=msg):
            ext.transform(large)
        with pytest.raises(ValueError, match=msg):
            ext.transform(list(large))
        np.testing.assert_array_equal(np.asarray(ext.transform(small[:1])),
                                      extract_hog(small[:1], **params))
    # unfitted (the stateless use of feature_sets and the cache), refitted or fit(None): any size
    want = extract_hog(large, **params)
    np.testing.assert_array_equal(HOGExtractor(**params).transform(large), want)
    ext = HOGExtractor(**params).fit(small)
    np.testing.assert_array_equal(ext.fit(large).transform(large), want)
    np.testing.assert_array_equal(ext.fit(small).fit(None).transform(large), want)
    # LBP's grid gives one length for any size: nothing to refuse
    lbp = LBPExtractor(grid=(3, 3)).fit(small)
    np.testing.assert_array_equal(lbp.transform(large), extract_lbp(large, grid=(3, 3)))


@pytest.mark.parametrize("cls", [HOGExtractor, LBPExtractor, GaborExtractor, FHOGExtractor],
                         ids=["hog", "lbp", "gabor", "fhog"])
def test_an_image_entirely_nan_gets_a_nan_row(cls, faces, tmp_path):
    # FaceAligner(on_missing='nan')'s row for an image without a face
    from aufeat.exceptions import InvalidImageError

    crops = (faces / 255).astype(np.float32)
    crops[[0, 3]] = np.nan
    found = cls().transform(crops[[1, 2, 4]])
    ext = cls()
    X = ext.fit_transform(crops)  # the first image is the NaN one: fit still counts
    assert X.dtype == found.dtype
    assert len(ext.get_feature_names_out()) == X.shape[1] == found.shape[1]
    assert np.isnan(X).all(axis=1).tolist() == [True, False, False, True, False]
    np.testing.assert_array_equal(X[[1, 2, 4]], found)
    np.testing.assert_array_equal(cls().transform(list(crops)), X)
    assert np.isnan(cls().transform(crops[[0, 3]])).all()
    assert cls().transform(crops[[0, 3]]).shape == (2, X.shape[1])
    partly = crops[[1]].copy()
    partly[0, :5] = np.nan
    with pytest.raises(InvalidImageError, match="NaN"):
        cls().transform(partly)
    cache = FeatureCache(tmp_path / "cache")
    cached = cls(cache=cache).transform(crops)
    np.testing.assert_array_equal(cached, X)
    reasons = [f["reason"] for f in cache.last_fill.failures]
    assert len(reasons) == 2
    assert all("no face" in r and "NaN or inf" not in r for r in reasons)
