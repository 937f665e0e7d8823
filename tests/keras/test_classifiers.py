"""KerasCNNClassifier / KerasMLPClassifier: accuracy, reproducibility, early stopping, errors."""

import re

import numpy as np
import pytest
from sklearn.base import clone

from aufeat.exceptions import InvalidImageError
from aufeat.keras import KerasCNNClassifier, KerasMLPClassifier, load_keras
from aufeat.keras._training import balanced_class_weight, validation_split


def test_small_cnn_is_subject_independent_accurate_on_synthetic_faces(aligned_faces):
    """Acceptance: >= 0.80 on 5 synthetic identities the network never saw (train or val)."""
    faces, y, subjects = aligned_faces
    held_out = np.isin(subjects, np.unique(subjects)[-5:])
    cnn = KerasCNNClassifier(random_state=0)
    cnn.fit(faces[~held_out], y[~held_out], groups=subjects[~held_out])
    accuracy = cnn.score(faces[held_out], y[held_out])
    assert accuracy >= 0.80, (accuracy, cnn.n_epochs_, cnn.history_["val_macro_f1"])
    assert cnn.n_epochs_ < cnn.epochs or cnn.best_epoch_ >= cnn.epochs - cnn.patience
    assert cnn.input_shape_ == (48, 48, 1)


@pytest.mark.parametrize("augmentation", [None, True])
def test_clone_and_refit_with_the_same_seed_reproduces_predictions(tiny_images, augmentation):
    X, y, groups = tiny_images
    cnn = KerasCNNClassifier(input_size=None, epochs=4, augmentation=augmentation,
                             random_state=7).fit(X, y, groups=groups)
    again = clone(cnn).fit(X, y, groups=groups)
    np.testing.assert_array_equal(again.predict_proba(X), cnn.predict_proba(X))
    if augmentation is None:  # the seed matters: another one trains another network
        other = clone(cnn).set_params(random_state=8).fit(X, y, groups=groups)
        assert not np.array_equal(other.predict_proba(X), cnn.predict_proba(X))


def test_mlp_clone_reproduces_and_learns(rng):
    X = rng.normal(size=(120, 6)) * 50 + 100  # unscaled: the network standardises
    y = np.where(X[:, 0] + X[:, 1] > 200, "up", "down")
    mlp = KerasMLPClassifier(hidden_layer_sizes=(16,), epochs=40, validation_fraction=0,
                             random_state=0).fit(X, y)
    assert mlp.score(X, y) > 0.9
    np.testing.assert_array_equal(clone(mlp).fit(X, y).predict_proba(X), mlp.predict_proba(X))
    from sklearn.metrics import get_scorer, roc_auc_score

    # two classes: decision_function is one column, as scikit-learn's binary scorers need
    assert mlp.decision_function(X).shape == (len(X),)
    assert get_scorer("roc_auc")(mlp, X, y) == roc_auc_score(y, mlp.decision_function(X))


def test_a_random_state_object_seeds_as_in_scikit_learn(rng):
    X = rng.normal(size=(40, 4))
    y = np.where(X[:, 0] > 0, "up", "down")

    def fit(random_state):
        return KerasMLPClassifier((4,), epochs=2, validation_fraction=0,
                                  random_state=random_state).fit(X, y).predict_proba(X)

    np.testing.assert_array_equal(fit(np.random.RandomState(3)), fit(np.random.RandomState(3)))


def test_fit_leaves_the_caller_s_global_random_state_alone(rng):
    import random

    X = rng.normal(size=(40, 4))
    y = np.where(X[:, 0] > 0, "up", "down")
    np.random.seed(123)  # noqa: NPY002 - the legacy global state a user's script may rely on
    random.seed(123)
    expected = np.random.rand(), random.random()  # noqa: NPY002
    np.random.seed(123)  # noqa: NPY002
    random.seed(123)
    KerasMLPClassifier((4,), epochs=2, validation_fraction=0, random_state=0).fit(X, y)
    assert (np.random.rand(), random.random()) == expected  # noqa: NPY002


def test_get_params_and_clone_keep_every_parameter():
    cnn = KerasCNNClassifier("vgg-small", input_size=(40, 32), augmentation={"flip": True},
                             epochs=3, batch_size=8, optimizer="sgd", learning_rate=0.01,
                             class_weight=None, validation_fraction=0.2, patience=2,
                             random_state=3)
    assert clone(cnn).get_params() == cnn.get_params()
    mlp = KerasMLPClassifier((8, 4), activation="tanh", dropout=0.0, random_state=1)
    assert clone(mlp).get_params() == mlp.get_params()


