"""The slow references themselves agree with scikit-image and with codes worked out by hand.

The kernels are tested against these references (tests/features) and against
scikit-image (tests/reference); this checks the references on their own, so that a
kernel and a reference cannot agree on a shared mistake.
"""

import warnings

import numpy as np
import pytest
from skimage.feature import hog, local_binary_pattern
from skimage.filters import gabor, gabor_kernel

from tests.naive import gabor as naive_gabor
from tests.naive import hog as naive_hog
from tests.naive.lbp import naive_lbp

METHODS = ["default", "ror", "uniform", "nri_uniform", "var"]


def _one_pattern(bits):
    """A 3x3 image whose centre pixel sees ``bits`` (P=8, R=1)."""
    # neighbour k sits at (-sin(2 pi k / 8), cos(2 pi k / 8)): k=0 right, k=2 up, and the
    # odd k between two of them, where bilinear interpolation gives the diagonal pixel
    # weight 1/2 and each pixel beside it ~0.21: with pixels of +-1 around a 0 centre,
    # the diagonal pixel's sign decides the bit
    offsets = [(0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1), (1, 0), (1, 1)]
    image = np.zeros((3, 3))
    for (dr, dc), bit in zip(offsets, bits, strict=True):
        image[1 + dr, 1 + dc] = 1.0 if bit else -1.0
    assert naive_lbp(image, 8, 1, "default")[1, 1] == sum(b << k for k, b in enumerate(bits))
    return image


@pytest.mark.parametrize(("bits", "method", "code"), [
    ([0] * 8, "nri_uniform", 0),
    ([1] * 8, "nri_uniform", 57),  # P (P - 1) + 1
    ([1, 0, 0, 0, 0, 0, 0, 0], "nri_uniform", 1),  # one 1 at bit 0: no shift
    ([0, 1, 0, 0, 0, 0, 0, 0], "nri_uniform", 8),  # bit 0 shifted right 7 times is bit 1
    ([1, 1, 0, 0, 0, 0, 0, 0], "nri_uniform", 9),  # 1 + (2 - 1) 8 + 0
    ([1, 0, 0, 0, 0, 0, 0, 1], "nri_uniform", 10),  # bits 0, 1 shifted right once
    ([1, 0, 1, 0, 0, 0, 0, 0], "nri_uniform", 58),  # 4 transitions: non-uniform
    ([1, 0, 0, 0, 0, 0, 0, 1], "uniform", 2),  # 2 transitions around the circle
    ([1, 0, 1, 0, 0, 0, 0, 0], "uniform", 9),  # P + 1
    ([0, 1, 1, 0, 0, 0, 0, 0], "default", 6),
    ([0, 1, 1, 0, 0, 0, 0, 0], "ror", 3),
])
def test_lbp_codes_worked_out_by_hand(bits, method, code):
    assert naive_lbp(_one_pattern(bits), 8, 1, method)[1, 1] == code


def test_nri_uniform_gives_every_uniform_pattern_its_own_code():
    rng = np.random.default_rng(0)
    seen = {}
    for _ in range(3000):
        bits = list(rng.integers(0, 2, 8))
        code = naive_lbp(_one_pattern(bits), 8, 1, "nri_uniform")[1, 1]
        seen.setdefault(code, set()).add(tuple(bits))
    uniform = {c: p for c, p in seen.items() if c != 58}
    assert set(uniform) == set(range(58))  # all 58 uniform patterns drawn, codes 0..57
    assert all(len(p) == 1 for p in uniform.values())


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("p", "r"), [(8, 1), (4, 1.5), (6, 2.3)])
def test_lbp_reference_equals_skimage(method, p, r):
    rng = np.random.default_rng(11)
    for image in (rng.random((7, 8)), rng.integers(0, 3, size=(7, 8)).astype(np.uint8)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # skimage on float input
            expected = local_binary_pattern(image, p, r, method)
        ours = naive_lbp(image, p, r, method)
        np.testing.assert_array_equal(np.isnan(ours), np.isnan(expected))
        np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-12, equal_nan=True)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("orientations", "cell", "block", "norm"), [
    (9, (4, 4), (2, 2), "L2-Hys"), (7, (3, 5), (1, 2), "L1"), (6, (5, 4), (2, 1), "L2"),
    (8, (4, 4), (2, 2), "L1-sqrt")])
def test_hog_reference_equals_skimage(dtype, orientations, cell, block, norm):
    rng = np.random.default_rng(5)
    for image, axis in ((rng.random((20, 24)), None), (rng.random((20, 24, 3)), -1)):
        image = image.astype(dtype)
        expected = hog(image, orientations, cell, block, norm, channel_axis=axis)
        np.testing.assert_array_equal(naive_hog.hog(image, orientations, cell, block, norm),
                                      expected)


@pytest.mark.parametrize("mode", sorted(naive_gabor.PAD_MODES))
def test_gabor_convolution_reference_equals_skimage(mode):
    image = np.random.default_rng(2).random((17, 19))
    for frequency, theta in [(0.2, 0.3), (0.35, 1.2)]:
        real, imag = gabor(image, frequency, theta, mode=mode)
        ours = naive_gabor.convolve(image, gabor_kernel(frequency, theta), mode)
        np.testing.assert_allclose(ours.real, real, rtol=0, atol=1e-12)
        np.testing.assert_allclose(ours.imag, imag, rtol=0, atol=1e-12)
