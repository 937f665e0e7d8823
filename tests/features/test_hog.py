"""extract_hog: parameter and input checks, shapes, and kernels vs the NumPy reference."""

import numpy as np
import pytest

from aufeat import InvalidImageError
from aufeat.features import _hog_bins as B
from aufeat.features import _hog_kernels as K
from aufeat.features import _hog_norm as N
from aufeat.features.hog import _NORMS, _orientation_tables, extract_hog
from tests.naive import hog as naive

# ---------------------------------------------------------------- kernels vs naive


def _tie_heavy(rng, shape):
    """uint8-like image scaled to [0, 1]: many gradients exactly or nearly on bin edges."""
    return rng.integers(0, 4, size=shape).astype(np.float64) / 3.0


@pytest.mark.kernel
def test_hypot64_equals_numpy_hypot(rng):
    values = np.concatenate([
        rng.standard_normal(200), rng.integers(-255, 256, 200) / 255.0,
        [0.0, -0.0, 1e-300, 5e-310, 2.0**-470, 3e200, 2.0**600, 1.0],
    ])
    x, y = np.meshgrid(values[::7], values[::5])
    got = np.array([K.hypot64(a, b) for a, b in zip(x.ravel(), y.ravel(), strict=True)])
    np.testing.assert_array_equal(got, np.hypot(x.ravel(), y.ravel()))


@pytest.mark.kernel
@pytest.mark.parametrize("orientations", [1, 4, 8, 9])
def test_bins_match_numpy_orientation(rng, orientations):
    tables, lut_scale, s_bin0 = _orientation_tables(orientations)
    a = rng.integers(-3, 4, size=300) / 3.0
    b = rng.integers(-3, 4, size=300) / 3.0
    # nearly diagonal pairs that differ in the last bit, tiny angles near 0 / 180
    gx = np.concatenate([a, [0.1 + 0.2, -(0.1 + 0.2), 1e-300, -1.0, 1.0, 0.0]])
    gy = np.concatenate([b, [0.3, 0.3, 1.0, -1e-300, 1e-300, 0.0]])
    n = gx.size
    mag, pseudo = np.empty((1, n)), np.empty((1, n))
    for k in range(n):
        mag[0, k], pseudo[0, k] = K.magnitude_angle(gx[k], gy[k], s_bin0)
    bins, row_flags = np.empty((1, n), np.int64), np.empty(1, np.int64)
    if B.table_bins(pseudo, tables[1], lut_scale, bins, row_flags) < 0:
        K.resolve_bins(np.zeros((1, n)), 0, gx, gy, tables, bins, row_flags, np.empty((3, n)),
                       np.empty(n, np.int64))
    expected = naive.orientation_bins(gy, gx, orientations)
    moving = mag[0] > 0  # zero gradients add nothing, whatever their bin
    np.testing.assert_array_equal(bins[0, moving], expected[moving])
    np.testing.assert_array_equal(mag[0], np.hypot(gx, gy))


