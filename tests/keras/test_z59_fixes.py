"""Round-14 findings on the Keras adapter (Z50): each test failed before its fix."""

import json
import shutil
import struct
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aufeat.keras import KerasCNNClassifier, KerasMLPClassifier, load_keras


def _mlp(**kw):
    return KerasMLPClassifier(**{"hidden_layer_sizes": (4,), "epochs": 1,
                                 "validation_fraction": 0, "random_state": 0, **kw})


def _cnn(**kw):
    return KerasCNNClassifier(**{"input_size": 12, "epochs": 1, "validation_fraction": 0,
                                 "random_state": 0, **kw})


def _table(rng, n=20):
    X = rng.normal(size=(n, 3))
    return X, np.where(X[:, 0] > 0, "up", "down")


# 1. rows without a label


@pytest.mark.parametrize("make", [_mlp, _cnn], ids=["mlp", "cnn"])
def test_rows_labelled_blank_are_refused_not_learnt_as_a_class(rng, make):
    X = rng.random((8, 12, 12)) if make is _cnn else rng.normal(size=(8, 3))
    y = ["happy", "sad", "", "happy", "sad", "", "happy", "sad"]
    with pytest.raises(ValueError, match=r"2 of 8 labels are '' \(no label\).*leave those rows"):
        make().fit(X, y)


@pytest.mark.parametrize("y", [
    ["up", None, "down", "up"],
    np.array(["up", np.nan, "down", "up"], dtype=object),
    pd.Series(["up", pd.NA, "down", "up"], dtype="string"),
], ids=["None", "NaN", "pd.NA"])
def test_missing_labels_are_refused_with_the_row(rng, y):
    with pytest.raises(ValueError, match=r"1 of 4 labels are missing.*row 1"):
        _mlp().fit(rng.normal(size=(4, 3)), y)


@pytest.mark.parametrize("make", [_mlp, _cnn], ids=["mlp", "cnn"])
def test_fit_without_y_is_a_value_error_naming_y(rng, make):
    X = rng.random((8, 12, 12)) if make is _cnn else rng.normal(size=(8, 3))
    with pytest.raises(ValueError, match="requires y to be passed"):
        make().fit(X, None)


# 2. encrypted or unsupported zip entries


def _central_entries(raw: bytes):
    start = struct.unpack("<I", raw[-6:-2])[0]  # the central directory's offset
    entries, pos = {}, start
    while raw[pos:pos + 4] == b"PK\x01\x02":
        n, e, c = struct.unpack("<HHH", raw[pos + 28:pos + 34])
        entries[raw[pos + 46:pos + 46 + n].decode()] = pos
        pos += 46 + n + e + c
    return entries


@pytest.fixture(scope="module")
def saved_table_mlp(tmp_path_factory):
    """The MLP each of the six tests below fitted and saved alike (the ``rng`` fixture's
    seed), fitted and saved once; each test damages its own copy of the file."""
    X, y = _table(np.random.default_rng(12345))
    return _mlp().fit(X, y).save(tmp_path_factory.mktemp("saved_table_mlp") / "m.keras")


@pytest.mark.parametrize("member", ["aufeat.json", "config.json"])
@pytest.mark.parametrize(("offset", "value", "said"), [
    (8, 1, "password-protected"),       # the encrypted flag
    (10, 99, "damaged"),                # compression method 99
    (6, 84, "damaged"),                 # needs zip version 8.4
], ids=["encrypted", "compression-99", "zip-8.4"])
def test_encrypted_or_unsupported_entries_are_the_documented_value_error(
        saved_table_mlp, tmp_path, member, offset, value, said):
    path = Path(shutil.copy(saved_table_mlp, tmp_path / "m.keras"))
    raw = bytearray(path.read_bytes())
    at = _central_entries(bytes(raw))[member] + offset
    raw[at:at + 2] = struct.pack("<H", value)
    path.write_bytes(bytes(raw))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match=said):
            load_keras(path)


# 3. feature names


def test_feature_names_are_recorded_checked_and_saved(rng, tmp_path):
    X, y = _table(rng)
    frame = pd.DataFrame(X, columns=["AU06", "AU12", "AU04"])
    mlp = _mlp().fit(frame, y)
    assert mlp.feature_names_in_.tolist() == ["AU06", "AU12", "AU04"]
    mlp.predict(frame)
    with pytest.raises(ValueError, match="feature names should match"):
        mlp.predict(frame[["AU12", "AU06", "AU04"]])
    loaded = load_keras(mlp.save(tmp_path / "m.keras"))
    assert loaded.feature_names_in_.tolist() == ["AU06", "AU12", "AU04"]
    with pytest.raises(ValueError, match="feature names should match"):
        loaded.predict(frame[["AU04", "AU12", "AU06"]])
    assert not hasattr(mlp.fit(X, y), "feature_names_in_")  # a refit on an array: no names


