"""Second look at round 14's Keras changes (Z66): each test failed before its fix."""

import json
import warnings
import zipfile

import keras
import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GroupShuffleSplit

from aufeat.keras import KerasCNNClassifier, KerasMLPClassifier, load_keras
from aufeat.keras._training import validation_split


def _mlp(**kw):
    return KerasMLPClassifier(**{"hidden_layer_sizes": (4,), "epochs": 1,
                                 "validation_fraction": 0, "random_state": 0, **kw})


def _table(rng, n=20):
    X = rng.normal(size=(n, 3))
    return X, np.where(X[:, 0] > 0, "up", "down")


# 1. the by-person validation split keeps ids of one kind as they are


def _held_out_by_the_rule(groups, y, fraction, seed):
    """The people scikit-learn's GroupShuffleSplit holds out over the ids as given."""
    splitter = GroupShuffleSplit(n_splits=1, test_size=fraction, random_state=seed)
    _, val = next(splitter.split(np.arange(len(y)), y, groups))
    return sorted(set(np.asarray(groups)[val].tolist()))


@pytest.mark.parametrize("groups", [
    np.repeat(np.arange(1, 13), 3),                                  # ints
    pd.Series(np.repeat(np.arange(1, 13), 3), dtype=object),         # ints in an object column
    np.repeat([f"s{i}" for i in range(1, 13)], 3),                   # text
], ids=["int", "object-int", "str"])
@pytest.mark.parametrize("seed", [0, 1, 7])
def test_ids_of_one_kind_split_as_before(groups, seed):
    y = np.array(["a", "b", "c"] * 12)
    _, val = validation_split(y, groups, 0.25, seed)
    held_out = sorted(set(np.asarray(groups)[val].tolist()))
    assert held_out == _held_out_by_the_rule(groups, y, 0.25, seed)


def test_integer_ids_hold_out_the_people_the_rule_picks_not_their_text_order():
    y = np.array(["a", "b", "c"] * 12)
    groups = np.repeat(np.arange(1, 13), 3)
    _, val = validation_split(y, groups, 0.25, 0)
    by_text = _held_out_by_the_rule(groups.astype(str), y, 0.25, 0)
    assert sorted(set(groups[val].tolist())) != sorted(int(g) for g in by_text)


def test_ids_mixing_numbers_and_text_are_still_split_by_person():
    y = np.array(["a", "b"] * 10)
    groups = pd.Series([1, "s2", 3, "s4"] * 5, dtype=object)
    train, val = validation_split(y, groups, 0.25, 0)
    assert len(val) == 5
    assert not set(groups[val]) & set(groups[train])


# 2. an error of Keras while rebuilding the network is not file damage


class Scale(keras.layers.Layer):
    """A user's layer (saved with the network)."""

    def call(self, x):
        return x * 1.0


class ScaleOutOfMemory(Scale):
    """Fails to build as a device out of memory does (JAX's error is a RuntimeError)."""

    def build(self, input_shape):
        raise RuntimeError("RESOURCE_EXHAUSTED: Out of memory while trying to allocate 3.2GiB")


class ScaleNotImplemented(Scale):
    def build(self, input_shape):
        raise NotImplementedError("this layer has no build for this backend")


def _scaled(input_shape, n_classes):
    return keras.Sequential([keras.Input(input_shape), Scale(), keras.layers.Flatten(),
                             keras.layers.Dense(n_classes, activation="softmax")])