def test_validation_split_holds_out_whole_subjects(tiny_images):
    _, y, groups = tiny_images
    train, val = validation_split(y, groups, 0.25, seed=0)
    assert len(val) > 0
    assert set(groups[train]).isdisjoint(groups[val])
    assert len(train) + len(val) == len(y)
    _, none = validation_split(y, groups, 0.0, seed=0)
    assert len(none) == 0
    with pytest.raises(ValueError, match="at least 2 subjects"):
        validation_split(y, np.zeros(len(y)), 0.2, seed=0)


def test_early_stopping_keeps_the_best_validation_epoch(tiny_images):
    """Training stops `patience` epochs after the best validation macro-F1; its weights stay."""
    from sklearn.metrics import f1_score

    X, y, groups = tiny_images
    y = np.random.default_rng(0).permutation(y)  # nothing to learn: validation F1 stalls
    cnn = KerasCNNClassifier(input_size=None, epochs=40, patience=2, min_delta=0.0,
                             validation_fraction=0.25, random_state=0).fit(X, y, groups=groups)
    scores = cnn.history_["val_macro_f1"]
    assert cnn.n_epochs_ == len(scores) == len(cnn.history_["loss"])
    assert cnn.n_epochs_ < 40
    assert cnn.n_epochs_ - 1 - cnn.best_epoch_ == cnn.patience
    assert scores[cnn.best_epoch_] == max(scores)
    codes = np.searchsorted(cnn.classes_, y)
    _, val = validation_split(codes, groups, 0.25, seed=0)
    restored = f1_score(y[val], cnn.predict(X[val]), average="macro",
                        labels=cnn.classes_, zero_division=0)
    assert restored == pytest.approx(max(scores))


def test_balanced_class_weight_matches_scikit_learn():
    from sklearn.utils.class_weight import compute_class_weight

    codes = np.array([0, 0, 0, 1, 2, 2])
    ours = balanced_class_weight(codes, 3)
    ref = compute_class_weight("balanced", classes=np.arange(3), y=codes)
    np.testing.assert_allclose([ours[i] for i in range(3)], ref)


def test_images_are_resized_and_integer_images_scaled(tiny_images):
    X, y, _ = tiny_images
    as_uint8 = (X * 255).astype(np.uint8)
    cnn = KerasCNNClassifier(input_size=16, epochs=2, validation_fraction=0,
                             random_state=0).fit(as_uint8, y)
    assert cnn.input_shape_ == (16, 16, 1)
    assert cnn.predict(as_uint8[:3]).shape == (3,)
    assert cnn.predict_proba(X[..., None]).shape == (48, 2)  # (N, H, W, 1) is the same input


def test_a_list_of_faces_of_different_sizes_is_resized_to_input_size(tiny_images):
    """Face crops come in their own sizes; NumPy's 'inhomogeneous shape' error came out."""
    import cv2

    X, y, _ = tiny_images
    pixels = (X * 255).astype(np.uint8)
    crops = [cv2.resize(p, (30, 30)) if i % 2 else p for i, p in enumerate(pixels)]
    cnn = KerasCNNClassifier(input_size=16, epochs=1, validation_fraction=0,
                             random_state=0).fit(crops, y)
    assert cnn.input_shape_ == (16, 16, 1)
    one_by_one = np.vstack([cnn.predict_proba(crop[None]) for crop in crops[:4]])
    np.testing.assert_allclose(cnn.predict_proba(crops[:4]), one_by_one, atol=0.02)
    with pytest.raises(InvalidImageError, match=r"different sizes \(24x24, 30x30, width x "
                                                r"height\) and input_size is None"):
        KerasCNNClassifier(input_size=None, epochs=1).fit(crops, y)


def test_callable_and_applications_architectures(tiny_images, tmp_path):
    import keras

    X, y, _ = tiny_images

    def tiny(input_shape, n_classes):
        return keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(),
                                 keras.layers.Dense(n_classes, activation="softmax")])

    cnn = KerasCNNClassifier(tiny, input_size=None, epochs=2, validation_fraction=0,
                             random_state=0).fit(X, y)
    assert cnn.model_.count_params() == 24 * 24 * 2 + 2
    app = KerasCNNClassifier("MobileNet", input_size=32, epochs=1, validation_fraction=0,
                             random_state=0).fit(X, y)
    proba = app.predict_proba(X)  # MobileNet's predictions, computed once for both checks
    assert proba.shape == (48, 2)
    assert any("mobilenet" in layer.name for layer in app.model_.layers)
    # ImageNet weights expect the family's own input scaling (MobileNet: [-1, 1])
    pixels = np.random.default_rng(0).uniform(0, 255, (2, 4, 4, 3)).astype(np.float32)
    scaled = app.model_.get_layer("imagenet_preprocessing")(pixels)
    want = keras.applications.mobilenet.preprocess_input(pixels.copy())
    np.testing.assert_allclose(np.asarray(scaled), want, atol=1e-5)
    loaded = load_keras(app.save(tmp_path / "app.keras"))  # safe loading: no Lambda layer
    np.testing.assert_array_equal(loaded.predict_proba(X), proba)


