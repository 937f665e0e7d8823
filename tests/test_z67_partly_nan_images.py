"""A partly NaN image among many: the message names its index and the caller's shape."""
import numpy as np
import pytest

from aufeat import extract_hog
from aufeat.estimators import FHOGExtractor, GaborExtractor, HOGExtractor, LBPExtractor
from aufeat.exceptions import InvalidImageError

EXTRACTORS = [HOGExtractor, LBPExtractor, GaborExtractor, FHOGExtractor]


@pytest.fixture
def X():
    X = np.random.default_rng(0).random((40, 24, 24))
    X[17, 3, 3] = np.nan
    return X


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("as_list", [False, True])
def test_extractor_names_the_image(X, extractor, as_list):
    with pytest.raises(InvalidImageError) as info:
        extractor().fit_transform(list(X) if as_list else X)
    message = str(info.value)
    assert "X[17]" in message
    assert "1 of 576" in message
    assert "(24, 24)" in message
    assert "entirely NaN" in message
    if not as_list:
        assert "(40, 24, 24)" in message
    assert "(40, 24, 24, 1)" not in message


def test_fit_names_the_first_image_and_the_batch(X):
    X[0, 5] = np.inf
    with pytest.raises(InvalidImageError) as info:
        HOGExtractor().fit(X)
    assert "X[0]" in str(info.value)
    assert "24 of 576" in str(info.value)
    assert "(40, 24, 24)" in str(info.value)


def test_colour_image_with_one_channel_nan():
    X = np.random.default_rng(1).random((3, 24, 24, 3))
    X[2, ..., 0] = np.nan
    with pytest.raises(InvalidImageError, match=r"X\[2\].*576 of 1728"):
        HOGExtractor().fit_transform(X)


def test_entirely_nan_images_still_give_nan_rows(X):
    X[17] = np.nan
    out = HOGExtractor().fit_transform(X)
    assert np.isnan(out[17]).all()
    assert np.isfinite(np.delete(out, 17, axis=0)).all()


def test_function_names_the_image(X):
    with pytest.raises(InvalidImageError) as info:
        extract_hog(X)
    message = str(info.value)
    assert "image[17]" in message
    assert "(40, 24, 24)" in message