@pytest.mark.parametrize(("layer", "error", "said"), [
    (ScaleOutOfMemory, RuntimeError, "RESOURCE_EXHAUSTED"),
    (ScaleNotImplemented, NotImplementedError, "no build for this backend"),
], ids=["runtime", "not-implemented"])
def test_an_error_while_keras_rebuilds_the_network_passes_through(
        rng, tmp_path, layer, error, said):
    X = rng.random((8, 12, 12))
    y = np.repeat(["a", "b"], 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path = KerasCNNClassifier(_scaled, input_size=12, epochs=1, validation_fraction=0,
                                  random_state=0).fit(X, y).save(tmp_path / "m.keras")
        assert load_keras(path, custom_objects={"Scale": Scale}).predict(X).shape == (8,)
        with pytest.raises(error, match=said) as caught:
            load_keras(path, custom_objects={"Scale": layer})
    assert "damaged" not in str(caught.value)


# 5. whole-number floats and dropout=None, accepted before the round


@pytest.mark.parametrize("params", [
    {"epochs": 2.0}, {"epochs": np.float64(2.0)}, {"batch_size": 16.0}, {"patience": 6.0},
    {"patience": 0.0}, {"random_state": 3.0}, {"random_state": np.float64(3.0)},
    {"dropout": None},
], ids=lambda p: f"{next(iter(p))}={next(iter(p.values()))!r}")
def test_whole_number_floats_and_no_dropout_fit_as_before(rng, params):
    X, y = _table(rng)
    mlp = _mlp(validation_fraction=0.25, **params).fit(X, y)
    same = _mlp(validation_fraction=0.25, **{k: v if v is None else int(v)
                                              for k, v in params.items()}).fit(X, y)
    assert np.array_equal(mlp.predict_proba(X), same.predict_proba(X))


def test_no_dropout_is_read_as_dropout_zero(rng):
    X, y = _table(rng)
    none = _mlp(dropout=None, epochs=3).fit(X, y)
    zero = _mlp(dropout=0.0, epochs=3).fit(X, y)
    assert np.array_equal(none.predict_proba(X), zero.predict_proba(X))
    assert not any(isinstance(la, keras.layers.Dropout) for la in none.model_.layers)


@pytest.mark.parametrize(("params", "name"), [
    ({"epochs": 0.0}, "epochs"), ({"epochs": -2.0}, "epochs"), ({"epochs": 2.5}, "epochs"),
    ({"epochs": float("inf")}, "epochs"), ({"epochs": float("nan")}, "epochs"),
    ({"batch_size": 0.0}, "batch_size"), ({"batch_size": 16.5}, "batch_size"),
    ({"patience": -1.0}, "patience"), ({"patience": 0.5}, "patience"),
    ({"random_state": -1.0}, "random_state"), ({"random_state": 2.0**32}, "random_state"),
    ({"random_state": 1.5}, "random_state"),
])
def test_zero_negative_and_fractional_values_are_still_refused(rng, params, name):
    X, y = _table(rng)
    with pytest.raises(ValueError, match=f"'{name}' parameter of KerasMLPClassifier"):
        _mlp(**params).fit(X, y)


# 7. a model saved before feature names were recorded


def _as_saved_before_the_round(path):
    """Rewrite ``path`` as the pre-round code wrote it: no feature_names_in_ in the record."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in members:
            if info.filename == "aufeat.json":
                record = json.loads(data)
                del record["fitted"]["feature_names_in_"]
                data = json.dumps(record).encode()
            archive.writestr(info, data)


def test_an_old_record_fitted_on_a_frame_predicts_a_frame_without_a_warning(rng, tmp_path):
    X, y = _table(rng)
    frame = pd.DataFrame(X, columns=["AU06", "AU12", "AU04"])
    mlp = _mlp().fit(frame, y)
    path = mlp.save(tmp_path / "m.keras")
    _as_saved_before_the_round(path)
    old = load_keras(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # not Keras' own deprecations
        assert np.array_equal(old.predict_proba(frame), mlp.predict_proba(frame))
        old.predict(X)
        resaved = load_keras(old.save(tmp_path / "again.keras"))  # still of unknown names
        resaved.predict(frame)
    old.fit(frame, y)  # a refit records the names and checks them again
    assert old.feature_names_in_.tolist() == ["AU06", "AU12", "AU04"]
    with pytest.raises(ValueError, match="feature names should match"):
        old.predict(frame[["AU12", "AU06", "AU04"]])


def test_new_records_say_when_a_model_was_fitted_without_names(rng, tmp_path):
    X, y = _table(rng)
    path = _mlp().fit(X, y).save(tmp_path / "m.keras")
    record = json.loads(zipfile.ZipFile(path).read("aufeat.json"))
    assert record["fitted"]["feature_names_in_"] is None
    loaded = load_keras(path)
    with pytest.warns(UserWarning, match="fitted without feature names"):
        loaded.predict(pd.DataFrame(X, columns=list("abc")))
