"""A partly-NaN image refused through a FeatureCache: its stored reason names no
index of the cache's own one-image list (X[0]); its row names the caller's image."""

import warnings

import numpy as np

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor


def _failures(cache):
    found = cache.failures()
    return found.to_dict("records") if hasattr(found, "to_dict") else list(found)


def test_cached_failure_reason_does_not_name_another_image(tmp_path):
    images = np.random.default_rng(0).random((6, 32, 32))
    images[4, :2, :2] = np.nan
    cache = FeatureCache(tmp_path / "cache")
    extractor = HOGExtractor(pixels_per_cell=(8, 8), cache=cache).fit(images[:2])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = extractor.transform(images)
    assert np.isnan(out[4]).all()
    failures = _failures(cache)
    assert [f["path"] for f in failures] == ["images[4]"]
    reason = failures[0]["reason"]
    assert "4 of 1024" in reason
    assert "X[0]" not in reason
    assert reason.startswith("image: ")
