"""Round 20's Keras review (Z102), F01: AUClassifier gave its per-AU models no subjects.

A per-AU model whose ``fit`` takes ``groups`` (the Keras classifiers: whole people held out
for early stopping) was fitted without them, so it validated on people it trained on.
"""

import os

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from aufeat import AUClassifier

os.environ.setdefault("KERAS_BACKEND", "jax")  # as aufeat.keras picks it

#: (rows, groups) of every fit of a _SubjectsSeen, clones included
FITS = []


class _SubjectsSeen(ClassifierMixin, BaseEstimator):
    """A logistic regression whose ``fit`` takes ``groups`` and records what it got."""

    def fit(self, X, y, groups=None):
        FITS.append((len(X), None if groups is None else np.asarray(groups)))
        self.model_ = LogisticRegression().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)

    def decision_function(self, X):
        return self.model_.decision_function(X)


def _data(rng):
    subjects = np.repeat([f"s{i}" for i in range(8)], 6)
    X = rng.normal(size=(48, 3))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0]).astype(float)
    Y[:12, 1] = np.nan  # AU2 is not coded for s0 and s1
    return X, Y, subjects


@pytest.fixture(autouse=True)
def _fresh():
    FITS.clear()


def test_each_au_model_gets_the_subjects_of_its_coded_rows(rng):
    X, Y, subjects = _data(rng)
    model = AUClassifier(_SubjectsSeen()).fit(X, Y, groups=subjects)
    assert [n for n, _ in FITS] == [48, 36]
    np.testing.assert_array_equal(FITS[0][1], subjects)
    np.testing.assert_array_equal(FITS[1][1], subjects[12:])
    assert model.predict(X).shape == (48, 2)


def test_the_tuning_folds_get_their_training_subjects_and_the_pair_ids_give_the_subjects(rng):
    X, Y, subjects = _data(rng)
    pairs = np.column_stack([subjects, np.arange(48) // 2])  # FaceModel(mirror=True)'s ids
    AUClassifier(_SubjectsSeen(), tune_thresholds=True).fit(X, Y[:, 0], groups=pairs)
    assert len(FITS) == 4  # 3 inner folds, then the AU's model on all its rows
    for n, groups in FITS:
        assert groups is not None
        assert groups.shape == (n,)
        assert set(groups) <= set(subjects)
    assert len({frozenset(g) for _, g in FITS[:3]}) == 3  # each fold leaves people out
    np.testing.assert_array_equal(FITS[3][1], subjects)


def test_without_groups_or_a_groups_parameter_the_models_fit_as_before(rng):
    X, Y, subjects = _data(rng)
    AUClassifier(_SubjectsSeen()).fit(X, Y)
    assert [g for _, g in FITS] == [None, None]
    # scikit-learn models (no groups in fit) predict the same with the subjects or without
    with_groups = AUClassifier("linear-svm", tune_thresholds=True).fit(X, Y, groups=subjects)
    coded = ~np.isnan(Y[:, 1])
    for j, rows in enumerate([slice(None), coded]):
        alone = AUClassifier("linear-svm").fit(X[rows], Y[rows, j])
        np.testing.assert_array_equal(with_groups.estimators_[j].predict(X),
                                      alone.estimators_[0].predict(X))


def test_a_keras_au_model_holds_whole_people_out_for_early_stopping():
    pytest.importorskip("keras")
    from aufeat.keras import KerasMLPClassifier

    rng = np.random.default_rng(0)
    sizes = [5, 7, 9, 11]  # one person held out: 5, 7, 9 or 11 rows; 8 rows over images
    subjects = np.repeat(["a", "b", "c", "d"], sizes)
    X = rng.normal(size=(32, 3)).astype(np.float32)
    Y = np.column_stack([X[:, 0] > 0]).astype(int)
    net = KerasMLPClassifier((2,), epochs=1, validation_fraction=0.25, random_state=0)
    model = AUClassifier(net).fit(X, Y, groups=subjects)
    assert model.estimators_[0].n_validation_ in sizes
