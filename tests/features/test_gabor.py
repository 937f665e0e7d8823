"""extract_gabor / gabor_responses / gabor_kernel_bank: API, pooling, batching, errors."""

import tracemalloc
import warnings

import numpy as np
import pytest

from aufeat import AufeatWarning, InvalidImageError
from aufeat.features.gabor import (
    DEFAULT_FREQUENCIES,
    extract_gabor,
    gabor_kernel_bank,
    gabor_responses,
)
from tests.naive.gabor import block_mean, convolve, grid_pool

SMALL = {"frequencies": (0.15, 0.3), "orientations": 3}


@pytest.fixture(scope="module")
def faces(astronaut):
    from skimage.color import rgb2gray

    gray = rgb2gray(astronaut[80:180, 180:280])
    return np.stack([gray[i : i + 30, j : j + 26] for i, j in [(0, 0), (10, 40), (50, 20)]])


@pytest.mark.kernel
@pytest.mark.parametrize("mode", ["constant", "nearest", "reflect", "mirror", "wrap"])
@pytest.mark.parametrize("method", ["separable", "direct", "fft"])
def test_kernels_equal_naive_convolution(mode, method, rng):
    image = rng.random((7, 9))
    bank = gabor_kernel_bank([0.3, 0.45], thetas=[0.4], sigma_x=1.0, sigma_y=1.0, offset=0.2)
    bank2 = gabor_kernel_bank([0.3], thetas=[0.9], sigma_x=0.8, sigma_y=1.6)  # not separable
    for b in (bank, bank2):
        got = gabor_responses(image, b, mode=mode, cval=0.5, output="complex", method=method)
        for f in range(len(b)):
            expected = convolve(image, b.kernels[f], mode, cval=0.5)
            np.testing.assert_allclose(got[f], expected, rtol=0, atol=1e-12)


@pytest.mark.kernel
@pytest.mark.parametrize("shape", [(9, 11), (40, 31)])
def test_separable_paths_equal_naive(shape, rng):
    """Real column kernels (theta 0, y pass first), real row kernels (pi/2), twins;
    odd and even half sizes (taps go in pairs)."""
    image = rng.random(shape)
    parities = set()
    for freq, sigma in ((0.2, 2.81), (0.25, 2.5), (0.4, 1.4), (0.6, 0.6), (0.8, 0.7)):
        bank = gabor_kernel_bank([freq], thetas=[0, np.pi / 4, np.pi / 2, 3 * np.pi / 4],
                                 sigma_x=sigma, sigma_y=sigma, offset=0.3 * (freq > 0.5))
        parities |= {int(y0) % 2 for y0 in bank.half_sizes[:, 1]}
        got = gabor_responses(image, bank, output="complex", method="separable")
        for f in range(len(bank)):
            expected = convolve(image, bank.kernels[f], "reflect")
            np.testing.assert_allclose(got[f], expected, rtol=0, atol=1e-12)
    assert parities == {0, 1}


@pytest.mark.kernel
@pytest.mark.parametrize("pooling", ["grid", "downsample"])
def test_pooling_kernels_equal_naive(pooling, rng):
    images = rng.random((2, 11, 9))
    bank = gabor_kernel_bank([0.3], thetas=[0, 1.0], sigma_x=1.0, sigma_y=1.0)
    maps = gabor_responses(images, bank)
    got = extract_gabor(images, bank=bank, pooling=pooling, grid=(3, 2), downsample=4)
    for n in range(2):
        if pooling == "grid":
            expected = np.concatenate([grid_pool(m, (3, 2)) for m in maps[n]])
        else:
            expected = np.concatenate([block_mean(m, 4) for m in maps[n]])
        np.testing.assert_allclose(got[n], expected, rtol=1e-12, atol=1e-14)


@pytest.mark.kernel
def test_histogram_kernel_equals_numpy(rng):
    image = rng.random((6, 7))
    bank = gabor_kernel_bank([0.3], thetas=[0, 1.0], sigma_x=1.0, sigma_y=1.0)
    maps = gabor_responses(image, bank)
    hist, _ = np.histogram(maps.ravel(), bins=5)
    got = extract_gabor(image, bank=bank, pooling="histogram", bins=5)
    np.testing.assert_array_equal(got, hist / hist.sum())
    # a constant map: numpy's range min-0.5 .. max+0.5, everything in the middle bin
    const = extract_gabor(np.zeros((6, 7)), bank=bank, pooling="histogram", bins=5)
    np.testing.assert_array_equal(const, [0, 0, 1, 0, 0])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("method", ["direct", "fft", "auto"])
