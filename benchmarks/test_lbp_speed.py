"""LBP speed: aufeat on a batch vs scikit-image + NumPy one image at a time.

Run ``pytest benchmarks/test_lbp_speed.py``. Setting: P=8, R=1, 'nri_uniform',
7x7 grid of L1-normalised 59-bin histograms (the face descriptor). The reference
is :func:`skimage.feature.local_binary_pattern` followed by a vectorised NumPy
histogram (one ``np.bincount`` over (cell, code) pairs). Both sides of a size
process the same uint8 images, so each benchmark group compares them directly
(time per round; divide by ``extra_info['images']`` for the time per image).
"""

import numpy as np
import pytest
from skimage.feature import local_binary_pattern

from aufeat import extract_lbp

P, R, METHOD, GRID = 8, 1, "nri_uniform", (7, 7)
N_BINS = P * (P - 1) + 3
# (height, width) -> images per round: big enough for aufeat's parallel path,
# small enough for scikit-image to finish a round in well under a second
SIZES = {(48, 48): 128, (112, 112): 48, (256, 256): 8, (480, 640): 4}


def _batch(shape, n=None):
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(n or SIZES[shape], *shape), dtype=np.uint8)


def _id(shape):
    return f"{shape[0]}x{shape[1]}"


def reference_features(image):
    """skimage codes + vectorised per-cell histograms (L1), as a study would write it."""
    codes = local_binary_pattern(image, P, R, METHOD).astype(np.intp)
    h, w = codes.shape
    # cell i covers rows i*H//n .. (i+1)*H//n (columns alike)
    rows = np.searchsorted(np.arange(GRID[0] + 1) * h // GRID[0], np.arange(h), "right") - 1
    cols = np.searchsorted(np.arange(GRID[1] + 1) * w // GRID[1], np.arange(w), "right") - 1
    cell = rows[:, None] * GRID[1] + cols[None, :]
    n_cells = GRID[0] * GRID[1]
    hist = np.bincount((cell * N_BINS + codes).ravel(), minlength=n_cells * N_BINS)
    hist = hist.reshape(n_cells, N_BINS).astype(np.float64)
    return (hist / hist.sum(axis=1, keepdims=True)).ravel()


def test_reference_is_what_aufeat_computes():
    image = _batch((112, 112), 1)[0]
    np.testing.assert_array_equal(extract_lbp(image), reference_features(image))


@pytest.mark.parametrize("shape", list(SIZES), ids=_id)
def test_lbp_aufeat_batch(benchmark, shape):
    batch = _batch(shape)
    extract_lbp(batch)  # compile or load the Numba cache
    benchmark.group = f"lbp {_id(shape)} batch of {len(batch)}"
    benchmark.extra_info["images"] = len(batch)
    out = benchmark(extract_lbp, batch)
    assert out.shape == (len(batch), GRID[0] * GRID[1] * N_BINS)


@pytest.mark.parametrize("shape", list(SIZES), ids=_id)
def test_lbp_skimage_numpy_loop(benchmark, shape):
    batch = _batch(shape)
    benchmark.group = f"lbp {_id(shape)} batch of {len(batch)}"
    benchmark.extra_info["images"] = len(batch)
    out = benchmark.pedantic(lambda: [reference_features(image) for image in batch],
                             rounds=3, iterations=1, warmup_rounds=1)
    assert len(out) == len(batch)


def test_lbp_aufeat_single_112(benchmark):
    image = _batch((112, 112), 1)[0]
    extract_lbp(image)
    benchmark.group = "lbp one 112x112 image"
    benchmark(extract_lbp, image)


def test_lbp_skimage_numpy_single_112(benchmark):
    image = _batch((112, 112), 1)[0]
    benchmark.group = "lbp one 112x112 image"
    benchmark(reference_features, image)
