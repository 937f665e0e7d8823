"""A list of grey images 1, 3 or 4 pixels wide is N grey images, not one colour image.

The extractors stacked a list's 2-D images into ``(N, H, W)`` and handed it to the feature
function without a channel axis, whose layout rule reads a 3-D array with a last axis of
1, 3 or 4 as ONE ``(H, W, C)`` image: five 30x4 faces gave one row, and the cache (which
computes image by image) stored wrong features or refused every image as "1x40 pixels".
"""

import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

import aufeat
from aufeat.cache import FeatureCache
from aufeat.cache.errors import AllImagesFailedError
from aufeat.estimators import FHOGExtractor, GaborExtractor, HOGExtractor, LBPExtractor
from aufeat.features import extract_gabor, extract_hog, extract_lbp
from aufeat.features.fhog import extract_fhog

CASES = [(LBPExtractor, {"grid": (1, 1), "method": "uniform"}, extract_lbp),
         (GaborExtractor, {"frequencies": (0.25,), "orientations": 2, "grid": (2, 1)},
          extract_gabor),
         (HOGExtractor, {"pixels_per_cell": (2, 2), "cells_per_block": (1, 1)}, extract_hog)]
IDS = ["lbp", "gabor", "hog"]


@pytest.mark.parametrize(("cls", "params", "function"), CASES, ids=IDS)
@pytest.mark.parametrize("width", [1, 3, 4])
def test_a_list_of_narrow_grey_images_gives_one_row_each(cls, params, function, width, rng,
                                                         tmp_path):
    if cls is HOGExtractor and width == 1:
        params = {"pixels_per_cell": (2, 1), "cells_per_block": (1, 1)}
    images = [rng.integers(0, 256, (30, width), dtype=np.uint8) for _ in range(5)]
    expected = np.stack([function(image, **params) for image in images])
    assert np.array_equal(cls(**params).fit_transform(images), expected)
    cache = FeatureCache(tmp_path / "cache")
    got = cache.features(images, cls(**params), progress=False)
    assert cache.last_fill.n_failed == 0
    assert np.array_equal(got, expected)


def test_a_tiny_grey_image_is_named_by_its_own_size(tmp_path):
    cache = FeatureCache(tmp_path / "cache")
    with pytest.raises(AllImagesFailedError, match="images of 4x4 pixels"):
        cache.features([np.zeros((4, 4), np.uint8)], HOGExtractor(), progress=False)


def test_fhog_reads_a_list_of_narrow_grey_images_as_grey(rng):
    images = [rng.random((30, 3)) for _ in range(4)]
    got = FHOGExtractor(cell_size=1).fit_transform(images)
    assert got.shape[0] == 4
    assert np.array_equal(got, extract_fhog(np.stack(images)[..., None], cell_size=1))


@pytest.mark.parametrize("cls", [LBPExtractor, GaborExtractor, HOGExtractor, FHOGExtractor])
def test_square_images_keep_their_features(cls, rng):
    images = [rng.random((24, 24)) for _ in range(3)]
    params = {"cell_size": 4} if cls is FHOGExtractor else {}
    function = {LBPExtractor: extract_lbp, GaborExtractor: extract_gabor,
                HOGExtractor: extract_hog}.get(cls)
    got = cls(**params).fit_transform(images)
    assert np.array_equal(got, cls(**params).fit_transform(np.stack(images)))
    if function is not None:
        assert np.array_equal(got, function(np.stack(images)))


def test_aufeat_extract_reads_narrow_grey_files_as_grey(tmp_path, rng):
    folder = tmp_path / "thin"
    folder.mkdir()
    for i in range(3):
        cv2.imwrite(str(folder / f"t{i}.png"), rng.integers(0, 256, (40, 4), dtype=np.uint8))
    env = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}  # this aufeat
    run = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "extract", "--dataset",
                          "folder:thin", "--features", "gabor", "--cache", "cache",
                          "--out-dir", "out", "--no-progress"],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    (features,) = (tmp_path / "out").glob("*.npy")
    images = [cv2.imread(str(folder / f"t{i}.png"), cv2.IMREAD_UNCHANGED) for i in range(3)]
    assert np.allclose(np.load(features), extract_gabor(np.stack(images)[..., None]))
