"""lbp_codes / extract_lbp against scikit-image's local_binary_pattern (0.26).

Codes must be identical (np.array_equal) for every comparison method; 'var' must
agree to 1e-9 (it is in fact bit-identical) with NaN at the same pixels.
Histogram features are compared with a vectorised NumPy transcription: np.bincount
per cell on skimage's codes.
"""

import warnings

import numpy as np
import pytest
from skimage.color import rgb2gray
from skimage.feature import local_binary_pattern

from aufeat import extract_lbp, lbp_codes

METHODS = ["default", "ror", "uniform", "nri_uniform", "var"]
SCALES = [(8, 1), (16, 2), (24, 3), (4, 1.5)]


def sk_lbp(image, p, r, method):
    with warnings.catch_warnings():  # skimage warns about float input; that is the point
        warnings.simplefilter("ignore", UserWarning)
        return local_binary_pattern(image, p, r, method)


def assert_same_codes(ours, ref, method):
    assert ours.dtype == np.float64
    assert ours.shape == ref.shape
    if method == "var":
        np.testing.assert_array_equal(np.isnan(ours), np.isnan(ref))
        np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-9, equal_nan=True)
    else:
        mismatches = int(np.sum(ours != ref))
        assert mismatches == 0, f"{mismatches} of {ref.size} codes differ"


def _images():
    rng = np.random.default_rng(2024)
    from skimage import data

    return {
        "float": rng.random((31, 37)),
        "ints0to3": rng.integers(0, 4, size=(33, 29)).astype(np.uint8),
        "const_float": np.full((12, 14), 0.3),
        "const_uint8": np.full((12, 14), 7, dtype=np.uint8),
        "camera": data.camera()[200:264, 220:284],
        "astronaut_gray": rgb2gray(data.astronaut())[60:124, 180:244],
    }


IMAGES = _images()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("p", "r"), SCALES)
@pytest.mark.parametrize("name", sorted(IMAGES))
def test_codes_equal_skimage(name, p, r, method):
    image = IMAGES[name]
    assert_same_codes(lbp_codes(image, n_points=p, radius=r, method=method),
                      sk_lbp(image, p, r, method), method)


@pytest.mark.parametrize("dtype", [np.float32, np.uint16, np.int16, bool])
def test_codes_equal_skimage_for_other_dtypes(dtype, rng):
    scale = 1 if dtype is np.float32 else 3  # floats in [0, 1), integers 0..2
    image = (rng.random((24, 26)) * scale).astype(dtype)
    for method in METHODS:
        assert_same_codes(lbp_codes(image, n_points=8, radius=1.5, method=method),
                          sk_lbp(image, 8, 1.5, method), method)


def test_integer_images_are_not_rescaled(camera):
    """The dtype rule: integer pixels are compared as they are, like skimage does."""
    crop = camera[100:140, 300:340]
    raw = lbp_codes(crop, n_points=8, radius=2.5, method="nri_uniform")
    np.testing.assert_array_equal(raw, lbp_codes(crop.astype(np.float64), n_points=8,
                                                 radius=2.5, method="nri_uniform"))
    np.testing.assert_array_equal(raw, sk_lbp(crop, 8, 2.5, "nri_uniform"))


def test_batch_equals_skimage_per_image(camera):
    batch = np.stack([camera[i * 40:i * 40 + 48, 100:148] for i in range(6)])
    ours = lbp_codes(batch, n_points=16, radius=2, method="uniform")
    for image, codes in zip(batch, ours, strict=True):
        assert_same_codes(codes, sk_lbp(image, 16, 2, "uniform"), "uniform")


def test_colour_is_converted_like_rgb2gray(astronaut):
    crop = astronaut[40:104, 200:264]
    ours = lbp_codes(crop, method="nri_uniform")
    assert_same_codes(ours, sk_lbp(rgb2gray(crop), 8, 1, "nri_uniform"), "nri_uniform")
    moved = np.moveaxis(crop, -1, 0)
    np.testing.assert_array_equal(lbp_codes(moved, method="nri_uniform", channel_axis=0), ours)


