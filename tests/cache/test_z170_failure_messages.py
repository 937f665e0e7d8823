"""Failure messages of a fill: one full stop after a reason, and one image named as one."""

import cv2
import numpy as np
import pytest

from aufeat.cache import FeatureCache, FeatureExtractionError
from aufeat.cache.errors import AllImagesFailedError
from aufeat.estimators import HOGExtractor


def test_a_reason_ending_in_a_full_stop_gets_no_second(tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG but not really")  # its reason ends in '.'
    assert cv2.imwrite(str(tmp_path / "good.png"),
                       np.random.default_rng(0).integers(0, 256, (32, 32), dtype=np.uint8))
    cache = FeatureCache(tmp_path / "cache")
    with pytest.raises(FeatureExtractionError) as info:
        cache.features([str(tmp_path / "good.png"), str(bad)], HOGExtractor(), progress=False,
                       on_error="raise")
    assert "1 of 2 images failed" in str(info.value)
    assert ".." not in str(info.value)


def test_one_image_that_failed_is_not_all_1_images(tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"not an image")
    with pytest.raises(AllImagesFailedError, match=r"^the one image failed, none could be"):
        FeatureCache(tmp_path / "cache").features([str(bad)], HOGExtractor(), progress=False)
