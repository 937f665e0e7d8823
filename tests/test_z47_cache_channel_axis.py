"""FeatureCache.features reads files and data sets channels-last, as transform does."""
import numpy as np
from PIL import Image

from aufeat.cache import FeatureCache
from aufeat.datasets import FaceDataset
from aufeat.estimators.extractors import HOGExtractor


def _files(tmp_path):
    rng = np.random.default_rng(0)
    colour, grey = tmp_path / "c.png", tmp_path / "g.png"
    Image.fromarray(rng.integers(0, 255, (32, 32, 3), dtype=np.uint8)).save(colour)
    Image.fromarray(rng.integers(0, 255, (32, 32), dtype=np.uint8)).save(grey)
    return [str(grey), str(colour)]


def test_channel_axis_0_files_and_data_sets_through_the_cache(tmp_path):
    paths = _files(tmp_path)
    hog = HOGExtractor(channel_axis=0)
    expected = hog.transform(paths)
    assert not np.isnan(expected).any()
    cache = FeatureCache(tmp_path / "cache")
    out = cache.features(paths, hog, progress=False)
    np.testing.assert_allclose(out, expected)
    assert cache.failures() == []
    data = FaceDataset(paths=paths, subject=["a", "b"])
    np.testing.assert_allclose(cache.features(data, hog, progress=False), expected)


def test_channel_axis_0_arrays_through_the_cache_keep_their_layout(tmp_path):
    images = np.random.default_rng(1).random((2, 3, 32, 32))
    hog = HOGExtractor(channel_axis=0)
    out = FeatureCache(tmp_path / "cache").features(images, hog, progress=False)
    np.testing.assert_allclose(out, hog.transform(images))
