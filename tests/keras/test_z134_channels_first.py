"""Round 24's Keras review (Z134), F1: a ``channels_first`` image_data_format in the
caller's Keras config crashed every built-in network and made the flip augmentation
swap colour channels instead of mirroring; each test failed before the fix."""

import keras
import numpy as np
import pytest

from aufeat.keras import KerasCNNClassifier, load_keras, save_keras
from aufeat.keras._architectures import augmentation_layers


def _faces(rng, n=8, size=32, channels=None):
    shape = (n, size, size) if channels is None else (n, size, size, channels)
    X = rng.random(shape).astype(np.float32) * 0.5
    X[: n // 2, 8:24, 8:24] += 0.5
    return X, np.repeat(["calm", "smile"], n // 2)


@pytest.mark.parametrize(("architecture", "channels", "augmentation"), [
    ("small-cnn", None, {"flip": True, "shift": 0.1, "rotation": 10, "zoom": 0.1}),
    ("vgg-small", 3, None),
    ("MobileNetV2", None, {"flip": True}),  # a preprocess_input (x / 127.5 - 1) and grey->RGB
])
def test_built_in_networks_fit_under_a_channels_first_setting(
        rng, channels_first, architecture, channels, augmentation):
    X, y = _faces(rng, channels=channels)
    clf = KerasCNNClassifier(architecture, input_size=32, epochs=1, validation_fraction=0,
                             augmentation=augmentation, random_state=0).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 2)
    assert np.allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    assert keras.config.image_data_format() == "channels_first"  # the caller's, put back


def test_a_model_fitted_under_channels_first_reloads_the_same_under_either(
        rng, channels_first, tmp_path):
    X, y = _faces(rng)
    clf = KerasCNNClassifier("small-cnn", input_size=32, epochs=1, validation_fraction=0,
                             augmentation={"flip": True}, random_state=0).fit(X, y)
    expected = clf.predict_proba(X)
    path = save_keras(clf, tmp_path / "cnn.keras")
    assert np.array_equal(load_keras(path).predict_proba(X), expected)
    keras.config.set_image_data_format("channels_last")  # the fixture puts its own back
    assert np.array_equal(load_keras(path).predict_proba(X), expected)


def _red_arrow():
    """A pure red (N, H, W, C) image whose left and right halves differ."""
    image = np.zeros((1, 6, 6, 3), np.float32)
    image[0, :, :2, 0] = 1.0
    image[0, 2, 2:, 0] = 0.5
    return image


def test_the_flip_layer_mirrors_the_width_under_channels_first(channels_first):
    image = _red_arrow()
    mirrored = image[:, :, ::-1, :]
    flip = augmentation_layers(keras, {"flip": True}, seed=0)[0]
    outputs = [np.asarray(flip(image, training=True)) for _ in range(12)]
    for out in outputs:  # each draw is the face or its mirror image, red as it was
        assert np.array_equal(out, image) or np.array_equal(out, mirrored)
    assert any(np.array_equal(out, mirrored) for out in outputs)


@pytest.mark.parametrize("augmentation", [{"shift": 0.3}, {"rotation": 30}, {"zoom": 0.3}])
def test_spatial_augmentations_keep_the_colours_under_channels_first(
        channels_first, augmentation):
    image = _red_arrow()
    layer = augmentation_layers(keras, augmentation, seed=0)[0]
    outs = np.stack([np.asarray(layer(image, training=True)) for _ in range(6)])
    assert outs.shape == (6, *image.shape)
    assert not outs[..., 1:].any()  # green and blue stay 0: (H, W) moved, not the channels
    assert outs[..., 0].any()
