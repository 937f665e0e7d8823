"""Z97 F01: integer and bool features are cached as float, so a failed row is NaN.

The chunk's result was allocated at the extractor's own dtype: NaN could not be written
into an int64 one (every call failed with NumPy's "cannot convert float NaN to integer")
and became True in a bool one (a failed image as a row of real-looking values). A 1-D
output failed with a raw IndexError.
"""

import cv2
import numpy as np
import pytest
from sklearn.preprocessing import FunctionTransformer

from aufeat.cache import FeatureCache


def flat_int(X):
    X = np.asarray(X)
    return X.reshape(len(X), -1).astype(np.int64)


def flat_bool(X):
    X = np.asarray(X)
    return X.reshape(len(X), -1) > 100


def mean_1d(X):
    X = np.asarray(X, dtype=float)
    return X.reshape(len(X), -1).mean(axis=1)


@pytest.fixture
def files(tmp_path):
    good, bad = tmp_path / "a.png", tmp_path / "b.png"
    pixels = np.arange(64, dtype=np.uint8).reshape(8, 8) * 3
    cv2.imwrite(str(good), pixels)
    bad.write_bytes(b"not an image")  # cannot be decoded: a NaN row, as documented
    return [str(good), str(bad)], pixels


@pytest.mark.parametrize(("func", "dtype"), [(flat_int, np.float64), (flat_bool, np.float32)])
def test_a_failed_row_of_int_or_bool_features_is_nan(files, tmp_path, func, dtype):
    paths, pixels = files
    ext = FunctionTransformer(func)
    cache = FeatureCache(tmp_path / "cache")
    X = cache.features(paths, ext, progress=False)
    assert X.dtype == dtype
    assert X.shape == (2, 64)
    np.testing.assert_array_equal(X[0], ext.transform(pixels[None]).astype(dtype)[0])
    assert np.isnan(X[1]).all()
    assert cache.last_fill.n_failed == 1
    again = cache.features(paths, ext, progress=False)  # served from the shard as stored
    assert cache.last_fill.n_computed == 0
    assert again.dtype == dtype
    np.testing.assert_array_equal(again, X)


def test_int_features_take_the_caches_dtype(files, tmp_path):
    paths, pixels = files
    X = FeatureCache(tmp_path / "cache", dtype="float32").features(
        paths[:1], FunctionTransformer(flat_int), progress=False)
    assert X.dtype == np.float32
    np.testing.assert_array_equal(X[0], pixels.ravel().astype(np.float32))


def test_a_1d_output_is_refused_naming_the_extractor(files, tmp_path):
    with pytest.raises(ValueError, match=r"mean_1d.*shape \(1,\).*\(n_images, n_features\)"):
        FeatureCache(tmp_path / "cache").features(files[0][:1], FunctionTransformer(mean_1d),
                                                  progress=False)


def flat_complex(X):
    X = np.asarray(X, dtype=float)
    return X.reshape(len(X), -1) * (1 + 1j)


def test_complex_features_keep_a_nan_failed_row(files, tmp_path):
    """Complex features can hold NaN: they are cached as they were, not refused (SL11 F02)."""
    paths, pixels = files
    X = FeatureCache(tmp_path / "cache").features(paths, FunctionTransformer(flat_complex),
                                                  progress=False)
    assert X.dtype.kind == "c"
    np.testing.assert_array_equal(X[0], pixels.ravel() * (1 + 1j))
    assert np.isnan(X[1]).all()
