"""Round 22's Keras review (Z118), f01-f04: each test failed before its fix.

f01: the early-stopping validation split could hold out every subject (or the one row) of a
class, which the network then never trained on, without a word. f02:
``architecture_comparison.py --weights small-cnn=FILE`` was refused only when that network's
turn came, after the others had trained. f03: ``input_size=24.5`` trained at 24 pixels and
``True`` at 1. f04: ``history_['val_macro_f1']`` counted every class absent from the
validation people (and not predicted) as F1 0.
"""

import argparse
import os
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupShuffleSplit, ShuffleSplit

from aufeat.keras._training import validation_split

os.environ.setdefault("KERAS_BACKEND", "jax")  # as aufeat.keras picks it

ROOT = Path(__file__).resolve().parents[1]


def _one_person_shows_rare():
    """10 people of 6 rows, classes 'a' and 'b'; person s7 alone shows 'rare' (as CK+ contempt)."""
    subjects = np.repeat([f"s{i}" for i in range(10)], 6)
    y = np.array(["a", "b"] * 30, dtype=object)
    y[subjects == "s7"] = "rare"
    return y, subjects


# f01. a class all of whose subjects (rows) the validation split held out was never trained on


def test_the_validation_split_keeps_a_subject_of_every_class_on_the_training_side():
    y, subjects = _one_person_shows_rare()
    classes, codes = np.unique(y, return_inverse=True)
    rare = int(np.flatnonzero(classes == "rare")[0])
    lost = [seed for seed in range(40)  # seeds whose plain GroupShuffleSplit holds s7 out
            if "s7" in subjects[next(GroupShuffleSplit(1, test_size=0.15, random_state=seed)
                                     .split(y, y, subjects))[1]]]
    assert lost  # 11 is one (the reviewer's)
    for seed in range(40):
        train, val = validation_split(codes, subjects, 0.15, seed)
        assert (codes[train] == rare).any(), seed
        assert not set(subjects[train]) & set(subjects[val])  # still whole people
        assert len(set(subjects[val])) == 2  # as many as before
        if seed not in lost:  # where every class was trained on, the seed's split is kept
            first = next(GroupShuffleSplit(1, test_size=0.15, random_state=seed)
                         .split(y, y, subjects))
            np.testing.assert_array_equal(val, first[1])


def test_a_class_with_one_row_stays_on_the_training_side_without_subjects():
    y = np.array([0, 1] * 10 + [2])  # class 2 has one row: a plain random split
    seed = next(s for s in range(100)  # one whose plain split held the row out
                if 20 in next(ShuffleSplit(1, test_size=0.2, random_state=s).split(y))[1])
    train, val = validation_split(y, None, 0.2, seed)
    assert 20 in train
    assert len(val) == 5


def test_a_split_that_cannot_train_on_every_class_is_refused_naming_class_and_people():
    pytest.importorskip("keras")
    from aufeat.keras import KerasMLPClassifier

    rng = np.random.default_rng(0)
    subjects = np.repeat(["ann", "bob", "cy"], 4)
    y = np.repeat(["calm", "smile", "fear"], 4)  # one person per class: 2 of 3 held out
    X = rng.normal(size=(12, 4)).astype(np.float32)
    net = KerasMLPClassifier((4,), epochs=1, validation_fraction=0.5, random_state=0)
    with pytest.raises(ValueError, match=r"validation_fraction=0\.5: each of the 20 validation "
                                         r"splits tried held out every subject showing a "
                                         r"class") as caught:
        net.fit(X, y, groups=subjects)
    message = str(caught.value)
    for label, person in [("calm", "ann"), ("fear", "cy"), ("smile", "bob")]:
        assert f"'{label}' (shown by {person})" in message
    assert "validation_fraction=0" in message
    assert not hasattr(net, "model_")
    KerasMLPClassifier((4,), epochs=1, validation_fraction=0, random_state=0).fit(X, y)


def test_without_subjects_the_refusal_names_each_class_left_out_and_its_rows():
    # SL28 F2: building this message raised TypeError ('s' * a numpy bool)
    pytest.importorskip("keras")
    from aufeat.keras import KerasMLPClassifier

    X = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    y = ["calm", "calm", "smile", "fear"]  # half held out: 2 rows cannot hold 3 classes
    net = KerasMLPClassifier((4,), epochs=1, validation_fraction=0.5, random_state=0)
    with pytest.raises(ValueError, match=r"validation_fraction=0\.5: each of the 20 validation "
                                         r"splits tried held out every row of a class") as caught:
        net.fit(X, y)
    message = str(caught.value)
    assert "'fear' (1 row)" in message
    assert "'smile' (1 row)" in message
    assert "'calm'" not in message or "'calm' (2 rows)" in message
    assert "more rows of those classes" in message
    assert not hasattr(net, "model_")


# f02. --weights for a built-in network crashed the run at that network's turn


