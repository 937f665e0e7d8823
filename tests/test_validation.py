"""Shared input validation: layouts, dtype rules and every bad-input case."""

import numpy as np
import pytest
from skimage import color, util

from aufeat import InvalidImageError
from aufeat._validation import as_image_batch, to_gray, unbatch


@pytest.mark.parametrize(
    ("shape", "batch_shape", "single"),
    [
        ((48, 40), (1, 48, 40), True),
        ((48, 40, 3), (1, 48, 40, 3), True),
        ((48, 40, 4), (1, 48, 40, 4), True),
        ((48, 40, 1), (1, 48, 40, 1), True),
        ((5, 48, 40), (5, 48, 40), False),
        ((5, 48, 40, 3), (5, 48, 40, 3), False),
    ],
)
def test_layouts(shape, batch_shape, single):
    batch = as_image_batch(np.zeros(shape))
    assert batch.data.shape == batch_shape
    assert batch.single is single
    assert batch.data.flags.c_contiguous


def test_explicit_channel_axis_moves_channels_last(rng):
    image = rng.random((3, 20, 30))
    batch = as_image_batch(image, channel_axis=0)
    assert batch.single
    np.testing.assert_array_equal(batch.data[0], np.moveaxis(image, 0, -1))


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int8, np.int16, np.int32, bool])
def test_integer_and_bool_scaled_like_img_as_float(rng, dtype):
    info = np.iinfo(dtype) if dtype is not bool else None
    if info is None:
        image = rng.random((9, 11)) > 0.5
    else:
        image = rng.integers(info.min, info.max, size=(9, 11), endpoint=True).astype(dtype)
    batch = as_image_batch(image)
    assert batch.data.dtype == np.float64
    np.testing.assert_array_equal(batch.data[0], util.img_as_float64(image))


def test_float32_stays_float32_and_other_floats_become_float64():
    assert as_image_batch(np.zeros((8, 8), np.float32)).data.dtype == np.float32
    assert as_image_batch(np.zeros((8, 8), np.float64)).data.dtype == np.float64
    # float16 as scikit-image's _supported_float_type: computed in float32
    assert as_image_batch(np.zeros((8, 8), np.float16)).data.dtype == np.float32
    assert as_image_batch(np.zeros((8, 8), np.longdouble)).data.dtype == np.float64
    big_endian = np.arange(64, dtype=">f4").reshape(8, 8)  # as read from some FITS/HDF5 files
    batch = as_image_batch(big_endian).data
    assert batch.dtype == np.float32
    np.testing.assert_array_equal(batch[0], big_endian)


def test_rescale_false_keeps_raw_integer_values():
    image = np.arange(12, dtype=np.uint8).reshape(3, 4)
    np.testing.assert_array_equal(as_image_batch(image, rescale=False).data[0], image)


@pytest.mark.parametrize("channels", [3, 4])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gray_conversion_equals_skimage(rng, channels, dtype):
    image = rng.random((10, 12, channels)).astype(dtype)
    expected = color.rgb2gray(color.rgba2rgb(image) if channels == 4 else image)
    got = as_image_batch(image, gray=True).data[0]
    assert got.dtype == dtype
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6 if dtype == np.float32 else 1e-15)


def test_to_gray_single_channel_is_a_view_of_the_channel(rng):
    batch = rng.random((2, 5, 5, 1))
    np.testing.assert_array_equal(to_gray(batch), batch[..., 0])


def test_unbatch():
    result = np.arange(6).reshape(2, 3)
    np.testing.assert_array_equal(unbatch(result, True), result[0])
    assert unbatch(result, False) is result


@pytest.mark.parametrize(
    ("image", "fragment"),
    [
        (np.zeros((0, 10)), "empty array"),
        (np.zeros((5, 0, 10)), "empty array"),
        (np.zeros(10), "expected one image"),
        (np.zeros((2, 3, 4, 5, 6)), "expected one image"),
        (np.zeros((2, 8, 8, 5)), "5 channels"),
        (np.array([["a", "b"], ["c", "d"]]), "real numeric image"),
        (np.zeros((4, 4), dtype=complex), "real numeric image"),
        (np.zeros((4, 4), dtype=object), "real numeric image"),
        (np.full((4, 4), np.nan), "NaN or inf"),
        (np.array([[0.0, np.inf], [1.0, 2.0]], dtype=np.float32), "NaN or inf"),
    ],
)
def test_bad_input_raises_specific_error(image, fragment):
    with pytest.raises(InvalidImageError, match=fragment) as info:
        as_image_batch(image, name="faces")
    message = str(info.value)
    assert message.startswith("faces:")
    assert str(np.asarray(image).dtype) in message