def test_histogram_of_a_blank_image_is_one_bin(method, dtype):
    """A blank image's magnitudes differ in their last bits on the FFT path: they were
    spread over 7 of 20 bins; they are one value, binned as NumPy bins a constant."""
    image = np.full((48, 48), 0.5, dtype)
    bank = gabor_kernel_bank([0.05], thetas=[0.7], sigma_x=6.0, sigma_y=15.0)
    got = extract_gabor(image, bank=bank, pooling="histogram", bins=20, method=method)
    magnitudes = gabor_responses(image, bank, method=method)
    hist, _ = np.histogram(np.full(10, magnitudes.min()), bins=20)
    np.testing.assert_array_equal(got, hist / hist.sum())


def test_shapes_and_dtypes(faces):
    n, h, w = faces.shape
    f = 2 * 3
    assert extract_gabor(faces, **SMALL).shape == (n, f * 4 * 4 * 2)
    assert extract_gabor(faces[0], **SMALL).shape == (f * 32,)
    assert extract_gabor(faces, **SMALL, pooling="downsample", downsample=4).shape == (
        n, f * 8 * 7)
    assert extract_gabor(faces, **SMALL, pooling="histogram", bins=7).shape == (n, 7)
    assert extract_gabor(faces, **SMALL, pooling="none").shape == (n, f, h, w)
    assert extract_gabor(faces[0], **SMALL, pooling="none").shape == (f, h, w)
    assert extract_gabor(faces.astype(np.float32), **SMALL).dtype == np.float32
    assert extract_gabor((faces * 255).astype(np.uint8), **SMALL).dtype == np.float64
    bank = gabor_kernel_bank(**SMALL)
    assert gabor_responses(faces.astype(np.float32), bank, output="complex").dtype == np.complex64


def test_default_bank_does_not_warn(faces):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        feats = extract_gabor(faces)
    assert feats.shape == (3, len(DEFAULT_FREQUENCIES) * 8 * 32)
    assert max(DEFAULT_FREQUENCIES) <= 0.5


def test_aliasing_frequency_warns():
    with pytest.warns(AufeatWarning, match=r"0\.5 cycles/pixel"):
        gabor_kernel_bank([0.2, 0.8], orientations=4)


def test_grid_and_downsample_equal_numpy_on_maps(faces):
    bank = gabor_kernel_bank(**SMALL)
    maps = gabor_responses(faces, bank)
    grid = extract_gabor(faces, bank=bank, grid=(3, 4))
    down = extract_gabor(faces, bank=bank, pooling="downsample", downsample=5)
    for n in range(len(faces)):
        np.testing.assert_allclose(
            grid[n], np.concatenate([grid_pool(m, (3, 4)) for m in maps[n]]), rtol=1e-10)
        np.testing.assert_allclose(
            down[n], np.concatenate([block_mean(m, 5) for m in maps[n]]), rtol=1e-10)


def test_batch_results_bit_identical_to_single_images(faces):
    batch = np.concatenate([faces] * 12)  # 36 images: the parallel kernel runs
    for pooling in ("grid", "histogram"):
        together = extract_gabor(batch, **SMALL, pooling=pooling)
        for n in (0, 1, 2, 35):
            np.testing.assert_array_equal(together[n], extract_gabor(batch[n], **SMALL,
                                                                     pooling=pooling))
    maps = gabor_responses(batch, gabor_kernel_bank(**SMALL), output="complex")
    np.testing.assert_array_equal(maps[4], gabor_responses(batch[4], gabor_kernel_bank(**SMALL),
                                                           output="complex"))


def test_colour_is_converted_to_gray(astronaut):
    from skimage.color import rgb2gray

    crop = astronaut[100:140, 200:236]
    np.testing.assert_allclose(extract_gabor(crop, **SMALL), extract_gabor(rgb2gray(crop),
                                                                            **SMALL), rtol=1e-12)
    moved = np.moveaxis(crop, -1, 0)
    np.testing.assert_array_equal(extract_gabor(moved, **SMALL, channel_axis=0),
                                  extract_gabor(crop, **SMALL))


def test_bank_is_reused_and_readonly():
    bank = gabor_kernel_bank([0.1, 0.2], orientations=4)
    assert gabor_kernel_bank([0.1, 0.2], orientations=4) is bank
    assert len(bank) == 8
    np.testing.assert_allclose(bank.thetas[:4], np.arange(4) * np.pi / 4)
    with pytest.raises(ValueError, match="read-only"):
        bank.kernels[0][0, 0] = 1
    assert "8 filters" in repr(bank)


