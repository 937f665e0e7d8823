"""Out-of-fold AU scores with scikit-learn's cross_val_predict, as for its own models.

An AU model's ``decision_function`` is one 2-D array (a column per AU), but its
``classes_`` was a list, which cross_val_predict reads as an array: an AttributeError.
"""

import warnings

import numpy as np
import pytest
from sklearn.model_selection import GroupKFold, cross_val_predict

from aufeat.estimators import AUClassifier, FaceModel, load_model, save_model


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 10))
    return X, (X[:, :3] > 0).astype(int), np.repeat(np.arange(12), 10)


@pytest.mark.parametrize("wrap", [False, True])
def test_cross_val_predict_gives_out_of_fold_au_scores(wrap):
    X, Y, groups = _data()
    model = AUClassifier("logreg", random_state=0)
    model = FaceModel(model, normalize="none") if wrap else model
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = cross_val_predict(model, X, Y, groups=groups, cv=GroupKFold(3),
                                   method="decision_function")
    assert scores.shape == (120, 3)
    for fold_train, fold_test in GroupKFold(3).split(X, Y, groups):  # each row's own fold
        fitted = AUClassifier("logreg", random_state=0)
        if wrap:
            fitted = FaceModel(fitted, normalize="none")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted.fit(X[fold_train], Y[fold_train])
        np.testing.assert_allclose(scores[fold_test], fitted.decision_function(X[fold_test]))


def test_each_au_s_classes_read_as_a_list_and_survive_saving(tmp_path):
    X, Y, _ = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = AUClassifier("logreg", random_state=0).fit(X, Y)
    assert len(model.classes_) == 3
    assert [c.tolist() for c in model.classes_] == [[0, 1]] * 3
    save_model(model, tmp_path / "au.skops")
    loaded = load_model(tmp_path / "au.skops")
    assert [c.tolist() for c in loaded.classes_] == [[0, 1]] * 3
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
