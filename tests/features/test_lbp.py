"""extract_lbp / lbp_codes: API, shapes, dtypes, bad input, and kernels vs naive loops."""

import numpy as np
import pytest

from aufeat import InvalidImageError, extract_lbp, lbp_codes
from aufeat.features.lbp import lbp_n_bins
from tests.naive.lbp import naive_cell_histograms, naive_lbp

METHODS = ["default", "ror", "uniform", "nri_uniform", "var"]


# ------------------------------------------------------------------ kernels vs naive
@pytest.mark.kernel
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("p", "r"), [(8, 1), (4, 1.5), (20, 2.3)])
def test_codes_kernel_matches_naive(method, p, r):
    rng = np.random.default_rng(7)
    images = [rng.random((6, 7)), rng.integers(0, 3, size=(6, 7)).astype(np.uint8)]
    for image in images:
        np.testing.assert_array_equal(lbp_codes(image, n_points=p, radius=r, method=method),
                                      naive_lbp(image, p, r, method))


@pytest.mark.kernel
@pytest.mark.parametrize("normalize", ["l1", "l2", None])
@pytest.mark.parametrize(("method", "p"), [("nri_uniform", 8), ("uniform", 20), ("ror", 4)])
def test_histogram_kernel_matches_naive(method, p, normalize):
    rng = np.random.default_rng(3)
    image = rng.integers(0, 4, size=(9, 8)).astype(np.uint8)
    codes = naive_lbp(image, p, 1.5, method)
    feats = extract_lbp(image, n_points=p, radius=1.5, method=method, grid=(3, 2),
                        normalize=normalize)
    ref = naive_cell_histograms(codes, lbp_n_bins(p, method), [0, 3, 6, 9], [0, 4, 8],
                                normalize)
    np.testing.assert_array_equal(feats, ref)
    fixed = extract_lbp(image, n_points=p, radius=1.5, method=method,
                        pixels_per_cell=(4, 3), normalize=normalize)
    ref = naive_cell_histograms(codes, lbp_n_bins(p, method), [0, 4, 8], [0, 3, 6], normalize)
    np.testing.assert_array_equal(fixed, ref)


@pytest.mark.kernel
def test_batch_kernels_match_naive_per_image():
    rng = np.random.default_rng(11)
    batch = rng.random((3, 5, 6))
    codes = lbp_codes(batch, method="nri_uniform")
    feats = extract_lbp(batch, grid=(2, 2), normalize=None)
    for image, c, f in zip(batch, codes, feats, strict=True):
        ref = naive_lbp(image, 8, 1, "nri_uniform")
        np.testing.assert_array_equal(c, ref)
        np.testing.assert_array_equal(f, naive_cell_histograms(ref, 59, [0, 2, 5], [0, 3, 6],
                                                               None))


# ------------------------------------------------------------------ shapes and dtypes
def test_shapes_single_and_batch(rng):
    image = rng.integers(0, 256, size=(48, 40), dtype=np.uint8)
    assert lbp_codes(image).shape == (48, 40)
    assert lbp_codes(np.stack([image] * 3)).shape == (3, 48, 40)
    assert extract_lbp(image).shape == (7 * 7 * 59,)
    assert extract_lbp(np.stack([image] * 3)).shape == (3, 7 * 7 * 59)
    assert extract_lbp(image, method="uniform", grid=(2, 3)).shape == (6 * 10,)
    assert extract_lbp(image, pixels_per_cell=(16, 16)).shape == (3 * 2 * 59,)


@pytest.mark.parametrize(("method", "bins"), [("default", 256), ("ror", 256), ("uniform", 10),
                                              ("nri_uniform", 59)])
def test_bins_per_method(method, bins, rng):
    assert lbp_n_bins(8, method) == bins
    counts = extract_lbp(rng.random((20, 20)), method=method, grid=(1, 1), normalize=None)
    assert counts.shape == (bins,)
    assert counts.sum() == 400


@pytest.mark.parametrize(("dtype", "expected"), [
    (np.float32, np.float32), (np.float64, np.float64), (np.uint8, np.float64),
    (np.uint16, np.float64), (bool, np.float64), (np.float16, np.float32)])
