"""Round 18's Keras review (Z88): each test failed before its fix."""

import keras
import numpy as np
import pytest
from PIL import Image
from sklearn.utils._param_validation import InvalidParameterError

from aufeat.exceptions import AufeatWarning, InvalidImageError
from aufeat.io import read_image
from aufeat.keras import KerasCNNClassifier
from aufeat.keras._images import prepare_images


def _images(rng, n=16, size=12):
    X = rng.random((n, size, size)).astype(np.float32) * 0.5
    X[: n // 2, 3:9, 3:9] += 0.5
    return X, np.repeat(["a", "b"], n // 2)


def _cnn(architecture="small-cnn", **kw):
    return KerasCNNClassifier(architecture, **{"input_size": None, "epochs": 1,
                                               "validation_fraction": 0, "random_state": 0,
                                               **kw})


def _dense(input_shape, n_classes):
    return keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(),
                             keras.layers.Dense(n_classes, activation="softmax")])


# F01. a list of PIL images reached the network through np.asarray: palette index numbers,
# a CMYK photo's inks read as RGBA


@pytest.mark.parametrize("other", [None, (20, 20)], ids=["one size", "two sizes"])
def test_a_list_of_pil_images_gives_the_pixels_of_their_files(rng, tmp_path, other):
    grey = rng.integers(0, 256, (16, 16), dtype=np.uint8)
    rgb = rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)
    palette = Image.fromarray(255 - grey, "L").convert("P")  # indices 255 - grey ...
    palette.putpalette([v for i in range(256) for v in (255 - i,) * 3])  # ... show grey
    palette.save(tmp_path / "face.png")  # a palette PNG, as GIFs and many PNGs are
    Image.fromarray(rgb, "RGB").convert("CMYK").save(tmp_path / "face.tif")  # lossless CMYK
    for name in ("face.png", "face.tif"):
        with Image.open(tmp_path / name) as image:
            assert image.mode in ("P", "CMYK")
            pixels = read_image(tmp_path / name, as_uint8=True)  # what the file holds
            neighbour = [] if other is None else [np.zeros((*other, *pixels.shape[2:]),
                                                           np.uint8)]
            got = prepare_images([image, *neighbour], 16)[0]
            want = prepare_images([pixels, *neighbour], 16)[0]
        np.testing.assert_allclose(got, want, atol=1.5 / 255)  # CMYK: PIL's vs OpenCV's
        # rounding of the conversion
    np.testing.assert_allclose(prepare_images([Image.open(tmp_path / "face.png")], None)[..., 0],
                               grey[None] / 255, atol=1e-6)  # the shown grey, not the indices


# F02. in a list of images of several sizes, RGBA was resized before it was blended on white
# (and integers rounded back): an image's pixels hung on its neighbours' sizes


def test_an_rgba_image_prepares_alike_alone_and_beside_images_of_other_sizes(rng):
    face = np.zeros((48, 48, 4), np.uint8)
    face[..., :3] = 255  # an opaque white face ...
    holes = rng.random((48, 48)) < 0.5
    face[..., 3] = np.where(holes, 0, 255)  # ... with transparent pixels whose hidden
    face[holes, :3] = 0  # colour is black: on white, every pixel is white
    other = np.full((40, 40, 4), 255, np.uint8)
    alone = prepare_images([face], 24)[0]
    mixed = prepare_images([face, other], 24)[0]
    np.testing.assert_array_equal(alone, 1.0)
    np.testing.assert_array_equal(mixed, alone)
    np.testing.assert_array_equal(prepare_images(face[None], 24)[0], alone)


def test_an_integer_image_is_not_rounded_back_beside_images_of_other_sizes(rng):
    face = rng.integers(0, 256, (37, 29), dtype=np.uint8)
    other = rng.integers(0, 256, (20, 20), dtype=np.uint8)
    np.testing.assert_array_equal(prepare_images([face, other], 16)[0],
                                  prepare_images(face[None], 16)[0])


def test_a_list_of_several_sizes_warns_once_of_wide_integers_holding_bytes(rng):
    crops = [rng.integers(0, 256, (n, n)).astype(np.uint16) for n in (20, 24, 28)]
    with pytest.warns(AufeatWarning, match="uint16 images with pixels up to") as caught:
        prepare_images(crops, 16)
    assert len([w for w in caught if issubclass(w.category, AufeatWarning)]) == 1


def _messages(X):
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        prepare_images(X, 16)
    return sorted(str(w.message) for w in caught)


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_the_warnings_of_a_list_do_not_hang_on_its_sizes(rng, dtype):
    """SL10 F05: a list of several sizes warned once per image of as_image_batch's word."""
    faces = [rng.integers(0, 256, (20 + i, 24)).astype(dtype) for i in range(12)]
    same = _messages([face[:20] for face in faces])
    assert len(same) == 2
    assert _messages(faces) == same  # each said once, for the list, as X
    assert _messages(np.stack([face[:20] for face in faces])) == same


def test_a_one_size_list_mixing_pixel_types_warns_of_wide_integers_too(rng):
    """SL10 F05: stacking scaled the uint16 face first, so its 0-255 values went unsaid."""
    grey = rng.integers(0, 256, (20, 24)).astype(np.uint16)
    one_size, two_sizes = [grey, rng.random((20, 24))], [grey, rng.random((30, 30))]
    assert any("uint16 images with pixels up to" in m for m in _messages(one_size))
    assert _messages(one_size) == _messages(two_sizes)


def test_an_image_with_no_channels_is_named_empty_not_all_nan(rng):
    """SL10 F06: an empty float image was 'all NaN, faces the aligner did not find'."""
    empty = rng.random((20, 24, 3))[..., 3:]
    for X in ([empty, rng.random((30, 30, 0))], empty[None]):
        with pytest.raises(InvalidImageError, match="empty array") as info:
            prepare_images(X, 16)
        assert "NaN" not in str(info.value)


# F05. weights= was silently ignored when architecture is a function


def test_weights_with_an_architecture_function_are_refused(rng, tmp_path):
    X, y = _images(rng)
    path = tmp_path / "backbone.weights.h5"
    _dense((12, 12, 1), 2).save_weights(path)  # an existing file was ignored too
    for weights in ("imagenet", path, tmp_path / "missing.weights.h5"):
        with pytest.raises(ValueError, match="load weights inside your function"):
            _cnn(_dense, weights=weights).fit(X, y)
    assert _cnn(_dense).fit(X, y).predict(X).shape == (16,)


# F06. augmentation=np.True_ (a NumPy parameter grid) or 1 failed with a raw TypeError


def test_a_numpy_bool_augmentation_is_a_bool_and_others_are_refused(rng):
    X, y = _images(rng)
    cnn = _cnn(_dense, augmentation=np.array([True, False])[0]).fit(X, y)
    # as True: the documented flip, shift, rotation and zoom in front of the network
    assert [type(layer).__name__ for layer in cnn.model_.layers[1:5]] == [
        "RandomFlip", "RandomTranslation", "RandomRotation", "RandomZoom"]
    for value in (1, "yes", ["flip"]):
        with pytest.raises(InvalidParameterError, match="'augmentation' parameter of "
                                                        "KerasCNNClassifier must be"):
            _cnn(_dense, augmentation=value).fit(X, y)
