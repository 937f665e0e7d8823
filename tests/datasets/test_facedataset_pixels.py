"""FaceDataset.load_images on in-memory pixels of other dtypes: resized as aufeat reads them,
and images of several dtypes scaled each by its own dtype's rule."""

import numpy as np
import pytest

from aufeat import InvalidImageError
from aufeat.datasets import FaceDataset


def _pixels(n=3, shape=(48, 48)):
    return np.random.default_rng(0).integers(0, 256, (n, *shape))  # int64, as parsed FER pixels


@pytest.mark.parametrize("size", [24, None])
def test_int64_pixels_are_read_as_8_bits_and_resized(size):
    pix = _pixels()
    images = pix if size else [pix[0], pix[1][:40], pix[2]]  # mixed sizes: resized to 48x48
    got = FaceDataset(images=images, subject=["a", "b", "c"]).load_images(size=size)
    as_bytes = [p.astype(np.uint8) for p in images]
    want = FaceDataset(images=as_bytes, subject=["a", "b", "c"]).load_images(size=size)
    assert got.dtype == np.uint8
    np.testing.assert_array_equal(got, want)


def test_float16_pixels_are_resized_as_float32():
    small = np.random.default_rng(1).random((2, 8, 8))
    images = [small[0].astype(np.float16), np.zeros((4, 4), np.float16),
              small[1].astype(np.float16)]
    got = FaceDataset(images=images, subject=["a", "b", "c"]).load_images()
    want = FaceDataset(images=[im.astype(np.float32) for im in images],
                       subject=["a", "b", "c"]).load_images()
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, want)


def test_integers_outside_0_255_are_refused_with_the_rule():
    images = _pixels() * 300
    with pytest.raises(InvalidImageError, match="must lie in 0-255"):
        FaceDataset(images=images, subject=["a", "b", "c"]).load_images(size=24)


@pytest.mark.parametrize("size", [None, 6])
def test_images_of_several_dtypes_are_each_scaled_by_their_own_rule(size):
    grey = np.full((4, 4), 200, np.uint8)
    ds = FaceDataset(images=[grey, np.full((4, 4), 200 / 255, np.float32),
                             (grey.astype(np.uint16) * 257)], subject=["a", "b", "c"])
    got = ds.load_images(size=size)
    assert got.dtype.kind == "f"
    np.testing.assert_allclose(got, 200 / 255, rtol=1e-6)
