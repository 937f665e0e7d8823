"""Round 16's Keras review (Z77): each test failed before its fix."""

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils._param_validation import InvalidParameterError

from aufeat.exceptions import InvalidImageError
from aufeat.keras import KerasCNNClassifier, KerasMLPClassifier, load_keras


def _images(rng, n=16, size=12):
    X = rng.random((n, size, size)).astype(np.float32) * 0.5
    X[: n // 2, 3:9, 3:9] += 0.5
    return X, np.repeat(["a", "b"], n // 2)


def _cnn(architecture, **kw):
    return KerasCNNClassifier(architecture, **{"input_size": None, "epochs": 1,
                                               "validation_fraction": 0, "random_state": 0,
                                               **kw})


def _dense(input_shape, n_classes, *layers):
    return keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(), *layers,
                             keras.layers.Dense(n_classes, activation="softmax")])


# F1. a network built once outside the architecture function was trained by every fit


def test_a_network_built_once_is_refused_for_a_second_fit_and_the_first_is_left_alone(rng):
    X, y = _images(rng)
    net = _dense((12, 12, 1), 2)
    first = _cnn(lambda shape, n: net).fit(X, y)
    before = first.predict_proba(X)
    with pytest.raises(ValueError, match="must build a new network on each call"):
        clone(first).fit(X, y)  # what each fold of evaluate / GridSearchCV does
    with pytest.raises(ValueError, match="must build a new network on each call"):
        first.fit(X, y)  # a refit would train it further from its own weights
    np.testing.assert_array_equal(first.predict_proba(X), before)


def test_a_new_network_around_layers_another_fit_trained_is_refused(rng):
    X, y = _images(rng)
    shared = keras.layers.Dense(8, activation="relu")  # a backbone built once
    _cnn(lambda shape, n: _dense(shape, n, shared)).fit(X, y)
    with pytest.raises(ValueError, match=r"returned a network \(or layers of one\)"):
        _cnn(lambda shape, n: _dense(shape, n, shared)).fit(X, y)


def test_a_loaded_model_s_network_is_refused_and_a_copy_of_it_trains(rng, tmp_path):
    X, y = _images(rng)
    loaded = load_keras(_cnn(_dense).fit(X, y).save(tmp_path / "m.keras"))
    before = loaded.predict_proba(X)
    with pytest.raises(ValueError, match="must build a new network on each call"):
        _cnn(lambda shape, n: loaded.model_).fit(X, y)

    def copy(shape, n):  # what the message advises
        net = keras.models.clone_model(loaded.model_)
        net.set_weights(loaded.model_.get_weights())
        return net

    assert _cnn(copy).fit(X, y).model_ is not loaded.model_
    np.testing.assert_array_equal(loaded.predict_proba(X), before)


def test_a_function_building_a_new_network_each_call_fits_every_clone(rng):
    X, y = _images(rng)
    first = _cnn(_dense).fit(X, y)
    second = clone(first).fit(X, y)
    assert second.model_ is not first.model_
    np.testing.assert_allclose(second.predict_proba(X), first.predict_proba(X), atol=1e-6)


def test_a_frozen_backbone_shared_under_a_new_head_fits_every_clone(rng):
    """Transfer learning (SL3 F5): a frozen backbone built once is never trained, so shared.

    Only trainable variables count as a fit's own; a trainable network handed out twice
    is still refused.
    """
    X, y = _images(rng)
    backbone = keras.Sequential([keras.Input((12, 12, 1)), keras.layers.Conv2D(2, 3),
                                 keras.layers.GlobalAveragePooling2D()])
    backbone.trainable = False  # e.g. keras.applications.MobileNetV2(weights=...), loaded once
    before = [keras.ops.convert_to_numpy(v.value).copy() for v in backbone.weights]

    def head(shape, n):  # a new head on every call
        inputs = keras.Input(shape)
        return keras.Model(inputs, keras.layers.Dense(n, activation="softmax")(
            backbone(inputs)))

    first = _cnn(head).fit(X, y)
    second = clone(first).fit(X, y)
    assert second.model_ is not first.model_
    for kept, now in zip(before, backbone.weights, strict=True):
        np.testing.assert_array_equal(kept, keras.ops.convert_to_numpy(now.value))  # untrained
    kept = first.predict_proba(X)
    backbone.trainable = True  # trainable now: another fit would train the first's layers
    with pytest.raises(ValueError, match=r"returned a network \(or layers of one\)"):
        _cnn(head).fit(X, y)  # (TL2 F1: recorded as frozen, it was trained, first changed)
    np.testing.assert_array_equal(first.predict_proba(X), kept)


# F2. NaN or negative class weights trained silently; a NaN network predicted one class