@pytest.mark.parametrize(
    ("est", "X", "error", "message"),
    [
        (KerasCNNClassifier(), np.zeros((4, 100)), InvalidImageError, "KerasMLPClassifier"),
        (KerasMLPClassifier(), np.zeros((4, 8, 8)), ValueError, "KerasCNNClassifier"),
        (KerasMLPClassifier(), np.full((4, 3), np.nan), ValueError, "NaN"),
        (KerasCNNClassifier(), np.r_[np.zeros((3, 32, 32)), np.full((1, 32, 32), np.nan)],
         InvalidImageError, r"1 image\(s\) are all NaN, faces the aligner did not find"),
        (KerasCNNClassifier("no-such-net"), np.zeros((4, 32, 32)), ValueError,
         "unknown architecture"),
        (KerasCNNClassifier(optimizer="nosuchopt"), np.zeros((4, 32, 32)), ValueError,
         "unknown optimizer"),
        (KerasCNNClassifier(validation_fraction=1.5), np.zeros((4, 32, 32)), ValueError,
         "validation_fraction"),
        (KerasMLPClassifier(class_weight="balance", epochs=1), np.zeros((4, 3)), ValueError,
         r"class_weight must be 'balanced', None or a dict .* over the classes \['a', 'b'\]"),
        (KerasMLPClassifier(class_weight={"a": 1, "happy": 2}, epochs=1), np.zeros((4, 3)),
         ValueError, r"got \{'a': 1, 'happy': 2\}"),
        (KerasCNNClassifier(input_size=None, augmentation={"rotate": 30}, epochs=1),
         np.zeros((4, 24, 24)), ValueError, r"unknown key\(s\) \['rotate'\]"),
        *[(KerasCNNClassifier(input_size=size, epochs=1), np.zeros((4, 24, 24)), ValueError,
           rf"input_size must be a size in pixels of at least 1.*; got {re.escape(str(size))}")
          for size in (0, -4, (0, 48), (48, 1, 2))],  # 0 was a raw cv2.error
    ],
)
def test_bad_input_gets_a_clear_error(est, X, error, message):
    with pytest.raises(error, match=message):
        est.fit(X, ["a", "b", "a", "b"])


@pytest.mark.parametrize("weights", ["imagenet", "no-such-file.h5"])
def test_weights_other_than_a_file_are_refused_not_downloaded(weights, tmp_path, monkeypatch):
    """weights='imagenet' downloaded (offline: a bare Exception), the docstring said never."""
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(proxy, "http://127.0.0.1:9")  # no download, should one be tried
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.chdir(tmp_path)
    cnn = KerasCNNClassifier("MobileNet", input_size=32, weights=weights, epochs=1,
                             validation_fraction=0)
    with pytest.raises(ValueError, match=rf"weights='{weights}': aufeat downloads nothing.*"
                                         r"weights file you have \(include_top=False\)"):
        cnn.fit(np.zeros((4, 32, 32), np.float32), ["a", "b", "a", "b"])


def test_predict_refuses_images_of_another_kind(tiny_images):
    X, y, _ = tiny_images
    cnn = KerasCNNClassifier(input_size=None, epochs=1, validation_fraction=0,
                             random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="trained on"):
        cnn.predict(np.repeat(X[..., None], 3, axis=-1))
    with pytest.raises(ValueError, match="trained on"):
        cnn.predict(X[:, :20, :20])