def test_output_dtypes(dtype, expected, rng):
    image = (rng.random((30, 30)) * 2).astype(dtype)
    assert extract_lbp(image, grid=(3, 3)).dtype == expected
    assert lbp_codes(image).dtype == np.float64


def test_grid_cells_are_near_equal_and_cover_the_image(rng):
    image = rng.random((23, 17))
    counts = extract_lbp(image, grid=(4, 5), normalize=None, method="uniform")
    per_cell = counts.reshape(4, 5, 10).sum(axis=2)
    rows = np.diff(np.arange(5) * 23 // 4)
    cols = np.diff(np.arange(6) * 17 // 5)
    np.testing.assert_array_equal(per_cell, np.outer(rows, cols))
    assert per_cell.sum() == 23 * 17


def test_one_pixel_cells_give_one_hot_codes(rng):
    image = rng.integers(0, 5, size=(9, 8)).astype(np.uint8)
    feats = extract_lbp(image, grid=(9, 8), method="nri_uniform").reshape(9, 8, 59)
    np.testing.assert_array_equal(feats.argmax(axis=2), lbp_codes(image, method="nri_uniform"))
    np.testing.assert_array_equal(feats.sum(axis=2), np.ones((9, 8)))


def test_normalisations(rng):
    image = rng.random((28, 28))
    counts = extract_lbp(image, grid=(2, 2), normalize=None).reshape(4, 59)
    l1 = extract_lbp(image, grid=(2, 2)).reshape(4, 59)
    l2 = extract_lbp(image, grid=(2, 2), normalize="l2").reshape(4, 59)
    np.testing.assert_allclose(l1.sum(axis=1), 1)
    np.testing.assert_allclose(np.linalg.norm(l2, axis=1), 1)
    np.testing.assert_array_equal(counts.sum(axis=1), 196)
    np.testing.assert_allclose(l1, counts / 196)


def test_multiscale_broadcasts_a_single_value(rng):
    image = rng.random((24, 24))
    both = extract_lbp(image, n_points=[8, 8], radius=[1, 2], grid=(2, 2))
    broadcast = extract_lbp(image, n_points=8, radius=[1, 2], grid=(2, 2))
    np.testing.assert_array_equal(both, broadcast)
    np.testing.assert_array_equal(
        both, np.concatenate([extract_lbp(image, radius=1, grid=(2, 2)),
                              extract_lbp(image, radius=2, grid=(2, 2))]))


def test_colour_batch_and_rgba(astronaut):
    crops = np.stack([astronaut[i * 30:i * 30 + 40, 200:240] for i in range(3)])  # (3,40,40,3)
    feats = extract_lbp(crops, grid=(2, 2))
    assert feats.shape == (3, 4 * 59)
    np.testing.assert_array_equal(feats[1], extract_lbp(crops[1], grid=(2, 2)))
    rgba = np.concatenate([crops[0], np.full((40, 40, 1), 255, np.uint8)], axis=2)
    np.testing.assert_array_equal(lbp_codes(rgba), lbp_codes(crops[0]))


def test_one_channel_axis_is_grey_not_colour(rng):
    from skimage.feature import local_binary_pattern

    flat = rng.integers(100, 104, (64, 64)).astype(np.uint8)  # many ties: scale-sensitive
    np.testing.assert_array_equal(lbp_codes(flat[..., None]), local_binary_pattern(flat, 8, 1))
    batch = np.stack([flat, flat.T])
    np.testing.assert_array_equal(extract_lbp(batch[..., None]), extract_lbp(batch))


@pytest.mark.parametrize("radius", [15.7, 1e6])  # past the diagonal; 1e6: no huge padding
def test_radius_past_the_image_equals_scikit_image(radius, rng):
    from skimage.feature import local_binary_pattern

    image = rng.integers(0, 256, (10, 12)).astype(np.uint8)
    for method in ("default", "uniform", "var"):
        np.testing.assert_array_equal(lbp_codes(image, radius=radius, method=method),
                                      local_binary_pattern(image, 8, radius, method=method))


def test_inputs_are_not_modified(rng):
    image = rng.random((20, 20))
    before = image.copy()
    extract_lbp(image, grid=(2, 2))
    lbp_codes(image, method="var")
    np.testing.assert_array_equal(image, before)


def test_non_contiguous_input(rng):
    image = rng.random((40, 60))
    view = image[::2, ::3]
    np.testing.assert_array_equal(lbp_codes(view), lbp_codes(view.copy()))


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("kwargs", [
    {"method": "bogus"}, {"method": 3}, {"n_points": 0}, {"n_points": 32}, {"n_points": 1.5},
    {"n_points": True}, {"radius": 0}, {"radius": -1.0}, {"radius": float("nan")},
    {"radius": "1"}])
def test_bad_code_parameters(kwargs, rng):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        lbp_codes(rng.random((10, 10)), **kwargs)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"method": "var"}, "var"),
    ({"method": "default", "n_points": 17}, "at most 16"),
    ({"grid": (0, 3)}, "grid"),
    ({"grid": (3,)}, "grid"),
    ({"grid": "7x7"}, "grid"),
    ({"pixels_per_cell": (8, 0)}, "pixels_per_cell"),
    ({"pixels_per_cell": (8.0, 8)}, "pixels_per_cell"),
    ({"normalize": "max"}, "normalize"),
    ({"normalize": ["l1"]}, "normalize"),  # was TypeError: unhashable type: 'list'
    ({"n_points": [8, 16], "radius": [1, 2, 3]}, "same"),
    ({"n_points": [], "radius": 1}, "same"),
    ({"n_points": [8, 0], "radius": [1, 2]}, "n_points"),
])
def test_bad_histogram_parameters(kwargs, match, rng):
    with pytest.raises(ValueError, match=match):
        extract_lbp(rng.random((20, 20)), **kwargs)


