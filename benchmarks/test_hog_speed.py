"""HOG speed: aufeat on a batch vs scikit-image one image at a time (run ``pytest benchmarks/``).

Both sides of a size process the same images, so the benchmark group of a size
compares them directly (time per round; divide by ``extra_info['images']`` for
the time per image). Setting: 9 orientations, 8x8 cells, 3x3 blocks, L2-Hys.
"""

import numpy as np
import pytest
from skimage.feature import hog

from aufeat import extract_hog

PARAMS = {"orientations": 9, "pixels_per_cell": (8, 8), "cells_per_block": (3, 3),
          "block_norm": "L2-Hys"}
# (height, width) -> images per round: big enough for aufeat's parallel path,
# small enough for scikit-image to finish a round in well under a second
SIZES = {(48, 48): 64, (112, 112): 32, (256, 256): 8, (480, 640): 4}


def _batch(shape):
    return np.random.default_rng(0).random((SIZES[shape], *shape))


def _id(shape):
    return f"{shape[0]}x{shape[1]}"


@pytest.mark.parametrize("shape", list(SIZES), ids=_id)
def test_hog_aufeat_batch(benchmark, shape):
    batch = _batch(shape)
    extract_hog(batch, **PARAMS)  # compile or load the Numba cache
    benchmark.group = f"hog {_id(shape)} batch of {len(batch)}"
    benchmark.extra_info["images"] = len(batch)
    out = benchmark(extract_hog, batch, **PARAMS)
    assert out.shape[0] == len(batch)


@pytest.mark.parametrize("shape", list(SIZES), ids=_id)
def test_hog_skimage_loop(benchmark, shape):
    batch = _batch(shape)
    benchmark.group = f"hog {_id(shape)} batch of {len(batch)}"
    benchmark.extra_info["images"] = len(batch)
    out = benchmark.pedantic(lambda: [hog(image, **PARAMS) for image in batch],
                             rounds=3, iterations=1, warmup_rounds=1)
    assert len(out) == len(batch)


def test_hog_aufeat_single_112(benchmark):
    image = _batch((112, 112))[0]
    extract_hog(image, **PARAMS)
    benchmark.group = "hog one 112x112 image"
    benchmark(extract_hog, image, **PARAMS)


def test_hog_skimage_single_112(benchmark):
    image = _batch((112, 112))[0]
    benchmark.group = "hog one 112x112 image"
    benchmark(hog, image, **PARAMS)