def test_invalid_image_error_is_a_value_error():
    with pytest.raises(ValueError, match="empty"):
        as_image_batch(np.zeros((0, 0)))


def test_too_small_names_the_size_and_reason():
    with pytest.raises(InvalidImageError, match=r"7x9 pixels.*minimum 8x8 \(one HOG block\)"):
        as_image_batch(np.zeros((7, 9)), min_size=(8, 8), min_size_reason="one HOG block")


def test_channel_axis_on_2d_input_is_refused():
    with pytest.raises(InvalidImageError, match="channel_axis=-1 was given"):
        as_image_batch(np.zeros((8, 8)), channel_axis=-1)


def test_channel_axis_out_of_range_is_refused():
    with pytest.raises(InvalidImageError, match="not an axis"):
        as_image_batch(np.zeros((8, 8, 3)), channel_axis=5)


def test_a_list_of_images_of_different_shapes_is_refused_naming_two_shapes():
    # np.asarray raised NumPy's "inhomogeneous shape" ValueError, which names no image
    images = [np.zeros((48, 48)), np.zeros((48, 48)), np.zeros((52, 50), np.uint8)]
    with pytest.raises(InvalidImageError,
                       match=r"faces\[0\] has shape \(48, 48\).*faces\[2\] has \(52, 50\)"
                             r".*Resize.*HOGExtractor") as info:
        as_image_batch(images, name="faces")
    assert "inhomogeneous" not in str(info.value)


def test_a_ragged_nested_list_is_an_invalid_image():
    with pytest.raises(InvalidImageError, match=r"image: .*ragged"):
        as_image_batch([[[0.0, 1.0], [0.5]], [[0.0, 1.0], [0.5, 0.2]]])


def test_scales_are_what_each_image_was_divided_by():
    u8, u16, f = np.zeros((5, 6), np.uint8), np.zeros((5, 6), np.uint16), np.zeros((5, 6))
    np.testing.assert_array_equal(as_image_batch([u8, f, u16]).scales, [255, 1, 65535])
    np.testing.assert_array_equal(as_image_batch(np.stack([u8, u8])).scales, [255, 255])
    np.testing.assert_array_equal(as_image_batch(u8, rescale=False).scales, [1])
    assert as_image_batch([u8[0], f[0]]).scales is None  # rows of one image


def test_a_grey_alpha_image_is_refused_not_read_as_a_batch():
    # np.asarray(PIL.Image.open(la_png)) is (H, W, 2); read as H images W x 2 it gave H rows
    from aufeat import extract_gabor, extract_hog, extract_lbp

    la = np.zeros((20, 24, 2), np.uint8)
    for call in (lambda x: extract_gabor(x, pooling="histogram"),
                 lambda x: extract_lbp(x, pixels_per_cell=(2, 2)),
                 lambda x: extract_hog(x, pixels_per_cell=(1, 1), cells_per_block=(1, 1))):
        with pytest.raises(InvalidImageError,
                           match=r"\(20, 24, 2\).*grey\+alpha.*image\[\.\.\., 0\].*"
                                 r"image\[\.\.\., None\]"):
            call(la)
    assert as_image_batch(la[..., None]).data.shape == (20, 24, 2, 1)  # a batch, said so


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint32, np.uint64])
def test_wide_integers_holding_bytes_warn_and_keep_skimage_scaling(rng, dtype):
    import warnings

    from aufeat.exceptions import AufeatWarning

    image = rng.integers(0, 256, (9, 11)).astype(dtype)
    with pytest.warns(AufeatWarning, match=r"0-255.*astype\(np\.uint8\)") as caught:
        batch = as_image_batch(image)
    assert caught[0].filename == __file__  # the user's line
    np.testing.assert_array_equal(batch.data[0], util.img_as_float64(image))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for quiet in (image.astype(np.uint8), image.astype(np.int16), image * 1000,
                      np.zeros((4, 4), dtype)):
            as_image_batch(quiet)
        as_image_batch(image, rescale=False)


def test_a_wide_integer_warning_through_an_extractor_is_shown_once_at_the_users_line(rng):
    # fit and transform both warned, at scikit-learn's fit_transform / set_output lines, so the
    # default filter showed the same text twice and named no line of the user's
    import warnings

    from aufeat.estimators import HOGExtractor
    from aufeat.exceptions import AufeatWarning

    faces = rng.integers(0, 256, (3, 32, 32)).astype(np.int64)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        HOGExtractor().fit_transform(faces)
    shown = [w for w in caught if issubclass(w.category, AufeatWarning)]
    assert len(shown) == 1
    assert shown[0].filename == __file__


def test_a_0_1_integer_mask_is_not_told_to_become_uint8(rng):
    import warnings

    mask = rng.integers(0, 2, (9, 11)).astype(np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        as_image_batch(mask)
