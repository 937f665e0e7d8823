"""Hypothesis properties of lbp_codes / extract_lbp.

Rotation: with P=8, R=1 the four axis neighbours are read exactly and the four
diagonal ones are interpolated with weights 0.29289 / 0.70711, but skimage
evaluates ``(c + 0.70711) - floor(...)`` per column and per row, and in the order
"columns, then rows", so a rotated image gets its diagonal neighbours with
different rounding (a few 1e-16 relative). Codes can then only change where a
diagonal neighbour ties with the centre in exact arithmetic. For an integer image
the exact value ``t - centre`` is ``70711 * (29289 * (A + C) + 70711 * B) / 1e10``
with integers A, B, C (differences of the 2x2 block to the centre), so it is either
0 (B = 0 and A = -C, for |A + C| < 70711) or at least 7e-6 in size, far above the
rounding. The precise statement tested: for an image with **no diagonal tie**,
guaranteed when every pixel differs from its four diagonal neighbours (here: a
permutation of 1..H*W, so also from the zero padding), 'uniform' codes (P=8, R=1)
of ``np.rot90(image)`` equal ``np.rot90`` of the codes, so the whole-image
histogram is invariant and a symmetric grid's cells are permuted. It holds for
skimage too. On tie-heavy images (e.g. integers 0..3) it is not guaranteed, for
skimage nor for aufeat.
"""

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from skimage.feature import local_binary_pattern

from aufeat import extract_lbp, lbp_codes
from aufeat.features import _lbp_kernels
from aufeat.features.lbp import _cell_maps, _geometry, _lut
from aufeat.parallel import PARALLEL_MIN_PIXELS, use_parallel

METHODS = ["default", "ror", "uniform", "nri_uniform"]
SETTINGS = settings(max_examples=25, deadline=None)
scales = st.sampled_from([(8, 1.0), (4, 1.5), (16, 2.0), (6, 0.8)])


def _random_image(seed, h, w, kind):
    rng = np.random.default_rng(seed)
    if kind == "ties":
        return rng.integers(0, 4, size=(h, w)).astype(np.uint8)
    return rng.random((h, w))


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 5), h=st.integers(3, 20),
       w=st.integers(5, 20),  # (N, H, 3) would read as one colour image
       kind=st.sampled_from(["ties", "float"]),
       method=st.sampled_from([*METHODS, "var"]), scale=scales)
def test_batch_equals_singles(seed, n, h, w, kind, method, scale):
    batch = np.stack([_random_image(seed + i, h, w, kind) for i in range(n)])
    p, r = scale
    codes = lbp_codes(batch, n_points=p, radius=r, method=method)
    for i in range(n):
        np.testing.assert_array_equal(codes[i], lbp_codes(batch[i], n_points=p, radius=r,
                                                          method=method))
    if method == "var":
        return
    grid = (min(h, 3), min(w, 2))
    feats = extract_lbp(batch, n_points=p, radius=r, method=method, grid=grid)
    for i in range(n):
        np.testing.assert_array_equal(feats[i], extract_lbp(batch[i], n_points=p, radius=r,
                                                            method=method, grid=grid))


@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), kind=st.sampled_from(["ties", "float"]),
       method=st.sampled_from(["nri_uniform", "uniform"]))
def test_parallel_path_equals_singles_for_any_thread_count(seed, kind, method):
    n = PARALLEL_MIN_PIXELS // (56 * 48) + 2  # just enough for the parallel kernels
    batch = np.stack([_random_image(seed + i, 56, 48, kind) for i in range(n)])
    singles = np.stack([extract_lbp(x, method=method) for x in batch])
    single_codes = np.stack([lbp_codes(x, method=method) for x in batch])
    before = numba.get_num_threads()
    try:
        for threads in sorted({1, numba.config.NUMBA_NUM_THREADS}):
            numba.set_num_threads(threads)
            assert use_parallel(n, 56 * 48) == (threads > 1)
            np.testing.assert_array_equal(extract_lbp(batch, method=method), singles)
            np.testing.assert_array_equal(lbp_codes(batch, method=method), single_codes)
    finally:
        numba.set_num_threads(before)
    # the prange kernels themselves, whatever the machine's core count
    pw, offs, wr, wc, exact = _geometry(8, 1.0, 56, 48)
    args = (pw, offs, wr, wc, exact, _lbp_kernels.METHODS[method], _lut(8, method))
    data = batch.astype(np.float64)
    codes = np.empty(batch.shape)
    _lbp_kernels.codes_parallel(data, *args, codes)
    np.testing.assert_array_equal(codes, single_codes)
    cells = _cell_maps(56, 7, None), _cell_maps(48, 7, None)
    feats = np.empty_like(singles)
    _lbp_kernels.hist_parallel(data, *args, *cells, 7, singles.shape[1] // 49, 1, feats, 0)
    np.testing.assert_array_equal(feats, singles)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), half=st.integers(2, 12), k=st.integers(1, 3))
