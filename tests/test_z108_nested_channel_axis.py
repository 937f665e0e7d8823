"""Files reach the steps of a Pipeline or FeatureUnion channels-last through the cache too.

``pipeline.transform(paths)`` hands the paths to its first step that is no pass-through,
which reads them channels-last whatever its ``channel_axis``. The cache decodes the files
itself: it handed their ``(H, W, 3)`` pixels to a step with ``channel_axis=0``, which read
them as ``(C, H, W)``, and stored the refusal as each file's failure.
"""

import numpy as np
import pytest
from PIL import Image
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor
from aufeat.estimators.extractors import LBPExtractor
from aufeat.exceptions import InvalidImageError


def _files(tmp_path, n=3):
    rng = np.random.default_rng(0)
    paths = []
    for i in range(n):
        path = tmp_path / f"im{i}.png"
        Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(path)
        paths.append(str(path))
    return paths


def test_a_pipeline_step_with_channel_axis_0_reads_files_channels_last(tmp_path):
    paths = _files(tmp_path)
    pipe = Pipeline([("id", FunctionTransformer()), ("hog", HOGExtractor(channel_axis=0))])
    expected = pipe.transform(paths)
    cache = FeatureCache(tmp_path / "cache")
    np.testing.assert_allclose(cache.features(paths, pipe, progress=False), expected)
    assert cache.failures() == []
    np.testing.assert_allclose(cache.features(paths, pipe, progress=False), expected)
    assert cache.last_fill.n_computed == 0
    assert pipe.get_params()["hog__channel_axis"] == 0  # the caller's pipeline is unchanged
    pils = [Image.open(p) for p in paths]
    np.testing.assert_allclose(cache.features(pils, pipe, progress=False), pipe.transform(pils))


def test_each_part_of_a_feature_union_reads_files_channels_last(tmp_path):
    paths = _files(tmp_path)
    union = FeatureUnion([("hog", HOGExtractor(channel_axis=0)),
                          ("lbp", make_pipeline("passthrough", LBPExtractor(channel_axis=-3)))])
    outer = Pipeline([("skip", "passthrough"), ("union", union)])
    cache = FeatureCache(tmp_path / "cache")
    np.testing.assert_allclose(cache.features(paths, outer, progress=False),
                               outer.transform(paths))
    assert cache.failures() == []


class Wrapper(TransformerMixin, BaseEstimator):
    def __init__(self, inner=None):
        self.inner = inner

    def transform(self, X):
        return self.inner.transform(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags


def test_a_bad_channel_axis_of_a_step_that_gets_the_files_is_refused_before_storing(tmp_path):
    paths = _files(tmp_path)
    cache = FeatureCache(tmp_path / "cache")
    bad_axis = make_pipeline(FunctionTransformer(), HOGExtractor(channel_axis=7))
    with pytest.raises(InvalidImageError, match="channel_axis=7 is not an axis"):
        cache.features(paths, bad_axis, progress=False)
    assert cache.names() == []


def test_a_channel_first_step_inside_a_users_wrapper_gets_the_pixels_as_decoded(tmp_path):
    """What the wrapper hands its steps is its own (SL18 F2: refused in Z108, not before)."""
    paths = _files(tmp_path)
    cache = FeatureCache(tmp_path / "cache")
    arrays = [np.moveaxis(np.asarray(Image.open(p)), -1, 0) for p in paths]  # its own layout
    wrapped = Wrapper(HOGExtractor(channel_axis=0))
    np.testing.assert_allclose(cache.features(arrays, wrapped, progress=False),
                               wrapped.transform(arrays))
    channels_last = Wrapper(HOGExtractor(channel_axis=-1))
    np.testing.assert_allclose(cache.features(paths, channels_last, progress=False),
                               channels_last.transform(paths))
