"""Lists of images given to the feature functions (not the extractor classes)."""

import pytest

from aufeat import InvalidImageError, extract_gabor, extract_hog, extract_lbp
from aufeat.estimators import GaborExtractor, LBPExtractor

GABOR = {"frequencies": (0.2,), "orientations": 2}


@pytest.fixture
def sizes(rng):
    return [rng.random((48, 48)), rng.random((52, 50))]


@pytest.mark.parametrize("extract", [
    lambda x: extract_lbp(x, grid=(3, 3)),
    lambda x: extract_gabor(x, **GABOR),
    lambda x: extract_gabor(x, **GABOR, mode="constant", cval=0.5),
    extract_hog,
], ids=["lbp", "gabor", "gabor-cval", "hog"])
def test_images_of_different_sizes_raise_invalid_image_error(sizes, extract):
    with pytest.raises(InvalidImageError, match=r"\(48, 48\).*\(52, 50\).*LBPExtractor"):
        extract(sizes)


def test_the_extractor_classes_named_in_the_message_take_such_lists(sizes):
    # what the message promises: one row per image where the length does not depend on size
    assert LBPExtractor(grid=(3, 3)).transform(sizes).shape == (2, 9 * 59)
    assert GaborExtractor(**GABOR, grid=(2, 2)).transform(sizes).shape == (2, 2 * 4 * 2)