def test_memory_is_bounded_for_pooled_batches(rng):
    """Pooled features of 300 images never hold the (N, F, H, W) maps (~190 MB here)."""
    images = rng.random((300, 64, 64))
    bank = gabor_kernel_bank([0.2, 0.4], orientations=4)
    extract_gabor(images[:40], bank=bank, pooling="histogram")  # compile (parallel) first
    tracemalloc.start()
    for pooling in ("grid", "downsample", "histogram"):
        extract_gabor(images, bank=bank, pooling=pooling)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    full = images.shape[0] * len(bank) * 64 * 64 * 8
    assert peak < full / 10


def test_chunks_bound_fft_scratch():
    from aufeat.features._gabor_fft import CHUNK_BYTES, chunk_size

    assert chunk_size(10_000, 256, 256, 8, 2 * 8) * 2 * 8 * 256 * 256 * 8 <= CHUNK_BYTES
    assert chunk_size(3, 16, 16, 8, 1) == 3
    assert chunk_size(5, 4096, 4096, 8, 100) == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"pooling": "max"}, ValueError, "pooling"),
        ({"pooling": ["grid"]}, ValueError, r"pooling=\['grid'\] is not supported; use one of"),
        ({"mode": ["reflect"]}, ValueError, r"mode=\['reflect'\] is not supported; use one of"),
        ({"method": ["auto"]}, ValueError, "method"),
        ({"grid": (0, 4)}, ValueError, "grid"),
        ({"grid": (40, 4)}, InvalidImageError, "coarser grid"),
        ({"mode": "constant", "cval": np.nan}, ValueError, "cval"),
        ({"mode": "constant", "cval": "white"}, TypeError, "cval"),
        ({"downsample": 0}, ValueError, "downsample"),
        ({"bins": 0}, ValueError, "bins"),
        ({"mode": "symmetric"}, ValueError, "mode"),
        ({"method": "winograd"}, ValueError, "method"),
        ({"frequencies": [0.0]}, ValueError, "frequencies"),
        ({"frequencies": [np.nan]}, ValueError, "frequencies"),
        ({"orientations": 0}, ValueError, "orientations"),
        ({"bandwidth": -1}, ValueError, "bandwidth"),
        ({"bank": gabor_kernel_bank([0.1]), "frequencies": [0.2]}, ValueError, "not both"),
        ({"bank": gabor_kernel_bank([0.1]), "orientations": 4}, ValueError, "not both"),
        # a value equal to the default is still a second source of the bank's filters
        ({"bank": gabor_kernel_bank([0.1]), "orientations": 8}, ValueError, "not both"),
        ({"bank": gabor_kernel_bank([0.1]), "bandwidth": 1.0}, ValueError, "not both"),
    ],
)
def test_bad_arguments(faces, kwargs, error, match):
    with pytest.raises(error, match=match):
        extract_gabor(faces[0], **kwargs)


def test_cval_is_in_the_image_s_units(rng):
    from skimage.filters import gabor

    image = rng.integers(0, 256, (24, 24), dtype=np.uint8)
    bank = gabor_kernel_bank([0.2], thetas=[0.0])
    got = gabor_responses(image, bank, mode="constant", cval=255, output="real")[0]
    want = gabor(image / 255.0, 0.2, 0.0, mode="constant", cval=1.0)[0]  # white both times
    np.testing.assert_allclose(got, want, atol=1e-12)
    floats = gabor_responses(image / 255.0, bank, mode="constant", cval=1.0, output="real")[0]
    np.testing.assert_allclose(got, floats, atol=1e-12)


def test_bad_images_and_bank():
    bank = gabor_kernel_bank([0.1])
    with pytest.raises(InvalidImageError):
        extract_gabor(np.zeros((0, 5)))
    with pytest.raises(InvalidImageError):
        gabor_responses(np.full((5, 5), np.nan), bank)
    with pytest.raises(TypeError, match="GaborBank"):
        gabor_responses(np.zeros((5, 5)), [np.ones((3, 3))])
    with pytest.raises(ValueError, match="output"):
        gabor_responses(np.zeros((5, 5)), bank, output="phase")
    with pytest.raises(ValueError, match="dtype"):
        gabor_kernel_bank([0.1], dtype=np.float64)
    with pytest.raises(ValueError, match=r"dtype must be numpy\.complex64 or numpy\.complex128"):
        gabor_kernel_bank([0.1], dtype="complx")  # was TypeError: not understood
    for offset in ("0.5", [0, 1], np.nan, None):
        with pytest.raises(ValueError, match="offset must be a finite real number"):
            gabor_kernel_bank([0.1], offset=offset)
    assert gabor_kernel_bank([0.1], offset=np.float32(0.5)).offset == 0.5
    with pytest.raises(ValueError, match="sigma_x"):
        gabor_kernel_bank([0.1], sigma_x=0)
    for orientations in (0, 2.5, True):  # True was one orientation
        with pytest.raises(ValueError, match="orientations must be a positive integer"):
            gabor_kernel_bank([0.1], orientations=orientations)


