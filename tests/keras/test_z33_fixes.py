"""Round-12 findings on the Keras adapter: each test failed before its fix."""

import json
import warnings
import zipfile

import numpy as np
import pytest
from sklearn.base import clone

from aufeat.exceptions import AufeatWarning
from aufeat.keras import KerasCNNClassifier, KerasMLPClassifier, load_keras


def _mlp(**kw):
    return KerasMLPClassifier((4,), **{"epochs": 1, "validation_fraction": 0,
                                       "random_state": 0, **kw})


def _normalization(model):
    import keras

    return next(la for la in model.layers if isinstance(la, keras.layers.Normalization))


def test_a_feature_constant_in_training_is_scaled_by_1_as_by_standard_scaler(rng):
    """A zero-variance column was divided by 1e-7: 0.01 at predict time became 1e5."""
    from sklearn.preprocessing import StandardScaler

    X = rng.normal(size=(30, 4))
    X[:, 2] = 0.0          # an LBP bin no training face hits
    X[:, 3] = 1234.5678    # constant, but its float32 mean is off by rounding
    y = np.where(X[:, 0] > 0, "up", "down")
    mlp = _mlp().fit(X, y)
    X_new = rng.normal(size=(5, 4))
    X_new[:, 2] = 0.01
    X_new[:, 3] = 1235.5678
    standardised = np.asarray(_normalization(mlp.model_)(X_new.astype(np.float32)))
    want = StandardScaler().fit(X.astype(np.float32)).transform(X_new)
    np.testing.assert_allclose(standardised, want, rtol=1e-4, atol=1e-3)
    assert np.abs(standardised).max() < 10


def test_an_old_file_whose_network_divides_a_constant_feature_by_1e_7_warns_at_load(
        rng, tmp_path):
    X = rng.normal(size=(30, 3))
    y = np.where(X[:, 0] > 0, "up", "down")
    mlp = _mlp().fit(X, y)
    # a file fitted now: saved before the network is made old below (it was a second,
    # identical fit of the same seed and rows)
    new = mlp.save(tmp_path / "new.keras")
    norm = _normalization(mlp.model_)  # as aufeat fitted it before the fix
    import keras

    variance = np.array(keras.ops.convert_to_numpy(norm.adapt_variance.value))
    variance[1] = 0.0
    norm.adapt_variance.assign(variance)
    norm.finalize_state()
    path = mlp.save(tmp_path / "old.keras")
    with pytest.warns(AufeatWarning, match=r"1 feature\(s\) constant in training .* refit"):
        loaded = load_keras(path)
    np.testing.assert_array_equal(loaded.predict_proba(X), mlp.predict_proba(X))
    with warnings.catch_warnings():  # a file fitted now loads without a word
        warnings.simplefilter("error", AufeatWarning)
        load_keras(new)


def _logits(input_shape, n_classes):
    import keras

    return keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(),
                             keras.layers.Dense(n_classes)])


def _sigmoid_1(input_shape, n_classes):
    import keras

    return keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(),
                             keras.layers.Dense(1, activation="sigmoid")])


def _sigmoid_n(input_shape, n_classes):
    import keras

    return keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(),
                             keras.layers.Dense(n_classes, activation="sigmoid")])


@pytest.mark.parametrize(("net", "message"), [
    (_logits, r"architecture: the network of _logits does not output probabilities"),
    (_sigmoid_n, r"architecture: the network of _sigmoid_n does not output probabilities"),
    (_sigmoid_1, r"architecture: the network of _sigmoid_1 has 1 output\(s\), not one per "
                 r"class \(2\)"),
])
def test_a_callable_architecture_must_output_class_probabilities(tiny_images, net, message):
    """Logits trained under categorical cross-entropy and came back as 'probabilities' < 0."""
    X, y, _ = tiny_images
    cnn = KerasCNNClassifier(net, input_size=None, epochs=1, validation_fraction=0)
    with pytest.raises(ValueError, match=message + r".*Dense\(n_classes, activation="
                                                   r"'softmax'\)"):
        cnn.fit(X, y)
    assert not hasattr(cnn, "model_")


def test_a_failed_refit_keeps_the_fitted_model_whole(rng):
    """The old network answered under the failed refit's classes_ (happy/sad became 0/1)."""
    X = rng.normal(size=(40, 3))
    y = np.where(X[:, 0] > 0, "happy", "sad")
    mlp = _mlp(epochs=2).fit(X, y)
    before = mlp.predict_proba(X)
    mlp.set_params(validation_fraction=0.2)  # one subject: no whole-subject validation split
    with pytest.raises(ValueError, match="subject"):
        mlp.fit(X[:, :2], np.where(X[:, 1] > 0, 1, 0), groups=np.zeros(40))
    assert mlp.classes_.tolist() == ["happy", "sad"]
    assert mlp.n_features_in_ == 3
    np.testing.assert_array_equal(mlp.predict_proba(X), before)
    mlp.fit(X[:, :2], np.where(X[:, 1] > 0, 1, 0))  # a refit that succeeds replaces it all
    assert mlp.classes_.tolist() == [0, 1]
    assert mlp.n_features_in_ == 2
    assert mlp.predict_proba(X[:, :2]).shape == (40, 2)