def test_one_colour_image_is_not_read_as_a_batch_of_pixel_rows(tiny_images):
    """(H, W, 3) was taken as H grey images of width 3: H predictions for one face."""
    X, y, _ = tiny_images
    cnn = KerasCNNClassifier(input_size=16, epochs=1, validation_fraction=0,
                             random_state=0).fit(X, y)
    face = np.repeat(X[0][..., None], 3, axis=-1)  # one colour face (24, 24, 3)
    for image in (face, np.concatenate([face, np.ones_like(face[..., :1])], axis=-1)):
        with pytest.raises(InvalidImageError, match=r"looks like one colour image .*face\[None\]"):
            cnn.predict(image)
    with pytest.raises(InvalidImageError, match="one colour image"):
        clone(cnn).fit(face, y[:24])
    assert cnn.predict(X[:1]).shape == (1,)  # a batch of one grey face


def test_float_images_outside_0_1_get_a_warning(tiny_images):
    from aufeat.exceptions import AufeatWarning

    X, y, _ = tiny_images
    with pytest.warns(AufeatWarning, match="divide 0-255 pixels by 255"):
        KerasCNNClassifier(input_size=None, epochs=1, validation_fraction=0,
                           random_state=0).fit(X * 255, y)


def test_integer_images_wider_than_uint8_holding_0_255_get_a_warning(tiny_images):
    """FER2013's CSV parsed with dtype=int: 0-255 in int64, scaled by 2**63 to about 0."""
    import warnings

    from aufeat.exceptions import AufeatWarning

    X, y, _ = tiny_images
    pixels = (X * 255).astype(np.uint8)
    with warnings.catch_warnings():
        warnings.simplefilter("error", AufeatWarning)
        cnn = KerasCNNClassifier(input_size=None, epochs=1, validation_fraction=0,
                                 random_state=0).fit(pixels, y)
        cnn.predict(pixels.astype(np.uint16) * 257)  # the full uint16 range is scaled right
    for dtype in ("int64", "int32", "int16", "uint16"):
        with pytest.warns(AufeatWarning, match=rf"{dtype} images with pixels up to \d+ .*"
                                               r"pass uint8 images .* or floats in \[0, 1\]"):
            cnn.predict(pixels.astype(dtype))
    with pytest.warns(AufeatWarning, match="int64 images with pixels up to"):
        clone(cnn).fit(pixels.astype(np.int64), y)


def test_grid_search_routes_groups_to_fit(rng):
    """With routing on, GridSearchCV hands each fit its subjects (whole-subject validation)."""
    import sklearn
    from sklearn.model_selection import GridSearchCV, GroupKFold

    X = rng.normal(size=(64, 4))
    y = np.tile(["a", "b"], 32)
    groups = np.repeat(["s1", "s2", "s3", "s4"], [7, 11, 19, 27])
    with sklearn.config_context(enable_metadata_routing=True):
        mlp = KerasMLPClassifier((4,), epochs=1, validation_fraction=0.3, random_state=0)
        mlp.set_fit_request(groups=True)
        search = GridSearchCV(mlp, {"dropout": [0.0]}, cv=GroupKFold(2), refit=True)
        search.fit(X, y, groups=groups)
    # refit on all 4 subjects: the validation set is whole subjects, so its size is a sum
    # of subject sizes (a stratified row split would hold out ceil(0.3 * 64) = 20 rows)
    sizes = {7, 11, 19, 27}
    n_val = search.best_estimator_.n_validation_
    assert n_val in sizes | {a + b for a in sizes for b in sizes if a != b}


def test_rgba_images_are_blended_on_white_into_rgb(tiny_images):
    """RGBA batches reached the networks as they were: small-cnn trained on the alpha."""
    from aufeat._validation import on_white

    X, y, _ = tiny_images
    rgba = (np.random.default_rng(1).random((*X.shape, 4)) * 255).astype(np.uint8)
    rgba[..., 3] = (X * 255).astype(np.uint8)  # the classes differ only in alpha
    rgb = on_white(rgba, 255) / 255
    cnn = KerasCNNClassifier(input_size=None, epochs=1, validation_fraction=0,
                             random_state=0).fit(rgba, y)
    assert cnn.input_shape_ == (24, 24, 3)
    np.testing.assert_allclose(cnn.predict_proba(rgba), cnn.predict_proba(rgb), atol=1e-6)
    see_through = rgba.copy()
    see_through[..., 3] = 0  # fully transparent: a white image
    np.testing.assert_allclose(cnn.predict_proba(see_through[:2]),
                               cnn.predict_proba(np.ones((2, 24, 24, 3))), atol=1e-6)