def test_uniform_histograms_invariant_under_rot90_without_ties(seed, half, k):
    size = 2 * half
    rng = np.random.default_rng(seed)
    image = (rng.permutation(size * size) + 1).reshape(size, size).astype(np.uint16)
    rotated = np.rot90(image, k)
    codes = lbp_codes(image, method="uniform")
    np.testing.assert_array_equal(lbp_codes(rotated, method="uniform"), np.rot90(codes, k))
    np.testing.assert_array_equal(local_binary_pattern(rotated, 8, 1, "uniform"),
                                  np.rot90(local_binary_pattern(image, 8, 1, "uniform"), k))
    whole = extract_lbp(image, method="uniform", grid=(1, 1))
    np.testing.assert_array_equal(extract_lbp(rotated, method="uniform", grid=(1, 1)), whole)
    cells = extract_lbp(image, method="uniform", grid=(2, 2)).reshape(2, 2, 10)
    np.testing.assert_array_equal(
        extract_lbp(rotated, method="uniform", grid=(2, 2)).reshape(2, 2, 10),
        np.rot90(cells, k))


@SETTINGS
@given(h=st.integers(1, 15), w=st.integers(1, 15), p=st.integers(1, 24),
       r=st.floats(0.5, 4.0), method=st.sampled_from(METHODS))
def test_zero_image_sets_every_bit(h, w, p, r, method):
    codes = lbp_codes(np.zeros((h, w)), n_points=p, radius=r, method=method)
    expected = {"default": 2**p - 1, "ror": 2**p - 1, "uniform": p,
                "nri_uniform": p * (p - 1) + 1}[method]
    np.testing.assert_array_equal(codes, np.full((h, w), float(expected)))
    assert np.isnan(lbp_codes(np.zeros((h, w)), n_points=p, radius=r, method="var")).all()


@SETTINGS
@given(h=st.integers(1, 15), w=st.integers(1, 15),
       value=st.floats(-1e6, 1e6, allow_nan=False).filter(lambda v: v != 0))
def test_constant_image_bits_follow_the_border(h, w, value):
    """P=4, R=1 reads exact pixels: inside neighbours tie (bit 1), outside ones are 0."""
    codes = lbp_codes(np.full((h, w), value), n_points=4, radius=1)
    rr, cc = np.mgrid[:h, :w]
    inside = [cc < w - 1, rr > 0, cc > 0, rr < h - 1]  # right, up, left, down
    bits = [ins | (value < 0) for ins in inside]
    np.testing.assert_array_equal(codes, sum(b.astype(int) << i for i, b in enumerate(bits)))


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1),
       dtype=st.sampled_from([np.uint8, np.uint16, np.int16, np.int32, np.float16,
                              np.float32, np.float64, np.bool_]),
       method=st.sampled_from(METHODS), scale=scales)
def test_dtype_rules(seed, dtype, method, scale):
    rng = np.random.default_rng(seed)
    image = (rng.random((11, 13)) * 5 - (dtype in (np.int16, np.int32))).astype(dtype)
    p, r = scale
    codes = lbp_codes(image, n_points=p, radius=r, method=method)
    assert codes.dtype == np.float64
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        np.testing.assert_array_equal(codes, local_binary_pattern(image, p, r, method))
    feats = extract_lbp(image, n_points=p, radius=r, method=method, grid=(2, 2))
    assert feats.dtype == (np.float32 if dtype in (np.float16, np.float32) else np.float64)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), h=st.integers(4, 30), w=st.integers(4, 30),
       rows=st.integers(1, 4), cols=st.integers(1, 4))
def test_cells_count_every_pixel_once(seed, h, w, rows, cols):
    image = _random_image(seed, h, w, "ties")
    counts = extract_lbp(image, grid=(rows, cols), normalize=None).reshape(rows * cols, 59)
    sizes = np.outer(np.diff(np.arange(rows + 1) * h // rows),
                     np.diff(np.arange(cols + 1) * w // cols)).ravel()
    np.testing.assert_array_equal(counts.sum(axis=1), sizes)
    l1 = extract_lbp(image, grid=(rows, cols)).reshape(rows * cols, 59)
    np.testing.assert_allclose(l1.sum(axis=1), 1.0, rtol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_codes_lie_in_the_bin_range(method, camera):
    from aufeat.features.lbp import lbp_n_bins

    codes = lbp_codes(camera[:64, :64], n_points=8, radius=2, method=method)
    assert codes.min() >= 0
    assert codes.max() < lbp_n_bins(8, method)


def test_rot90_is_not_guaranteed_with_ties():
    """The restriction above is needed: tie-heavy images change under rot90 (in skimage too)."""
    rng = np.random.default_rng(5)
    changed = 0
    for _ in range(20):
        image = rng.integers(0, 4, size=(24, 24)).astype(np.uint8)
        rotated = np.rot90(image)
        ours = lbp_codes(rotated, method="uniform")
        np.testing.assert_array_equal(ours, local_binary_pattern(rotated, 8, 1, "uniform"))
        changed += not np.array_equal(np.bincount(ours.astype(int).ravel(), minlength=10),
                                      extract_lbp(image, method="uniform", grid=(1, 1),
                                                  normalize=None))
    assert changed > 0
