"""AU and face models saved by an aufeat before a parameter existed load and work as then.

Their state lacks the parameter (and the fitted attributes that go with it): they get the
value that behaves as the old model did, as PersonNormalizer's old files get min_group=1.
The old files are emulated as PersonNormalizer's test does: the newer attributes are
deleted before saving."""

import pickle

import numpy as np
import pytest
import skops.io as sio
from sklearn.base import clone

from aufeat.estimators import AUClassifier, FaceModel, load_model


def _saved_and_loaded(model, tmp_path):
    """The model through skops (as load_model reads it) and through pickle."""
    path = tmp_path / "old.skops"
    path.write_bytes(sio.dumps(model))
    return load_model(path), pickle.loads(pickle.dumps(model))


@pytest.fixture
def au_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    return X, np.column_stack([X[:, 0] > 0, X[:, 1] > 0]).astype(int)


def test_an_au_classifier_saved_before_class_weights_loads_and_works(au_data, tmp_path):
    X, Y = au_data
    model = AUClassifier("logreg", tune_thresholds=True, random_state=0).fit(X, Y)
    want = model.predict(X), model.decision_function(X), model.get_params()
    for name in ("class_weights", "class_weights_", "_positive"):  # not saved then
        del model.__dict__[name]
    for old in _saved_and_loaded(model, tmp_path):
        assert old.class_weights is None
        assert old.class_weights_ == [None, None]
        np.testing.assert_array_equal(old.predict(X), want[0])
        np.testing.assert_allclose(old.decision_function(X), want[1])
        assert old.get_params() == want[2]
        assert "AUClassifier" in repr(old)
        np.testing.assert_array_equal(clone(old).fit(X, Y).predict(X), want[0])
        np.testing.assert_array_equal(old.fit(X, Y).predict(X), want[0])


def test_an_au_classifier_saved_before_tune_thresholds_keeps_its_own_decision_rule(
        au_data, tmp_path):
    X, Y = au_data
    model = AUClassifier("logreg").fit(X, Y)
    want = model.predict(X)
    for name in ("tune_thresholds", "thresholds_", "class_weights", "class_weights_"):
        del model.__dict__[name]
    for old in _saved_and_loaded(model, tmp_path):
        assert old.tune_thresholds is False
        assert old.thresholds_ == [None, None]
        np.testing.assert_array_equal(old.predict(X), want)
        assert clone(old).get_params() == AUClassifier("logreg").get_params()


def test_an_unfitted_au_classifier_of_the_old_kind_stays_unfitted():
    from sklearn.exceptions import NotFittedError

    model = AUClassifier()
    del model.class_weights
    loaded = pickle.loads(pickle.dumps(model))
    assert loaded.class_weights is None
    assert not hasattr(loaded, "class_weights_")
    with pytest.raises(NotFittedError):
        loaded.predict([[1.0]])


@pytest.fixture
def faces(six_people):
    return six_people


def test_a_face_model_saved_before_min_group_centres_every_person_on_their_own_median(
        faces, tmp_path):
    X, y, person = faces
    model = FaceModel(normalize="person", min_group=1).fit(X, y, groups=person)
    test = np.r_[X[:4], X[10:11], np.full((1, 5), np.nan)]
    ids = np.r_[person[:4], ["one photo", "no face"]]
    want = model.predict(test, groups=ids), model.predict(X[:10])
    for name in ("min_group", "center_", "max_person_faces_"):  # 8e27ba3 had none of them
        del model.__dict__[name]
    for old in _saved_and_loaded(model, tmp_path):
        assert old.min_group == 1  # each person on their own median, as then
        np.testing.assert_array_equal(old.predict(test, groups=ids), want[0])
        np.testing.assert_array_equal(old.predict(X[:10]), want[1])  # one person
        assert "FaceModel" in repr(old)
        assert clone(old).get_params()["min_group"] == 1


def test_an_old_face_model_of_another_mode_gets_no_center(faces, tmp_path):
    X, y, _person = faces
    model = FaceModel(normalize="none").fit(X, y)
    want = model.predict(X)
    del model.__dict__["min_group"]
    for old in _saved_and_loaded(model, tmp_path):
        assert old.min_group == 1
        assert not hasattr(old, "center_")
        np.testing.assert_array_equal(old.predict(X), want)
