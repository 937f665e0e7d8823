"""The extractors and the cache take what the feature functions and FaceAligner take.

A manifest's path column as an array (``df['path'].to_numpy()``, ``np.array(paths)``), an
object array of images and a list of PIL images were refused, with advice about single
images (``image[None]``) that was wrong for them; rows of flattened images got the same
advice, which turned N images into one.
"""

import cv2
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from aufeat.cache import FeatureCache
from aufeat.estimators import LBPExtractor
from aufeat.exceptions import InvalidImageError
from aufeat.features import extract_lbp
from aufeat.io import resolve_sources

PARAMS = {"grid": (2, 2)}


@pytest.fixture
def paths(tmp_path, rng):
    names = []
    for i in range(3):
        name = str(tmp_path / f"a{i}.png")
        assert cv2.imwrite(name, rng.integers(0, 256, (32, 32), dtype=np.uint8))
        names.append(name)
    return names


def _both(X, tmp_path):
    """transform(X) without and with a cache."""
    cache = FeatureCache(tmp_path / "cache")
    return (LBPExtractor(**PARAMS).transform(X),
            cache.features(X, LBPExtractor(**PARAMS), progress=False))


@pytest.mark.parametrize("as_array", [lambda p: pd.Series(p).to_numpy(), np.array, pd.Series],
                         ids=["object", "str", "series"])
def test_an_array_of_paths_is_a_list_of_paths(paths, as_array, tmp_path):
    expected = LBPExtractor(**PARAMS).transform(paths)
    for got in _both(as_array(paths), tmp_path):
        assert np.array_equal(got, expected)
    assert resolve_sources(np.array(paths))[0] == paths
    for axis in (-1, 0):  # an extractor with a channel_axis reads them as files too
        assert np.array_equal(LBPExtractor(**PARAMS, channel_axis=axis).transform(
            as_array(paths)), expected)


def test_an_object_array_of_images_is_a_list_of_images(rng, tmp_path):
    images = [rng.random((32, 32)), rng.random((24, 24))]
    column = pd.Series(images).to_numpy()
    expected = np.stack([extract_lbp(image, **PARAMS) for image in images])
    for got in _both(column, tmp_path):
        assert np.array_equal(got, expected)


def test_pil_images_are_images(rng, tmp_path):
    pixels = [rng.integers(0, 256, (32, 32), dtype=np.uint8) for _ in range(2)]
    pil = [Image.fromarray(p) for p in pixels]
    expected = extract_lbp(np.stack(pixels), **PARAMS)
    for got in _both(pil, tmp_path):
        assert np.array_equal(got, expected)


@pytest.mark.parametrize("wrap", [np.asarray, pd.DataFrame], ids=["array", "dataframe"])
def test_flattened_rows_are_told_to_reshape(rng, wrap):
    flat = wrap(rng.integers(0, 256, (10, 48 * 48), dtype=np.uint8))
    with pytest.raises(InvalidImageError, match=r"\(10, 2304\).*reshape\(-1, 48, 48\)"):
        LBPExtractor(**PARAMS).transform(flat)


def test_a_list_mixing_paths_and_images_names_the_odd_item(paths):
    with pytest.raises(TypeError, match=r"images\[1\] is of type int"):
        resolve_sources([paths[0], 3])
