"""extract_hog against skimage.feature.hog: random images, real photographs, batches."""

import numba
import numpy as np
import pytest
from skimage.feature import hog
from skimage.util import img_as_float

from aufeat.features.hog import extract_hog
from aufeat.parallel import use_parallel

TOL = {np.float64: 1e-7, np.float32: 1e-5}

PARAMS = [
    {},
    {"block_norm": "L1"},
    {"block_norm": "L1-sqrt"},
    {"block_norm": "L2", "transform_sqrt": True},
    {"orientations": 8, "pixels_per_cell": (4, 4), "cells_per_block": (2, 2)},
    {"orientations": 7, "pixels_per_cell": (5, 6), "cells_per_block": (2, 3)},
    {"orientations": 12, "pixels_per_cell": (6, 6), "cells_per_block": (1, 1),
     "block_norm": "L1"},
    {"orientations": 1, "pixels_per_cell": (3, 7), "cells_per_block": (4, 1)},
]


def assert_matches_skimage(ours, image, **kwargs):
    ref = hog(image, **kwargs)
    assert ours.dtype == ref.dtype
    assert ours.shape == ref.shape
    assert np.abs(ours.astype(np.float64) - ref).max() <= TOL[ref.dtype.type]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])  # float16: as float32
@pytest.mark.parametrize("params", PARAMS)
@pytest.mark.parametrize("shape", [(50, 37), (64, 64), (41, 83)])
def test_random_gray(rng, dtype, params, shape):
    image = rng.random(shape).astype(dtype)
    assert_matches_skimage(extract_hog(image, **params), image, **params)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("params", PARAMS[::2])
def test_random_colour(rng, dtype, params):
    image = rng.random((45, 52, 3)).astype(dtype)
    assert_matches_skimage(extract_hog(image, channel_axis=-1, **params), image,
                           channel_axis=-1, **params)


def test_rgba_uses_all_four_channels(rng):
    image = rng.random((40, 40, 4))
    assert_matches_skimage(extract_hog(image), image, channel_axis=-1)


@pytest.mark.parametrize("params", PARAMS[:6])
def test_camera(camera, params):
    image = camera[64:320, 96:352]  # 256x256 uint8 crop keeps skimage quick
    ours = extract_hog(image, **params)
    assert ours.dtype == np.float64
    assert_matches_skimage(ours, img_as_float(image), **params)


@pytest.mark.parametrize("params", [PARAMS[0], PARAMS[4]])
def test_camera_full(camera, params):
    assert_matches_skimage(extract_hog(camera, **params), img_as_float(camera), **params)


@pytest.mark.parametrize("params", [PARAMS[0], PARAMS[3], PARAMS[4]])
def test_astronaut_colour(astronaut, params):
    ours = extract_hog(astronaut, channel_axis=-1, **params)
    assert_matches_skimage(ours, img_as_float(astronaut), channel_axis=-1, **params)


def test_astronaut_colour_float32_channel_first(astronaut):
    image = np.moveaxis(img_as_float(astronaut[:200, 150:350]).astype(np.float32), -1, 0)
    ours = extract_hog(image, channel_axis=0, orientations=8)
    assert ours.dtype == np.float32
    assert_matches_skimage(ours, image, channel_axis=0, orientations=8)


@pytest.mark.parametrize("params", [PARAMS[0], PARAMS[4], PARAMS[5]])
def test_astronaut_gray_face_crop(astronaut, params):
    face = img_as_float(astronaut[20:200, 140:300, 1])  # her face, one channel
    assert_matches_skimage(extract_hog(face, **params), face, **params)


@pytest.mark.parametrize("n_threads", [1, 2])
@pytest.mark.parametrize(("colour", "dtype"), [(False, np.float64), (True, np.float64),
                                               (False, np.float32)])
def test_batch_equals_single_calls(rng, n_threads, colour, dtype):
    shape = (24, 64, 64, 3) if colour else (24, 64, 64)
    batch = rng.random(shape).astype(dtype)
    assert use_parallel(24, 64 * 64) or numba.config.NUMBA_NUM_THREADS < 2
    singles = np.array([extract_hog(im, orientations=8) for im in batch])
    previous = numba.get_num_threads()
    numba.set_num_threads(min(n_threads, numba.config.NUMBA_NUM_THREADS))
    try:
        ours = extract_hog(batch, orientations=8)
    finally:
        numba.set_num_threads(previous)
    assert np.array_equal(ours, singles)
    assert_matches_skimage(ours[5], batch[5], orientations=8,
                           channel_axis=-1 if colour else None)