def _table(rng, n=40):
    X = rng.normal(size=(n, 4))
    return X, np.array(["a", "b"])[(X[:, 0] > 0).astype(int)]


def _mlp(**kw):
    return KerasMLPClassifier(**{"hidden_layer_sizes": (4,), "epochs": 1,
                                 "validation_fraction": 0, "random_state": 0, **kw})


@pytest.mark.parametrize("weight", [float("nan"), float("inf"), -1.0, "heavy"])
def test_class_weights_that_are_not_finite_and_non_negative_are_refused(rng, weight):
    X, y = _table(rng)
    with pytest.raises(ValueError, match=r"class_weight: the weight of class 'a' is .*finite "
                                         r"numbers >= 0"):
        _mlp(class_weight={"a": weight, "b": 1.0}).fit(X, y)


def test_a_zero_class_weight_still_trains(rng):
    X, y = _table(rng)
    assert np.isfinite(_mlp(class_weight={"a": 0.0}).fit(X, y).predict_proba(X)).all()


@pytest.mark.parametrize("validation_fraction", [0, 0.25])
def test_training_that_diverges_to_nan_is_an_error_and_keeps_the_earlier_fit(
        rng, validation_fraction):
    X, y = _table(rng)
    model = _mlp(optimizer="sgd", validation_fraction=validation_fraction).fit(X, y)
    before = model.predict_proba(X)
    with pytest.raises(ValueError, match=r"training diverged \(the loss was nan from epoch"):
        model.set_params(learning_rate=1e30, epochs=2).fit(X, y)
    np.testing.assert_array_equal(model.predict_proba(X), before)


# F3. min_delta and validation_fraction were checked only once training had started


@pytest.mark.parametrize(("name", "value"), [
    ("min_delta", None), ("min_delta", float("nan")), ("min_delta", float("inf")),
    ("min_delta", -0.01), ("min_delta", "0.01"),
    ("validation_fraction", "0.2"), ("validation_fraction", 1.0),
    ("validation_fraction", -0.1), ("validation_fraction", float("nan")),
])
def test_min_delta_and_validation_fraction_are_checked_before_training(rng, name, value):
    X, y = _images(rng)
    built = []

    def architecture(shape, n):
        built.append(shape)
        return _dense(shape, n)

    est = _cnn(architecture, **{"validation_fraction": 0.25, "epochs": 2, name: value})
    with pytest.raises(InvalidParameterError, match=f"The '{name}' parameter of "
                                                    "KerasCNNClassifier must be"):
        est.fit(X, y)
    assert built == []  # refused before a network was built


@pytest.mark.parametrize(("name", "value"), [
    ("min_delta", 0), ("min_delta", np.float32(0.01)), ("validation_fraction", None),
    ("validation_fraction", 0.0), ("validation_fraction", np.float64(0.5)),
])
def test_valid_min_delta_and_validation_fraction_still_fit(rng, name, value):
    X, y = _table(rng)
    model = _mlp(**{"validation_fraction": 0.25, name: value}).fit(X, y)
    assert model.best_epoch_ == 0


# F4. an empty image met OpenCV's assertion, or was called "all NaN"


@pytest.mark.parametrize(("X", "message"), [
    ([np.ones((20, 20)), np.ones((16, 16)), np.zeros((0, 16)), np.ones((24, 24))],
     r"X\[2\] has shape \(0, 16\): an empty image"),  # was cv2's "!ssize.empty()"
    ([np.ones((20, 20, 3)), np.zeros((20, 0, 3)), np.ones((16, 16, 3)), np.ones((20, 20, 3))],
     r"X\[1\] has shape \(20, 0, 3\): an empty image"),
    ([np.zeros((0, 16))] * 4, r"X\[0\] has shape \(0, 16\): an empty image"),  # was "all NaN"
    (np.zeros((4, 0, 16)), r"X\[0\] has shape \(0, 16\): an empty image \(no pixels\) "
                           r"\(as are all 4 images of the batch\)"),
    (np.zeros((4, 16, 0, 1), np.uint8), r"X\[0\] has shape \(16, 0, 1\): an empty image"),
])
def test_an_empty_image_is_named_in_fit(X, message):
    est = KerasCNNClassifier(input_size=16, epochs=1, validation_fraction=0)
    with pytest.raises(InvalidImageError, match=message):
        est.fit(X, ["a", "b", "a", "b"])


def test_an_empty_image_is_named_in_predict(rng):
    X, y = _images(rng, size=16)
    model = _cnn(_dense, input_size=16).fit(X, y)
    with pytest.raises(InvalidImageError, match=r"X\[1\] has shape \(0, 30\): an empty image"):
        model.predict([X[0], np.zeros((0, 30)), np.ones((30, 30))])
