"""extract_fhog against the slow features.cc reference in tests/naive/fhog.py."""

import numpy as np
import pytest

from aufeat import InvalidImageError
from aufeat.features.fhog import extract_fhog
from tests.naive.fhog import fhog_reference

SIZES = [(48, 48), (50, 61), (96, 96), (17, 33)]
CELL_SIZES = [4, 6, 8]


@pytest.mark.parametrize("cell_size", CELL_SIZES)
@pytest.mark.parametrize("shape", SIZES)
def test_matches_reference_on_random_images(shape, cell_size):
    rng = np.random.default_rng(2010 + shape[0] * 100 + shape[1] + cell_size)
    image = rng.random(shape)
    np.testing.assert_allclose(extract_fhog(image, cell_size=cell_size),
                               fhog_reference(image, cell_size).ravel(), rtol=0, atol=1e-10)


@pytest.mark.parametrize("cell_size", CELL_SIZES)
def test_matches_reference_on_integer_images(cell_size):
    # integer grey levels make exact ties between orientation bins (e.g. dx == 0);
    # features.cc keeps the first of tied bins
    rng = np.random.default_rng(31)
    image = rng.integers(0, 4, size=(40, 37)).astype(np.float64)
    np.testing.assert_allclose(extract_fhog(image, cell_size=cell_size),
                               fhog_reference(image, cell_size).ravel(), rtol=0, atol=1e-10)


def test_batch_equals_stacked_single_images():
    rng = np.random.default_rng(5)
    batch = rng.random((3, 50, 61))
    expected = np.stack([extract_fhog(image, cell_size=6) for image in batch])
    got = extract_fhog(batch, cell_size=6)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-10)
    np.testing.assert_allclose(got[1], fhog_reference(batch[1], 6).ravel(), rtol=0, atol=1e-10)


def test_output_length():
    # round(50 / 4) = 13 (half away from zero), round(61 / 4) = 15
    image = np.random.default_rng(0).random((50, 61))
    assert fhog_reference(image, 4).shape == (11, 13, 31)
    assert extract_fhog(image, cell_size=4).shape == (11 * 13 * 31,)


def test_constant_image_has_no_orientation_energy():
    image = np.full((48, 56), 0.7)
    feat = extract_fhog(image, cell_size=8).reshape(4, 5, 31)
    np.testing.assert_array_equal(feat[..., :27], 0.0)
    np.testing.assert_allclose(feat, fhog_reference(image, 8), rtol=0, atol=1e-10)


def test_image_smaller_than_3x3_names_the_reason_once():
    with pytest.raises(InvalidImageError, match=r"minimum 3x3 \(central differences; FHOG gives "
                                                r"features from 20x20 on: 3 cells a side of "
                                                r"cell_size=8\); use larger images\.$"):
        extract_fhog(np.zeros((2, 2)))


def test_too_small_image_gives_empty_vector():
    image = np.random.default_rng(1).random((10, 10))
    assert fhog_reference(image, 8).shape == (0, 0, 31)
    assert extract_fhog(image, cell_size=8).shape == (0,)
    assert extract_fhog(np.stack([image, image]), cell_size=8).shape == (2, 0)


def test_horizontal_ramp_votes_only_orientation_zero():
    # I[y, x] = x: dx = 2, dy = 0 at every pixel, so every vote goes to bin 0 (0 degrees)
    image = np.tile(np.arange(64.0), (48, 1))
    ref = fhog_reference(image, 8)
    feat = extract_fhog(image, cell_size=8).reshape(ref.shape)
    np.testing.assert_allclose(feat, ref, rtol=0, atol=1e-10)
    assert np.all(feat[..., 0] > 0)
    np.testing.assert_array_equal(feat[..., 1:18], 0.0)
    assert np.all(feat[..., 18] > 0)
    np.testing.assert_array_equal(feat[..., 19:27], 0.0)
    # the contrast-insensitive bin 0 sums sensitive bins 0 and 9: the same value here
    np.testing.assert_allclose(feat[..., 18], feat[..., 0], rtol=0, atol=1e-12)


def test_reversed_and_vertical_ramps():
    # a decreasing ramp points the other way (bin 9); a vertical one ties bins 4 and 5
    # (vv[4] == vv[5]) and features.cc keeps the first, bin 4
    falling = np.tile(np.arange(64.0)[::-1], (48, 1))
    feat = extract_fhog(falling, cell_size=8).reshape(4, 6, 31)
    nonzero = np.flatnonzero(np.any(feat[..., :18] != 0, axis=(0, 1)))
    np.testing.assert_array_equal(nonzero, [9])

    vertical = np.tile(np.arange(48.0)[:, None], (1, 64))
    feat = extract_fhog(vertical, cell_size=8).reshape(4, 6, 31)
    nonzero = np.flatnonzero(np.any(feat[..., :18] != 0, axis=(0, 1)))
    np.testing.assert_array_equal(nonzero, [4])
    np.testing.assert_allclose(feat, fhog_reference(vertical, 8), rtol=0, atol=1e-10)


def test_orientation_channels_are_half_the_sum_of_four_truncated_values():
    image = np.zeros((48, 48))
    image[:, 24:] = 1.0  # one vertical edge: strong votes, truncated at 0.2 four times
    feat = extract_fhog(image, cell_size=8).reshape(4, 4, 31)
    assert 0.2 < feat[..., :27].max() <= 0.4  # half the sum (features.cc), not a mean
    np.testing.assert_allclose(feat, fhog_reference(image, 8), rtol=0, atol=1e-10)