def test_weights_for_a_built_in_network_are_refused_when_the_command_line_is_read(
        monkeypatch, capsys):
    pytest.importorskip("keras")
    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    from _networks import parse_weights

    parser = argparse.ArgumentParser(prog="architecture_comparison.py")
    networks = [("small-cnn", 16), ("vgg-small", 16), ("MobileNetV2", 96)]
    assert parse_weights(parser, ["MobileNetV2=w.h5"], networks) == {"MobileNetV2": "w.h5"}
    with pytest.raises(SystemExit) as caught:
        parse_weights(parser, ["vgg-small=w.h5", "MobileNetV2=m.h5"], networks)
    assert caught.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last == ("architecture_comparison.py: error: --weights applies to "
                    "keras.applications networks; vgg-small trains from scratch (drop "
                    "--weights for it)")


# f03. input_size was read with int(): 24.5 trained at 24 pixels, True at 1


def _dense(input_shape, n_classes):
    import keras

    return keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(),
                             keras.layers.Dense(n_classes, activation="softmax")])


def _images(n=8, size=12):
    X = np.random.default_rng(0).random((n, size, size)).astype(np.float32)
    return X, np.repeat(["a", "b"], n // 2)


@pytest.mark.parametrize("size", [12.5, 11.9, True, np.bool_(True), (12, 12.5), (True, 12),
                                  "12", float("nan")])
def test_a_fractional_or_boolean_input_size_is_refused_naming_input_size(size):
    pytest.importorskip("keras")
    from sklearn.utils._param_validation import InvalidParameterError

    from aufeat.keras import KerasCNNClassifier

    X, y = _images()
    net = KerasCNNClassifier(_dense, input_size=size, epochs=1, validation_fraction=0,
                             random_state=0)
    with pytest.raises(InvalidParameterError, match=r"KerasCNNClassifier: input_size must be "
                                                    r"a size in pixels of at least 1: a whole "
                                                    r"number .*; got "):
        net.fit(X, y)
    assert not hasattr(net, "model_")


@pytest.mark.parametrize(("size", "shape"), [(10.0, (10, 10)), (np.float64(10), (10, 10)),
                                             ((10.0, np.int64(8)), (10, 8))])
def test_a_whole_float_input_size_reads_as_its_int(size, shape):
    pytest.importorskip("keras")
    from aufeat.keras import KerasCNNClassifier

    X, y = _images()
    net = KerasCNNClassifier(_dense, input_size=size, epochs=1, validation_fraction=0,
                             random_state=0).fit(X, y)
    assert net.model_.input_shape == (None, *shape, 1)


def test_a_model_saved_with_a_fractional_input_size_is_told_how_to_predict_again(tmp_path):
    # SL28 F3: an older aufeat trained input_size=24.5 at 24 pixels and saved 24.5; such a
    # file loads, and predict was refused without saying how to repair it
    pytest.importorskip("keras")
    from aufeat.keras import KerasCNNClassifier, load_keras

    X = np.random.default_rng(0).random((8, 30, 30)).astype(np.float32)
    y = np.repeat(["a", "b"], 4)
    net = KerasCNNClassifier("small-cnn", input_size=24, epochs=1, validation_fraction=0,
                             random_state=0).fit(X, y)
    expected = net.predict_proba(X)
    net.set_params(input_size=24.5)  # as such a file stores it
    net.save(tmp_path / "old.keras")
    loaded = load_keras(tmp_path / "old.keras")
    assert loaded.input_size == 24.5
    with pytest.raises(ValueError, match=r"input_size must be a size in pixels .*; got 24\.5; "
                                         r".*: to predict with one \(as loaded from its file\), "
                                         r"set_params\(input_size=24\), the size its network "
                                         r"takes \(model_\.input_shape\[1:3\]\)"):
        loaded.predict(X)
    assert loaded.model_.input_shape[1:3] == (24, 24)  # the repair the message names works
    np.testing.assert_allclose(loaded.set_params(input_size=24).predict_proba(X), expected,
                               rtol=1e-5, atol=1e-6)


# f04. the recorded validation macro-F1 counted classes the validation people lack as F1 0


def test_the_recorded_validation_macro_f1_is_that_of_the_validation_rows():
    pytest.importorskip("keras")
    from aufeat.keras import KerasMLPClassifier

    rng = np.random.default_rng(0)
    subjects = np.repeat(np.arange(10), 8)
    y = np.tile(list("abcd"), 20)
    late = subjects >= 8  # two people show only 'a' and 'b'
    y[late] = np.tile(list("ab"), late.sum() // 2)
    X = (np.array([[{"a": 0.0, "b": 4.0, "c": 8.0, "d": 12.0}[c]] for c in y])
         + rng.normal(scale=0.1, size=(len(y), 1))).astype(np.float32)
    codes = np.unique(y, return_inverse=True)[1]
    seed = next(s for s in range(500)  # a seed holding out people 8 and 9
                if set(subjects[validation_split(codes, subjects, 0.15, s)[1]]) == {8, 9})
    net = KerasMLPClassifier((16,), epochs=20, patience=20, learning_rate=0.01,
                             random_state=seed).fit(X, y, groups=subjects)
    val = np.isin(subjects, [8, 9])
    kept = net.predict(X[val])
    assert set(kept) | set(y[val]) < set("abcd")  # classes neither held out nor predicted
    best = net.history_["val_macro_f1"][net.best_epoch_]
    assert best == pytest.approx(f1_score(y[val], kept, average="macro"))  # over both sets
