"""The cache hands each step of an extractor the pixels ``extractor.transform`` hands it (SL18).

F1: a ``FeatureUnion`` given PIL images had their pixels moved to ``(C, H, W)`` for its
channel-first part, and the moved pixels went to every part: a channels-last part failed
(stored as the images' failures) or read wrong values silently. F2: aufeat's rule for its
extractors' ``channel_axis`` (an axis of one image) was applied to every nested estimator,
arrays included, and a channel-first step inside a user's wrapper was refused: both worked
before and work again.
"""

import numpy as np
import pytest
from PIL import Image
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor, LBPExtractor
from aufeat.io import read_image


def _rgb(n=2, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 256, (32, 32, 3), dtype=np.uint8) for _ in range(n)]


def _files(tmp_path, images):
    paths = []
    for i, image in enumerate(images):
        Image.fromarray(image).save(tmp_path / f"im{i}.png")
        paths.append(str(tmp_path / f"im{i}.png"))
    return paths


def mean_colour(X):
    """Mean R, G, B of each channels-last image."""
    arr = np.stack([np.asarray(x, float) for x in X])
    return arr.reshape(len(arr), -1, 3).mean(axis=1)


def test_each_part_of_a_feature_union_gets_pil_images_channels_last(tmp_path):
    pils = [Image.fromarray(image) for image in _rgb()]
    union = FeatureUnion([("hog", HOGExtractor(channel_axis=0)), ("lbp", LBPExtractor()),
                          ("colour", FunctionTransformer(mean_colour))])
    cache = FeatureCache(tmp_path / "cache")
    got = cache.features(pils, union, progress=False)
    np.testing.assert_allclose(got, union.transform(pils))
    assert cache.failures() == []
    np.testing.assert_allclose(cache.features(pils, union, progress=False), got)
    assert cache.last_fill.n_computed == 0


def test_a_list_mixing_arrays_and_pil_images_for_a_nested_channel_first_step_is_refused(
        tmp_path):
    images = _rgb()
    mixed = [np.moveaxis(images[0], -1, 0), Image.fromarray(images[1])]
    pipe = make_pipeline(HOGExtractor(channel_axis=0))
    cache = FeatureCache(tmp_path / "cache")
    with pytest.raises(ValueError, match="mixing arrays and PIL images"):
        cache.features(mixed, pipe, progress=False)
    assert cache.names() == []


class ChannelScale(TransformerMixin, BaseEstimator):
    """Weigh each colour channel of a batch; ``channel_axis``: an axis of the batch."""

    def __init__(self, weights=(0.5, 1.0, 1.5), channel_axis=3):
        self.weights, self.channel_axis = weights, channel_axis

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        X = np.asarray(X, float)
        shape = [1] * X.ndim
        shape[-1 if self.channel_axis == "last" else self.channel_axis] = -1
        return X * np.reshape(self.weights, shape) / 255.0


@pytest.mark.parametrize("axis", [3, "last"])
def test_a_users_step_is_not_held_to_the_extractors_channel_axis_rule(tmp_path, axis):
    batch = np.stack(_rgb())
    pipe = Pipeline([("scale", ChannelScale(channel_axis=axis)), ("hog", HOGExtractor())])
    cache = FeatureCache(tmp_path / "cache")
    np.testing.assert_allclose(cache.features(batch, pipe, progress=False), pipe.transform(batch))


class CHWHog(TransformerMixin, BaseEstimator):
    """Reads its images and hands them channel-first to its HOG."""

    def __init__(self, hog=None):
        self.hog = hog

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        images = [read_image(x) if isinstance(x, str) else np.asarray(x) for x in X]
        return self.hog.transform(np.stack([np.moveaxis(im, -1, 0) for im in images]))


def test_a_users_wrapper_gets_the_files_pixels_as_decoded(tmp_path):
    paths = _files(tmp_path, _rgb())
    wrapper = CHWHog(HOGExtractor(channel_axis=0))
    cache = FeatureCache(tmp_path / "cache")
    np.testing.assert_allclose(cache.features(paths, wrapper, progress=False),
                               wrapper.transform(paths))
    assert cache.failures() == []


class ToCHW(TransformerMixin, BaseEstimator):
    """A user's step that hands images on as (C, H, W); its layout a class constant."""

    channel_axis = 0

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return [np.moveaxis(np.asarray(x), -1, 0) for x in X]


class ScaleChannels(TransformerMixin, BaseEstimator):
    """A user's step that reads channels-last images; ``channel_axis``: where they go out."""

    def __init__(self, channel_axis=0):
        self.channel_axis = channel_axis

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return [np.moveaxis(np.asarray(x, float) / 2, -1, self.channel_axis) for x in X]


@pytest.mark.parametrize("step", [ToCHW, ScaleChannels])
@pytest.mark.parametrize("kind", ["files", "pil"])
def test_a_users_channel_first_step_first_in_a_pipeline_gets_the_pixels_as_decoded(
        tmp_path, step, kind):
    # TL11 F1: the cache rebuilt it with channel_axis=None (TypeError for ToCHW, which has
    # no such parameter; ScaleChannels then failed on every image, stored as the files')
    images = _files(tmp_path, _rgb()) if kind == "files" else \
        [Image.fromarray(image) for image in _rgb()]
    pipe = make_pipeline(step(), HOGExtractor(channel_axis=0))
    given = [read_image(p) for p in images] if kind == "files" else images
    cache = FeatureCache(tmp_path / "cache")
    np.testing.assert_allclose(cache.features(images, pipe, progress=False),
                               pipe.transform(given))
    assert cache.failures() == []


def test_a_grey_array_beside_pil_images_has_no_layout_to_mistake(tmp_path):
    # TL11 F2: refused as "cannot tell the arrays' layout", though a 2-D array has none
    grey = np.random.default_rng(1).integers(0, 256, (32, 32), dtype=np.uint8)
    images = [Image.fromarray(_rgb(1)[0]), grey]
    pipe = make_pipeline(FunctionTransformer(), HOGExtractor(channel_axis=0))
    got = FeatureCache(tmp_path / "cache").features(images, pipe, progress=False)
    np.testing.assert_allclose(got, pipe.transform(images))