def test_an_interrupted_refit_keeps_the_fitted_model_whole(tiny_images):
    X, y, _ = tiny_images
    cnn = KerasCNNClassifier(input_size=12, epochs=1, validation_fraction=0,
                             random_state=0).fit(X, y)
    before = cnn.predict_proba(X)

    def interrupted(input_shape, n_classes):
        raise KeyboardInterrupt  # Ctrl-C during a long build or training

    cnn.set_params(architecture=interrupted, input_size=16)
    with pytest.raises(KeyboardInterrupt):
        cnn.fit(X, np.where(y == "calm", 0, 1))
    assert cnn.classes_.tolist() == ["calm", "smile"]
    assert cnn.input_shape_ == (12, 12, 1)
    cnn.set_params(architecture="small-cnn", input_size=12)
    np.testing.assert_array_equal(cnn.predict_proba(X), before)


def test_predict_proba_rows_sum_to_1_in_float64(rng):
    """float32 softmax rows cast as they were: log_loss warned 'do not sum to one'."""
    from sklearn.metrics import log_loss

    X = rng.normal(size=(300, 5))
    y = np.array(["a", "b", "c"])[np.argmax(X[:, :3], axis=1)]
    proba = _mlp().fit(X, y).predict_proba(X)
    assert proba.dtype == np.float64
    assert np.abs(proba.sum(axis=1) - 1).max() <= 1e-12
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        log_loss(y, proba, labels=["a", "b", "c"])


def test_mlp_refuses_zero_features_and_sparse_input(rng):
    import scipy.sparse

    y = np.repeat(["a", "b"], 10)
    with pytest.raises(ValueError, match=r"0 feature\(s\) \(shape=\(20, 0\)\) while a minimum "
                                         r"of 1 is required"):
        _mlp().fit(np.zeros((20, 0)), y)
    X = scipy.sparse.random(20, 5, density=0.5, random_state=0, format="csr")
    with pytest.raises(TypeError, match=r"sparse .* dense .*X\.toarray\(\)"):
        _mlp().fit(X, y)
    mlp = _mlp().fit(X.toarray(), y)
    with pytest.raises(TypeError, match=r"X\.toarray\(\)"):
        mlp.predict(scipy.sparse.csr_array(X))


def _softmax_net(input_shape, n_classes):
    import keras

    return keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(),
                             keras.layers.Dense(n_classes, activation="softmax")])


def test_a_callable_architecture_is_recorded_and_a_refit_of_the_loaded_model_says_why(
        tiny_images, tmp_path):
    """The file said nothing and clone(loaded).fit was 'must be a name ..., got None'."""
    X, y, _ = tiny_images
    cnn = KerasCNNClassifier(_softmax_net, input_size=None, epochs=1, validation_fraction=0,
                             random_state=0).fit(X, y)
    with pytest.warns(AufeatWarning, match=r"architecture: a function \(_softmax_net\) "
                                           r"cannot be saved"):
        path = cnn.save(tmp_path / "net.keras")
    record = json.loads(zipfile.ZipFile(path).read("aufeat.json"))
    assert record["params_not_stored"] == {"architecture": "a function: _softmax_net"}
    loaded = load_keras(path)
    assert loaded.architecture is None
    np.testing.assert_array_equal(loaded.predict_proba(X), cnn.predict_proba(X))
    with pytest.raises(TypeError, match=r"architecture is None.*loaded from a \.keras file.*"
                                        r"set_params\(architecture="):
        clone(loaded).fit(X, y)
    refit = clone(loaded).set_params(architecture=_softmax_net).fit(X, y)
    assert refit.predict_proba(X).shape == (48, 2)


@pytest.mark.parametrize(("architecture", "smallest"), [("small-cnn", 10), ("vgg-small", 8)])
def test_input_size_below_a_built_in_architecture_s_minimum_is_named(architecture, smallest):
    """Keras' 'Computed output size would be zero or negative' from inside MaxPooling2D."""
    from aufeat.keras._architectures import build_image_model

    for shape in [(smallest, smallest, 1), (smallest + 5, smallest, 3)]:
        assert build_image_model(architecture, shape, 2).output_shape == (None, 2)
    message = (rf"'{architecture}' needs images of at least {smallest}x{smallest} pixels; "
               rf"got {smallest - 1}x{smallest + 2} \(width x height\): set input_size")
    with pytest.raises(ValueError, match=message):
        build_image_model(architecture, (smallest + 2, smallest - 1, 1), 2)
    with pytest.raises(ValueError, match=rf"'{architecture}' needs .* at least {smallest}x"):
        KerasCNNClassifier(architecture, input_size=smallest - 1, epochs=1).fit(
            np.zeros((4, 24, 24)), ["a", "b", "a", "b"])


def test_epoch_is_the_number_of_epochs_trained(rng, tmp_path):
    """epoch_ (public, Keras' wrapper's) read a history key aufeat never wrote: always 0."""
    X = rng.normal(size=(20, 3))
    y = np.repeat(["a", "b"], 10)
    with pytest.raises(AttributeError, match="not fitted"):
        _mlp().epoch_  # noqa: B018
    mlp = _mlp(epochs=3).fit(X, y)
    assert mlp.epoch_ == mlp.n_epochs_ == 3
    assert load_keras(mlp.save(tmp_path / "m.keras")).epoch_ == 3


def test_fitting_and_loading_an_mlp_raise_no_deprecation_warning(rng, tmp_path):
    # reading the Normalization layer's variance went through np.array(KerasVariable), which
    # NumPy 2 warns about (no copy keyword) on every fit and every load
    X = rng.normal(size=(30, 3))
    y = np.where(X[:, 0] > 0, "up", "down")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        mlp = _mlp().fit(X, y)
    path = mlp.save(tmp_path / "m.keras")  # (Keras' own saving warns so, not aufeat)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        load_keras(path)