# ---------------------------------------------------------------- histogram features
N_BINS = {"default": lambda p: 2 ** p, "ror": lambda p: 2 ** p,
          "uniform": lambda p: p + 2, "nri_uniform": lambda p: p * (p - 1) + 3}


def numpy_lbp_histograms(image, p, r, method, row_edges, col_edges, normalize):
    """Vectorised reference: skimage codes, one np.bincount over (cell, code) pairs."""
    codes = sk_lbp(image, p, r, method).astype(np.intp)
    n_bins = N_BINS[method](p)
    rows = np.searchsorted(row_edges, np.arange(image.shape[0]), side="right") - 1
    cols = np.searchsorted(col_edges, np.arange(image.shape[1]), side="right") - 1
    keep_r = rows < len(row_edges) - 1
    keep_c = cols < len(col_edges) - 1
    n_cc = len(col_edges) - 1
    cell = rows[keep_r][:, None] * n_cc + cols[keep_c][None, :]
    n_cells = (len(row_edges) - 1) * n_cc
    flat = (cell * n_bins + codes[np.ix_(keep_r, keep_c)]).ravel()
    h = np.bincount(flat, minlength=n_cells * n_bins).reshape(n_cells, n_bins).astype(float)
    if normalize == "l1":
        h = h / h.sum(axis=1, keepdims=True)
    elif normalize == "l2":
        h = h / np.sqrt((h ** 2).sum(axis=1, keepdims=True))
    return h.ravel()


def grid_edges(size, n):
    return np.arange(n + 1) * size // n


@pytest.mark.parametrize(("method", "p", "r"), [
    ("nri_uniform", 8, 1), ("uniform", 16, 2), ("ror", 8, 1.5), ("default", 4, 1),
    ("nri_uniform", 24, 3)])
@pytest.mark.parametrize("normalize", ["l1", "l2", None])
def test_grid_histograms_equal_numpy_reference(camera, method, p, r, normalize):
    image = camera[150:203, 250:311]  # 53 x 61: cells of unequal size
    ours = extract_lbp(image, n_points=p, radius=r, method=method, grid=(7, 5),
                       normalize=normalize)
    ref = numpy_lbp_histograms(image, p, r, method, grid_edges(53, 7), grid_edges(61, 5),
                               normalize)
    np.testing.assert_array_equal(ours, ref)


def test_pixels_per_cell_drops_the_remainder(astronaut):
    image = rgb2gray(astronaut[30:97, 190:250])  # 67 x 60 float gray
    ours = extract_lbp(image, pixels_per_cell=(16, 14), method="uniform", normalize=None)
    ref = numpy_lbp_histograms(image, 8, 1, "uniform", np.arange(0, 65, 16),
                               np.arange(0, 57, 14), None)
    np.testing.assert_array_equal(ours, ref)


def test_default_face_descriptor_on_a_batch(camera):
    batch = np.stack([camera[i * 50:i * 50 + 112, 150:262] for i in range(4)])
    ours = extract_lbp(batch)
    assert ours.shape == (4, 7 * 7 * 59)
    for image, feat in zip(batch, ours, strict=True):
        ref = numpy_lbp_histograms(image, 8, 1, "nri_uniform", grid_edges(112, 7),
                                   grid_edges(112, 7), "l1")
        np.testing.assert_array_equal(feat, ref)


def test_multiscale_concatenates_scales(camera):
    image = camera[300:348, 100:148]
    ours = extract_lbp(image, n_points=[8, 16], radius=[1, 2], grid=(3, 3))
    edges = grid_edges(48, 3)
    ref = np.concatenate([numpy_lbp_histograms(image, 8, 1, "nri_uniform", edges, edges, "l1"),
                          numpy_lbp_histograms(image, 16, 2, "nri_uniform", edges, edges, "l1")])
    np.testing.assert_array_equal(ours, ref)


def test_float32_features_are_the_float64_ones_rounded(rng):
    image = rng.random((40, 44)).astype(np.float32)
    ours = extract_lbp(image, grid=(4, 4))
    assert ours.dtype == np.float32
    ref = numpy_lbp_histograms(image, 8, 1, "nri_uniform", grid_edges(40, 4),
                               grid_edges(44, 4), "l1")
    np.testing.assert_array_equal(ours, ref.astype(np.float32))
