"""An array parameter whose bytes are not its value is refused, not keyed by its bytes.

An object array's bytes are the addresses of its items: the same values got a new key
in every process, and other values an old key once an address was reused (another
parameter's features served). A masked array's bytes leave out its mask.
"""

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from aufeat.cache import FeatureCache
from aufeat.cache.keys import extractor_identity
from aufeat.estimators import HOGExtractor


def shift(X, by):
    return np.asarray(X, float).reshape(len(X), -1) + float(by[0])


def test_an_object_array_parameter_is_refused_naming_it(tmp_path):
    by = np.array([10.0], dtype=object)
    cache = FeatureCache(tmp_path / "cache")
    images = np.random.default_rng(0).random((2, 8, 8))
    with pytest.raises(TypeError, match=r"FunctionTransformer's kw_args\['by'\].*dtype object"):
        cache.features(images, FunctionTransformer(shift, kw_args={"by": by}), progress=False)
    assert cache.names() == []  # refused before anything was stored
    step = make_pipeline(FunctionTransformer(np.clip, kw_args={"a_min": by, "a_max": 1.0}),
                         HOGExtractor())
    with pytest.raises(TypeError, match=r"kw_args\['a_min'\].*np.asarray"):
        extractor_identity(step)


def test_a_masked_array_parameter_is_refused():
    masked = np.ma.masked_array([1.0, 2.0], mask=[False, True])
    with pytest.raises(TypeError, match=r"kw_args\['a_min'\]: a masked array"):
        extractor_identity(FunctionTransformer(np.clip, kw_args={"a_min": masked}))


def test_a_numeric_array_parameter_is_keyed_by_its_values(tmp_path):
    cache = FeatureCache(tmp_path / "cache")
    images = np.random.default_rng(0).random((2, 8, 8))
    for by, first in ((0.0, 2), (10.0, 2), (0.0, 0)):
        step = FunctionTransformer(shift, kw_args={"by": np.array([by])})
        np.testing.assert_array_equal(cache.features(images, step, progress=False),
                                      step.transform(images))
        assert cache.last_fill.n_computed == first