# 4. subject ids and pandas NA features


def test_subject_ids_mixing_numbers_and_text_split_by_person(rng):
    X, y = _table(rng)
    groups = pd.Series([1, "s2", 3, "s4"] * 5, dtype=object)
    mlp = _mlp(validation_fraction=0.25).fit(X, y, groups=groups)
    assert mlp.n_validation_ == 5


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA], ids=["None", "NaN", "pd.NA"])
def test_a_missing_subject_id_is_refused_with_its_row(rng, missing):
    X, y = _table(rng)
    groups = np.array(["s1", "s2", "s3", "s4"] * 5, dtype=object)
    groups[6] = missing
    with pytest.raises(ValueError, match=r"1 of 20 subject ids .* missing.*row 6"):
        _mlp(validation_fraction=0.25).fit(X, y, groups=groups)


def test_pandas_na_features_get_the_nan_message(rng):
    X, y = _table(rng)
    frame = pd.DataFrame(X, columns=list("abc")).astype("Float64")
    frame.iloc[2, 1] = pd.NA
    with pytest.raises(ValueError, match="X contains NaN or inf"):
        _mlp().fit(frame, y)


# 5. the largest seeds with augmentation


def test_the_largest_seed_trains_with_augmentation(rng):
    X = rng.random((8, 12, 12))
    y = np.repeat(["a", "b"], 4)
    cnn = _cnn(augmentation=True, random_state=2**32 - 1, batch_size=8).fit(X, y)
    assert cnn.n_epochs_ == 1


# 6. parameter validation


@pytest.mark.parametrize(("params", "name"), [
    ({"epochs": 0}, "epochs"), ({"epochs": -3}, "epochs"), ({"epochs": 2.7}, "epochs"),
    ({"batch_size": 0}, "batch_size"), ({"dropout": 1.0}, "dropout"),
    ({"dropout": -0.1}, "dropout"), ({"learning_rate": 0}, "learning_rate"),
    ({"patience": -1}, "patience"), ({"random_state": "0"}, "random_state"),
    ({"random_state": 1.9}, "random_state"), ({"random_state": 2**32}, "random_state"),
    ({"hidden_layer_sizes": 0}, "hidden_layer_sizes"),
    ({"hidden_layer_sizes": (8, 0)}, "hidden_layer_sizes"),
    ({"hidden_layer_sizes": (8, 2.5)}, "hidden_layer_sizes"),
])
def test_invalid_parameters_are_refused_at_fit_naming_the_parameter(rng, params, name):
    X, y = _table(rng)
    with pytest.raises(ValueError, match=f"'{name}' parameter of KerasMLPClassifier"):
        _mlp(**params).fit(X, y)


def test_invalid_cnn_parameters_are_refused_at_fit(rng):
    X = rng.random((8, 12, 12))
    y = np.repeat(["a", "b"], 4)
    with pytest.raises(ValueError, match="'epochs' parameter of KerasCNNClassifier"):
        _cnn(epochs=0).fit(X, y)


def test_valid_edge_parameters_still_fit(rng):
    X, y = _table(rng)
    _mlp(hidden_layer_sizes=np.int64(4), dropout=0.0, patience=0, random_state=np.int64(3),
         epochs=np.int32(1)).fit(X, y)
    _mlp(random_state=np.random.RandomState(0)).fit(X, y)


# 7. re-saving a loaded model


def _tiny(input_shape, n_classes):
    import keras

    return keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(),
                             keras.layers.Dense(n_classes, activation="softmax")])


def test_resaving_a_loaded_model_keeps_what_the_file_could_not_store(rng, tmp_path):
    X = rng.random((8, 12, 12))
    y = np.repeat(["a", "b"], 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = _cnn(architecture=_tiny, random_state=np.random.RandomState(0)).fit(X, y).save(
            tmp_path / "first.keras")
        second = load_keras(first).save(tmp_path / "second.keras")
    record = json.loads(zipfile.ZipFile(second).read("aufeat.json"))
    assert record["params_not_stored"] == {"architecture": "a function: _tiny",
                                           "random_state": "numpy.random.RandomState"}
    with pytest.raises(TypeError, match=r"set_params\(architecture=_tiny\)"):
        load_keras(second).fit(X, y)
