"""The extractors' refusals of a channel_axis out of range and of images too small name X.

An out-of-range ``channel_axis`` was reported by the feature function as another axis (the
batch's: 3 became 4), on fit's one-image probe, and ``-4`` got the functions' advice (1 for
channel-first batches) that the extractors refuse. An image too small was named ``image``
with the shape of the array the extractor built (``(1, 4, 4, 1)``), never which item of a
list. Now: the value given, X's shape and the extractors' own convention; ``X[i]`` for a
list, X's shape for a batch and ``image`` for the cache's calls, as for NaN and channels.
"""
import re

import numpy as np
import pytest
from PIL import Image

from aufeat.cache import FeatureCache
from aufeat.estimators import FHOGExtractor, GaborExtractor, HOGExtractor, LBPExtractor
from aufeat.exceptions import InvalidImageError

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("axis", [3, 5, -4, np.int64(3)])
@pytest.mark.parametrize("Extractor", [HOGExtractor, LBPExtractor, GaborExtractor])
def test_channel_axis_out_of_range_names_the_value_and_x(Extractor, axis):
    X = RNG.random((2, 48, 48, 3))
    with pytest.raises(InvalidImageError) as info:
        Extractor(channel_axis=axis).fit_transform(X)
    message = str(info.value)
    assert f"channel_axis={int(axis)} is not an axis of one image" in message
    assert "X has shape (2, 48, 48, 3)" in message
    assert "0 for channel-first (C, H, W)" in message
    assert f"channel_axis={int(axis) + 1}" not in message
    assert "(1, 48, 48, 3)" not in message


@pytest.mark.parametrize("X", [np.zeros((48, 48, 3)), [np.zeros((48, 48, 3))]],
                         ids=["one image", "list"])
def test_channel_axis_out_of_range_on_one_image_or_a_list(X):
    with pytest.raises(InvalidImageError, match="channel_axis=3 is not an axis of one image"):
        HOGExtractor(channel_axis=3).transform(X)


@pytest.mark.parametrize("axis", [2.0, "0", True])
def test_channel_axis_not_an_integer(axis):
    with pytest.raises(TypeError, match="channel_axis must be an integer axis of one image"):
        HOGExtractor(channel_axis=axis).fit_transform(np.zeros((2, 48, 48, 3)))


def test_the_advised_axis_works():
    X = RNG.random((2, 3, 48, 48))
    assert HOGExtractor(channel_axis=0).fit_transform(X).shape == (2, 1296)


@pytest.mark.parametrize("Extractor", [HOGExtractor, LBPExtractor, FHOGExtractor])
def test_too_small_list_item_is_named(Extractor):
    faces = [np.zeros((48, 48)), np.zeros((48, 48)), np.zeros((4, 4))]
    with pytest.raises(InvalidImageError) as info:
        Extractor().fit_transform(faces)
    message = str(info.value)
    assert message.startswith("X[2]: images of 4x4 pixels (this one has shape (4, 4)) are smaller")
    assert "(1, 4, 4, 1)" not in message


@pytest.mark.parametrize("Extractor", [HOGExtractor, LBPExtractor, FHOGExtractor])
def test_too_small_batch_names_x_shape(Extractor):
    with pytest.raises(InvalidImageError) as info:
        Extractor().fit_transform(np.zeros((5, 4, 4, 3)))
    message = str(info.value)
    assert message.startswith("X: images of 4x4 pixels (X has shape (5, 4, 4, 3)) are smaller")
    assert "(1, 4, 4, 3)" not in message


def test_too_small_channel_first_list_item():
    faces = [np.zeros((3, 48, 48)), np.zeros((3, 8, 8))]
    message = re.escape("X[1]: images of 8x8 pixels (this one has shape (3, 8, 8)) are")
    with pytest.raises(InvalidImageError, match=message):
        HOGExtractor(channel_axis=0).fit_transform(faces)


def test_too_small_through_the_cache_says_image(tmp_path):
    paths = []
    for name, side in (("big.png", 48), ("small.png", 4)):
        Image.fromarray(RNG.integers(0, 255, (side, side), dtype=np.uint8)).save(tmp_path / name)
        paths.append(str(tmp_path / name))
    cache = FeatureCache(tmp_path / "cache")
    out = cache.features(paths, HOGExtractor(), progress=False)
    assert np.isnan(out[1]).all()
    assert np.isfinite(out[0]).all()
    (failure,) = cache.failures()
    assert failure["reason"].startswith(
        "image: images of 4x4 pixels (this one has shape (4, 4)) are smaller")
    assert "(1, 4, 4, 1)" not in failure["reason"]


def test_the_cache_refuses_an_out_of_range_channel_axis_before_reading(tmp_path):
    """FeatureCache read every file and stored each as failed, naming axis 6 (SL13 F4)."""
    import cv2

    from aufeat.cache import FeatureCache

    path = tmp_path / "a.png"
    cv2.imwrite(str(path), np.zeros((32, 32, 3), np.uint8))
    cache = FeatureCache(tmp_path / "cache")
    with pytest.raises(InvalidImageError, match="channel_axis=5 is not an axis of one image"):
        cache.features([str(path)], HOGExtractor(channel_axis=5), progress=False)
    assert cache.last_fill.n_failed == 0