@pytest.mark.kernel
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("shape", "orientations", "cell"), [
    ((16, 16), 9, (4, 4)), ((13, 11, 3), 8, (3, 5)), ((12, 12, 4), 4, (4, 3)),
    ((41, 9), 9, (2, 3)), ((23, 7, 3), 4, (2, 2)),  # several strips of cell rows
])
def test_cell_histograms_match_naive(rng, dtype, shape, orientations, cell):
    image = _tie_heavy(rng, shape).astype(dtype)
    img = image if image.ndim == 3 else image[..., np.newaxis]
    tables, lut_scale, s_bin0 = _orientation_tables(orientations)
    ncr, ncc = shape[0] // cell[0], shape[1] // cell[1]
    hist = np.empty((ncr, ncc, orientations))
    strip, w, colour = min(16 // cell[0], ncr) * cell[0], shape[1], img.shape[2] > 1
    K.cell_histograms(img, cell[0], cell[1], dtype == np.float32, tables, lut_scale, s_bin0,
                      np.empty((5 + 2 * colour, strip, w)), np.empty((3, strip, w), np.int64),
                      np.empty((ncc, orientations + 1), np.float32), hist)
    np.testing.assert_array_equal(hist, naive.cell_histograms(image, orientations, cell))


@pytest.mark.kernel
@pytest.mark.parametrize("n", [1, 7, 8, 9, 81, 128, 129, 300, 1001])
def test_pairwise_sum_equals_numpy_sum(rng, n):
    a = rng.random(n) * 10.0 ** rng.integers(-8, 8, n)
    assert N.pairwise_sum(a, n) == np.sum(a)


@pytest.mark.kernel
@pytest.mark.parametrize("method", ["L1", "L1-sqrt", "L2", "L2-Hys"])
def test_normalize_blocks_match_naive(rng, method):
    hist = rng.random((4, 5, 3)) * rng.integers(0, 2, size=(4, 5, 1))
    hist[0, 0] = 0.9  # large values: L2-Hys clipping
    code = {"L1": N.NORM_L1, "L1-sqrt": N.NORM_L1_SQRT, "L2": N.NORM_L2,
            "L2-Hys": N.NORM_L2_HYS}[method]
    assert code == _NORMS[method]
    out = np.empty(3 * 3 * 2 * 3 * 3)
    N.normalize_blocks(hist, 2, 3, code, np.empty((2, 2 * 3 * 3)), out)
    np.testing.assert_array_equal(out, naive.blocks(hist, (2, 3), method).ravel())


@pytest.mark.kernel
@pytest.mark.parametrize("parallel", [False, True])
def test_batch_kernels_match_naive(rng, parallel):
    images = _tie_heavy(rng, (3, 16, 16, 1))
    tables, lut_scale, s_bin0 = _orientation_tables(8)
    out = np.empty((3, 3 * 3 * 2 * 2 * 8))
    args = (4, 4, 2, 2, N.NORM_L2_HYS, tables, lut_scale, s_bin0)
    if parallel:
        K.hog_parallel(images, out, *args, 2)
    else:
        K.hog_serial(images, out, *args)
    expected = [naive.hog(im[..., 0], 8, (4, 4), (2, 2)) for im in images]
    np.testing.assert_array_equal(out, np.array(expected))


# ---------------------------------------------------------------- public function


@pytest.mark.parametrize(("shape", "expected"), [
    ((48, 48), (1296,)),
    ((5, 48, 48), (5, 1296)),
    ((48, 48, 3), (1296,)),
    ((2, 48, 48, 4), (2, 1296)),
    ((50, 37), (4 * 2 * 81,)),
])
def test_shapes(rng, shape, expected):
    assert extract_hog(rng.random(shape)).shape == expected


def test_block_array_shape(rng):
    out = extract_hog(rng.random((4, 40, 33)), pixels_per_cell=(5, 4), cells_per_block=(2, 3),
                      orientations=6, feature_vector=False)
    assert out.shape == (4, 7, 6, 2, 3, 6)
    single = extract_hog(rng.random((40, 33)), pixels_per_cell=(5, 4),
                         cells_per_block=(2, 3), orientations=6, feature_vector=False)
    assert single.shape == (7, 6, 2, 3, 6)


def test_channel_axis_first(rng):
    image = rng.random((48, 56, 3))
    np.testing.assert_array_equal(extract_hog(np.moveaxis(image, -1, 0), channel_axis=0),
                                  extract_hog(image))
    batch = np.stack([image, image[::-1]])
    np.testing.assert_array_equal(extract_hog(np.moveaxis(batch, -1, 1), channel_axis=1),
                                  extract_hog(batch))
    with pytest.raises(InvalidImageError, match="image axis of a batch"):
        extract_hog(np.moveaxis(batch, -1, 1), channel_axis=0)  # would mix the two images


def test_non_contiguous_input(rng):
    image = rng.random((64, 96))
    np.testing.assert_array_equal(extract_hog(image[:, ::2]),
                                  extract_hog(np.ascontiguousarray(image[:, ::2])))


def test_scalar_cell_sizes_mean_square(rng):
    image = rng.random((40, 40))
    np.testing.assert_array_equal(extract_hog(image, pixels_per_cell=5, cells_per_block=2),
                                  extract_hog(image, pixels_per_cell=(5, 5),
                                              cells_per_block=(2, 2)))


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"orientations": 0}, "orientations must be a positive integer"),
    ({"orientations": 9.5}, "orientations must be a positive integer"),
    ({"orientations": True}, "orientations must be a positive integer"),
    ({"pixels_per_cell": (8, 0)}, "pixels_per_cell must be a pair"),
    ({"pixels_per_cell": (8, 8, 8)}, "pixels_per_cell must be a pair"),
    ({"cells_per_block": (-1, 2)}, "cells_per_block must be a pair"),
    ({"cells_per_block": "3x3"}, "cells_per_block must be a pair"),
    ({"block_norm": "L3"}, "block_norm must be one of"),
    ({"block_norm": None}, "block_norm must be one of"),
])
def test_invalid_parameters(rng, kwargs, match):
    with pytest.raises(ValueError, match=match):
        extract_hog(rng.random((48, 48)), **kwargs)


