"""An image with other than 1, 3 or 4 channels: the message names the caller's channel_axis
and shape (not "set channel_axis" to a user who set it, nor the shape of fit's first image)."""
import numpy as np
import pytest

from aufeat import extract_hog, extract_lbp
from aufeat.estimators import GaborExtractor, HOGExtractor, LBPExtractor
from aufeat.exceptions import InvalidImageError
from aufeat.features.gabor import extract_gabor

FUNCTIONS = [extract_hog, extract_lbp, extract_gabor]


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize(("shape", "axis", "count"), [((2, 24, 24), 0, 2), ((24, 24, 5), -1, 5),
                                                     ((4, 2, 24, 24), 1, 2)])
def test_function_names_the_channel_axis_given(function, shape, axis, count):
    image = np.random.default_rng(0).random(shape)
    with pytest.raises(InvalidImageError) as info:
        function(image, channel_axis=axis)
    message = str(info.value)
    assert f"channel_axis={axis}" in message
    assert f"{count} channels" in message
    assert str(shape) in message
    assert "set channel_axis" not in message
    assert "1, 3 or 4" in message


@pytest.mark.parametrize("function", FUNCTIONS)
def test_without_channel_axis_the_hint_stays(function):
    with pytest.raises(InvalidImageError, match=r"5 channels.*set channel_axis"):
        function(np.random.default_rng(0).random((3, 24, 24, 5)))


@pytest.mark.parametrize("extractor", [HOGExtractor, LBPExtractor, GaborExtractor])
@pytest.mark.parametrize("call", ["fit_transform", "transform"])
def test_extractor_names_the_callers_batch(extractor, call):
    X = np.random.default_rng(1).random((3, 2, 24, 24))
    with pytest.raises(InvalidImageError) as info:
        getattr(extractor(channel_axis=0), call)(X)
    message = str(info.value)
    assert "(3, 2, 24, 24)" in message
    assert "channel_axis=0" in message
    assert "2 channels" in message
    assert "set channel_axis" not in message


@pytest.mark.parametrize("extractor", [HOGExtractor, LBPExtractor, GaborExtractor])
def test_extractor_names_the_callers_image_in_a_list(extractor):
    rng = np.random.default_rng(2)
    images = [rng.random((3, 24, 24)), rng.random((2, 24, 24))]
    with pytest.raises(InvalidImageError) as info:
        extractor(channel_axis=0).fit_transform(images)
    message = str(info.value)
    assert "X[1]" in message
    assert "(2, 24, 24)" in message
    assert "channel_axis=0" in message


def test_extractor_without_channel_axis_names_the_callers_batch():
    X = np.random.default_rng(3).random((3, 24, 24, 5))
    with pytest.raises(InvalidImageError, match=r"\(3, 24, 24, 5\).*5 channels"):
        HOGExtractor().fit_transform(X)


def test_accepted_channel_counts_unchanged():
    rng = np.random.default_rng(4)
    X = rng.random((2, 3, 24, 24))
    np.testing.assert_array_equal(HOGExtractor(channel_axis=0).fit_transform(X),
                                  extract_hog(np.moveaxis(X, 1, -1)))
