"""Properties of the Gabor bank that hold for any image: linearity, shifts, constants."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from aufeat.features.gabor import extract_gabor, gabor_kernel_bank, gabor_responses

BANK = gabor_kernel_bank([0.12, 0.3], thetas=[0, 0.6, 2.0])
STRETCHED = gabor_kernel_bank([0.3], thetas=[0.6], sigma_x=1.2, sigma_y=2.5)
images = arrays(np.float64, st.tuples(st.integers(3, 17), st.integers(3, 17)),
                elements=st.floats(0, 1))
methods = st.sampled_from(["auto", "separable", "direct", "fft"])


@settings(max_examples=25, deadline=None)
@given(images, st.floats(-2, 2), methods)
def test_linear(image, scale, method):
    other = image[::-1, ::-1].copy()
    combined = gabor_responses(scale * image + other, BANK, output="complex", method=method)
    separate = (scale * gabor_responses(image, BANK, output="complex", method=method)
                + gabor_responses(other, BANK, output="complex", method=method))
    np.testing.assert_allclose(combined, separate, rtol=0, atol=1e-11)


@settings(max_examples=25, deadline=None)
@given(images, st.integers(-20, 20), st.integers(-20, 20), methods)
def test_wrap_mode_commutes_with_circular_shifts(image, dy, dx, method):
    for bank in (BANK, STRETCHED):
        shifted = gabor_responses(np.roll(image, (dy, dx), axis=(0, 1)), bank, mode="wrap",
                                  output="complex", method=method)
        rolled = np.roll(gabor_responses(image, bank, mode="wrap", output="complex",
                                         method=method), (dy, dx), axis=(1, 2))
        np.testing.assert_allclose(shifted, rolled, rtol=0, atol=1e-12)


@settings(max_examples=15, deadline=None)
@given(st.floats(-3, 3), st.integers(2, 12), st.integers(2, 12),
       st.sampled_from(["nearest", "reflect", "mirror", "wrap"]))
def test_constant_image_gives_kernel_sum(value, h, w, mode):
    maps = gabor_responses(np.full((h, w), value), BANK, mode=mode, output="complex")
    for f, kernel in enumerate(BANK.kernels):
        np.testing.assert_allclose(maps[f], value * kernel.sum(), rtol=0, atol=1e-12)


@settings(max_examples=15, deadline=None)
@given(images)
def test_float32_agrees_with_float64(image):
    wide = extract_gabor(image, bank=BANK, grid=(2, 2))
    narrow = extract_gabor(image.astype(np.float32), bank=BANK, grid=(2, 2))
    assert narrow.dtype == np.float32
    np.testing.assert_allclose(narrow, wide, rtol=0, atol=1e-5)


@settings(max_examples=15, deadline=None)
@given(images, st.integers(1, 6))
def test_histogram_sums_to_one_and_downsample_keeps_mean(image, factor):
    hist = extract_gabor(image, bank=BANK, pooling="histogram")
    assert abs(hist.sum() - 1) < 1e-12
    assert (hist >= 0).all()
    down = extract_gabor(image, bank=BANK, pooling="downsample", downsample=factor)
    maps = gabor_responses(image, BANK)
    if image.shape[0] % factor == 0 and image.shape[1] % factor == 0:
        np.testing.assert_allclose(down.reshape(len(BANK), -1).mean(axis=1),
                                   maps.mean(axis=(1, 2)), rtol=1e-10, atol=1e-14)