def test_image_smaller_than_grid_or_cell():
    with pytest.raises(InvalidImageError, match="6x20"):
        extract_lbp(np.zeros((6, 20)))
    with pytest.raises(InvalidImageError, match="smaller than"):
        extract_lbp(np.zeros((20, 20)), pixels_per_cell=(24, 8))


@pytest.mark.parametrize("bad", [np.zeros((0, 5)), np.zeros((2, 3, 4, 5, 6)),
                                 np.array([["a", "b"]]), np.full((5, 5), np.nan)])
def test_bad_images(bad):
    with pytest.raises(InvalidImageError):
        lbp_codes(bad)
    with pytest.raises(InvalidImageError):
        extract_lbp(bad, grid=(1, 1))


def test_a_list_mixing_dtypes_scales_each_image_by_its_own(rng):
    # as HOG's and Gabor's: each image by its own dtype (LBP compares pixels, so 0-255
    # floats gave the same codes; this keeps it so)
    u8, f = (rng.random((32, 32)) * 255).astype(np.uint8), rng.random((32, 32))
    mixed = extract_lbp([u8, f, u8.astype(bool)], radius=1.5, grid=(2, 2))
    for row, image in zip(mixed, (u8, f, u8.astype(bool)), strict=True):
        np.testing.assert_array_equal(row, extract_lbp(image, radius=1.5, grid=(2, 2)))


@pytest.mark.parametrize(("kwargs", "match"),
                         [({"radius": np.array(1.0)}, "radius=array"),
                          ({"n_points": np.array(8)}, "n_points=array"),
                          ({"n_points": np.array([8, 16]), "radius": np.array(1.0)},
                           "radius=array")])
def test_a_0d_array_parameter_is_refused_as_lbp_codes_refuses_it(kwargs, match, rng):
    # a 0-d array was taken for a sequence: len() / iteration raised a raw TypeError
    image = rng.random((16, 16))
    with pytest.raises(ValueError, match=match):
        lbp_codes(image, **{k: v for k, v in kwargs.items() if v.ndim == 0})
    with pytest.raises(ValueError, match=match):
        extract_lbp(image, **kwargs)