@pytest.mark.parametrize("sizes", ["one size", "two sizes"])
def test_a_list_mixing_uint8_and_float_faces_scales_each_by_its_type(tiny_images, sizes):
    """np.asarray stacked uint8 0-255 beside float 0-1 faces: 255x brighter, one warning."""
    import warnings

    from aufeat.exceptions import AufeatWarning

    X, y, _ = tiny_images
    pixels = (X * 255).astype(np.uint8)
    floats = pixels / 255.0
    if sizes == "two sizes":
        floats = np.repeat(np.repeat(floats, 2, axis=1), 2, axis=2)  # 48x48, area-resized back
    mixed = [pixels[i] if i % 2 else floats[i] for i in range(len(X))]
    cnn = KerasCNNClassifier(input_size=24, epochs=1, validation_fraction=0, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", AufeatWarning)
        cnn.fit(mixed, y)
        np.testing.assert_allclose(cnn.predict_proba(mixed), cnn.predict_proba(pixels),
                                   atol=1e-5)


def test_predict_on_zero_rows_is_refused_and_the_model_still_works(tmp_path, rng):
    """0 rows (no face found in a batch) reached Keras, whose failed predict lost the network."""
    X = rng.normal(size=(20, 3))
    y = np.where(X[:, 0] > 0, "up", "down")
    mlp = KerasMLPClassifier((4,), epochs=1, validation_fraction=0, random_state=0).fit(X, y)
    before = mlp.predict_proba(X)
    for method in (mlp.predict, mlp.predict_proba, mlp.decision_function):
        with pytest.raises(ValueError, match=r"X has 0 samples .*at least one"):
            method(X[:0])
    with pytest.raises(ValueError, match=r"X has 0 samples"):
        clone(mlp).fit(X[:0], y[:0])
    np.testing.assert_array_equal(mlp.predict_proba(X), before)  # the network is intact
    assert mlp.score(X, y) >= 0
    np.testing.assert_array_equal(load_keras(mlp.save(tmp_path / "m.keras")).predict_proba(X),
                                  before)


def test_decision_function_turns_positive_where_predict_does(rng):
    """Binary scores were P(classes_[1]) in [0, 1]: '> 0' (scikit-learn's, AUClassifier's and
    OneVsRestClassifier's reading) called every sample positive."""
    from sklearn.multiclass import OneVsRestClassifier

    from aufeat import AUClassifier

    X = rng.normal(size=(80, 4))
    Y = np.c_[X[:, 0] > 0.8, X[:, 1] > 0.8].astype(int)  # two AUs, about 20% present
    mlp = KerasMLPClassifier(8, epochs=30, validation_fraction=0, class_weight=None,
                             random_state=0)
    single = clone(mlp).fit(X, Y[:, 0])
    scores = single.decision_function(X)
    assert scores.shape == (len(X),)
    assert np.isfinite(scores).all()
    np.testing.assert_array_equal(single.classes_[(scores > 0).astype(int)], single.predict(X))
    assert 0 < (scores > 0).mean() < 1
    proba = single.predict_proba(X)  # the log-odds of classes_[1]
    np.testing.assert_allclose(scores, np.log(proba[:, 1]) - np.log(proba[:, 0]), rtol=1e-6)
    au = AUClassifier(mlp, au_names=["AU1", "AU2"]).fit(X, Y)
    np.testing.assert_array_equal((au.decision_function(X) > 0).astype(int), au.predict(X))
    ovr = OneVsRestClassifier(mlp).fit(X, Y)  # thresholds decision_function at 0
    each = np.column_stack([est.predict(X) for est in ovr.estimators_])
    np.testing.assert_array_equal(ovr.predict(X), each)
    three = clone(mlp).fit(X, np.digitize(X[:, 0], [-0.5, 0.5]))  # several classes
    scores = three.decision_function(X)
    assert scores.shape == (len(X), 3)
    np.testing.assert_array_equal(three.classes_[scores.argmax(axis=1)], three.predict(X))


def test_set_fit_request_without_metadata_routing_is_refused_as_in_scikit_learn():
    """Accepted silently: cross_validate's fits then got no subjects (leaky early stopping)."""
    import sklearn
    from sklearn.linear_model import LogisticRegression

    with sklearn.config_context(enable_metadata_routing=False):
        with pytest.raises(RuntimeError) as theirs:
            LogisticRegression().set_fit_request(sample_weight=True)
        for est in (KerasMLPClassifier(), KerasCNNClassifier()):
            with pytest.raises(RuntimeError, match=re.escape(str(theirs.value))):
                est.set_fit_request(groups=True)
    with sklearn.config_context(enable_metadata_routing=True):
        mlp = KerasMLPClassifier().set_fit_request(groups=True)
        assert mlp.get_metadata_routing().fit.requests == {"groups": True}
