"""Hypothesis properties of extract_hog: batches, constant images, dtype rules, skimage."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from skimage.feature import hog
from skimage.util import img_as_float

from aufeat.features.hog import extract_hog

SETTINGS = settings(max_examples=25, deadline=None)

params = st.fixed_dictionaries({
    "orientations": st.integers(1, 12),
    "pixels_per_cell": st.tuples(st.integers(2, 6), st.integers(2, 6)),
    "cells_per_block": st.tuples(st.integers(1, 3), st.integers(1, 3)),
    "block_norm": st.sampled_from(["L1", "L1-sqrt", "L2", "L2-Hys"]),
})


def _image_shape(draw, p, channels=()):
    rows = p["pixels_per_cell"][0] * p["cells_per_block"][0]
    cols = p["pixels_per_cell"][1] * p["cells_per_block"][1]
    # width >= 5: a 3-D batch whose last axis is 1, 3 or 4 reads as one colour image
    cols = max(cols, 5)
    return (draw(st.integers(rows, rows + 9)), draw(st.integers(cols, cols + 9)), *channels)


@st.composite
def image_and_params(draw, dtype=np.uint8, channels=()):
    p = draw(params)
    shape = _image_shape(draw, p, channels)
    # few grey levels: many ties and gradients exactly on bin edges
    levels = draw(st.sampled_from([2, 3, 5, 256]))
    image = draw(arrays(np.uint8, shape, elements=st.integers(0, levels - 1)))
    return (image * (255 // (levels - 1))).astype(dtype), p


@SETTINGS
@given(image_and_params(), st.integers(2, 4))
def test_batch_equals_singles(case, n):
    image, p = case
    batch = np.stack([np.roll(image, k, axis=1) for k in range(n)])
    ours = extract_hog(batch, **p)
    assert ours.shape[0] == n
    assert np.array_equal(ours, np.array([extract_hog(im, **p) for im in batch]))


@SETTINGS
@given(image_and_params())
def test_uint8_equals_skimage_on_img_as_float(case):
    image, p = case
    ours = extract_hog(image, **p)
    assert ours.dtype == np.float64
    assert np.array_equal(ours, extract_hog(img_as_float(image), **p))
    assert np.abs(ours - hog(img_as_float(image), **p)).max() <= 1e-7


@SETTINGS
@given(image_and_params(channels=(3,)))
def test_colour_equals_skimage(case):
    image, p = case
    ref = hog(img_as_float(image), channel_axis=-1, **p)
    assert np.abs(extract_hog(image, **p) - ref).max() <= 1e-7


@SETTINGS
@given(image_and_params(dtype=np.float32))
def test_float32_stays_float32_and_matches(case):
    image, p = case
    image = image / np.float32(255)
    ours = extract_hog(image, **p)
    assert ours.dtype == np.float32
    assert np.abs(ours.astype(np.float64) - hog(image, **p)).max() <= 1e-5


@SETTINGS
@given(params, st.floats(0, 1), st.sampled_from([np.float32, np.float64, np.uint8, bool]))
def test_constant_image_gives_zero_features(p, value, dtype):
    shape = (p["pixels_per_cell"][0] * p["cells_per_block"][0] + 3,
              p["pixels_per_cell"][1] * p["cells_per_block"][1] + 1)
    image = np.full(shape, value * 255 if dtype == np.uint8 else value).astype(dtype)
    ours = extract_hog(image, **p)
    assert ours.dtype == (np.float32 if dtype == np.float32 else np.float64)
    assert not ours.any()
    assert np.array_equal(ours, hog(img_as_float(image), **p))


@SETTINGS
@given(image_and_params())
def test_bool_and_int_images_scale_like_img_as_float(case):
    image, p = case
    for converted in (image > 127, image.astype(np.uint16) * 257, image.astype(np.int32)):
        ours = extract_hog(converted, **p)
        assert ours.dtype == np.float64
        assert np.array_equal(ours, extract_hog(img_as_float(converted), **p))
