"""Gabor ``pooling='histogram'`` equals ``np.histogram`` of the magnitudes, float32 too.

NumPy computes the bin edges of float32 data in float32; the pooling computed them in
float64, so float32 magnitudes on an interior edge (every magnitude of a blank image)
fell one bin off.
"""

import numpy as np
import pytest

from aufeat import extract_gabor
from aufeat.features._gabor_pooling import _histogram
from aufeat.features.gabor import gabor_kernel_bank, gabor_responses


def _numpy_histogram(values, bins):
    counts, _ = np.histogram(values, bins=bins)
    return counts / counts.sum()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bins", [5, 10, 20])
@pytest.mark.parametrize("mode", ["reflect", "constant"])
def test_blank_images_land_in_numpys_bin(dtype, bins, mode):
    bank = gabor_kernel_bank([0.2], thetas=[0.0])
    for value in np.linspace(0, 1, 21):
        image = np.full((16, 16), value, dtype)
        magnitudes = gabor_responses(image, bank, mode=mode)
        assert magnitudes.dtype == dtype
        got = extract_gabor(image, bank=bank, pooling="histogram", bins=bins, mode=mode)
        np.testing.assert_array_equal(got, _numpy_histogram(magnitudes, bins).astype(got.dtype),
                                      err_msg=f"value {value}")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_values_on_the_edges_bin_as_numpy_bins_them(dtype):
    rng = np.random.default_rng(1)
    for _ in range(600):
        k, bins = int(rng.integers(2, 12)), int(rng.integers(2, 40))
        values = (rng.integers(0, k, 500) / rng.integers(1, k + 1)).astype(dtype)
        values = values * dtype(rng.random() + 0.1)
        out = np.empty(bins)
        _histogram(values, bins, out)
        np.testing.assert_array_equal(out, _numpy_histogram(values, bins))


def test_features_cached_with_the_old_bins_are_recomputed():
    from aufeat.estimators import GaborExtractor

    assert GaborExtractor.feature_version >= 2  # part of the cache key