def test_a_list_mixing_dtypes_scales_each_image_by_its_own(rng):
    # np.asarray([uint8, float]) made the uint8 image 0-255 floats: its row was 255x too large
    u8, f = (rng.random((32, 32)) * 255).astype(np.uint8), rng.random((32, 32))
    params = {"frequencies": (0.2, 0.3), "orientations": 2, "grid": (2, 2)}
    mixed = extract_gabor([u8, f], **params)
    np.testing.assert_allclose(mixed[0], extract_gabor(u8, **params), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(mixed[0], extract_gabor(u8 / 255.0, **params), rtol=1e-12)
    np.testing.assert_allclose(mixed[1], extract_gabor(f, **params), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("pooling", ["grid", "none"])
def test_cval_of_a_list_mixing_dtypes_is_scaled_per_image(rng, pooling):
    # cval was scaled by np.asarray(list).dtype (float64): the uint8 image, already / 255,
    # was padded with 255 instead of 1
    u8, f = (rng.random((24, 24)) * 255).astype(np.uint8), rng.random((24, 24))
    params = {"frequencies": (0.2,), "thetas": (0.0,), "grid": (2, 2), "pooling": pooling,
              "mode": "constant", "cval": 255}
    mixed = extract_gabor([u8, f], **params)
    np.testing.assert_allclose(mixed[0], extract_gabor(u8, **params), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(mixed[1], extract_gabor(f, **params), rtol=1e-12, atol=1e-15)
    alone = extract_gabor(u8 / 255.0, **{**params, "cval": 1.0})  # white both times
    np.testing.assert_allclose(mixed[0], alone, rtol=1e-12, atol=1e-15)


def test_cval_of_one_image_assembled_from_parts_of_several_dtypes_is_refused(rng):
    rows = [(rng.random(24) * 255).astype(np.uint8), rng.random(24)]  # one 2x24 image
    with pytest.raises(ValueError, match="parts of several dtypes"):
        extract_gabor(rows, frequencies=(0.2,), orientations=1, grid=(1, 1), mode="constant",
                      cval=255)
    assert extract_gabor(rows, frequencies=(0.2,), orientations=1, grid=(1, 1)).shape == (2,)


@pytest.mark.parametrize("kwargs", [{"pooling": "histogram", "bins": True},
                                    {"pooling": "downsample", "downsample": True},
                                    {"grid": (True, 2)}, {"grid": np.bool_(True)},
                                    {"bandwidth": True}, {"frequencies": [True]},
                                    {"frequencies": [0.2, True]}, {"bandwidth": np.bool_(True)}])
def test_bools_are_not_numbers_for_gabor(kwargs, rng):
    # bins=True gave the constant feature 1; the other bools were read as 1 too
    with pytest.raises(ValueError, match=r"True"):
        extract_gabor(rng.random((16, 16)), **kwargs)


@pytest.mark.parametrize(("kwargs", "match"),
                         [({"bandwidth": 1e-17}, "bandwidth=1e-17"),
                          ({"bandwidth": 2000.0}, "bandwidth=2000"),
                          ({"sigma_x": 1e-200, "sigma_y": 1.0}, "sigma"),
                          ({"sigma_x": 1e-200, "sigma_y": 1e-200}, "sigma"),
                          ({"frequencies": [1e300]}, "sigma")])
def test_extreme_bank_parameters_are_value_errors(kwargs, match):
    # ZeroDivisionError / OverflowError came out of the sigma and kernel arithmetic
    kwargs = {"frequencies": [0.2], **kwargs}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AufeatWarning)  # frequencies above 0.5 alias
        with pytest.raises(ValueError, match=match):
            gabor_kernel_bank(kwargs.pop("frequencies"), **kwargs)


def test_bandwidth_is_ignored_when_both_sigmas_are_given():
    bank = gabor_kernel_bank([0.2], orientations=2, sigma_x=2.0, sigma_y=3.0, bandwidth=None)
    same = gabor_kernel_bank([0.2], orientations=2, sigma_x=2.0, sigma_y=3.0)
    assert all(np.array_equal(a, b) for a, b in zip(bank.kernels, same.kernels, strict=True))
    with pytest.raises(ValueError, match="bandwidth"):
        gabor_kernel_bank([0.2], sigma_x=2.0, bandwidth=None)