@pytest.mark.parametrize(("shape", "kwargs"), [
    ((23, 48), {}),
    ((48, 23), {}),
    ((7, 7), {"pixels_per_cell": (8, 8), "cells_per_block": (1, 1)}),
    ((3, 20, 15), {"pixels_per_cell": (4, 4), "cells_per_block": (2, 4)}),
])
def test_image_smaller_than_a_block(rng, shape, kwargs):
    with pytest.raises(InvalidImageError, match="one HOG block"):
        extract_hog(rng.random(shape), **kwargs)


@pytest.mark.parametrize("axis", [2.0, "-1", True, None])
def test_channel_axis_must_be_an_integer(rng, axis):
    image = rng.random((48, 48, 3))
    if axis is None:
        assert extract_hog(image).shape == extract_hog(image, channel_axis=2).shape
        return
    with pytest.raises(TypeError, match=r"channel_axis must be an integer axis .* got "):
        extract_hog(image, channel_axis=axis)


def test_bad_images():
    with pytest.raises(InvalidImageError):
        extract_hog(np.full((48, 48), np.nan))
    with pytest.raises(InvalidImageError):
        extract_hog(np.zeros((0, 48)))
    with pytest.raises(InvalidImageError):
        extract_hog(np.zeros((48, 48)), channel_axis=-1)


def test_transform_sqrt_rejects_negative_pixels(rng):
    with pytest.raises(InvalidImageError, match="non-negative"):
        extract_hog(rng.random((48, 48)) - 0.5, transform_sqrt=True)
    # signed integer images scale to [-1, 1]: negative values are caught too
    with pytest.raises(InvalidImageError, match="non-negative"):
        extract_hog(np.full((48, 48), -3, dtype=np.int16), transform_sqrt=True)


def test_min_size_image_works(rng):
    out = extract_hog(rng.random((24, 24)))
    assert out.shape == (81,)
    assert np.isfinite(out).all()


def test_a_list_mixing_dtypes_scales_each_image_by_its_own(rng, camera):
    # np.asarray([uint8, float]) made the uint8 image 0-255 floats before the /255 rule
    from skimage.feature import hog

    u8, u16 = camera[:64, :64], (rng.random((64, 64)) * 65535).astype(np.uint16)
    f32 = rng.random((64, 64)).astype(np.float32)
    mixed = extract_hog([u8, rng.random((64, 64)), f32, u16])
    np.testing.assert_allclose(mixed[0], extract_hog(u8), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(mixed[0], hog(u8 / 255.0, cells_per_block=(3, 3)), atol=1e-10)
    np.testing.assert_allclose(mixed[2], extract_hog(f32), atol=1e-6)
    np.testing.assert_allclose(mixed[3], extract_hog(u16), rtol=1e-12, atol=1e-15)
