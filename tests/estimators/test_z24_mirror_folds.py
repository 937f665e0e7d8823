"""FaceModel(mirror=True) around a tuned AUClassifier: a face and its mirror stay together.

An AU's threshold is tuned on folds over its coded rows; those folds must never put a
face on one side and its own mirror image on the other (they fold by person: round SL3).
"""

from __future__ import annotations

import warnings

import numpy as np

from aufeat.estimators import AUClassifier, FaceModel
from aufeat.estimators._au_tuning import _inner_splits


class RecordingAU(AUClassifier):
    """An AUClassifier that keeps the ``groups`` its ``fit`` was given."""

    def fit(self, X, Y, groups=None):
        self.seen_groups_ = groups
        return super().fit(X, Y, groups=groups)


def _faces(n_people=6, per=10, seed=0):
    rng = np.random.default_rng(seed)
    people = np.repeat(np.arange(n_people), per)
    F = rng.normal(size=(len(people), 3))
    X = np.hstack([F, F[:, ::-1] + 0.01 * rng.normal(size=F.shape)])  # [face | mirror]
    Y = np.column_stack([F[:, 0] > 0, F[:, 1] > 0]).astype(float)
    return X, Y, people


def _split_pairs(splits, pairs) -> int:
    """How many rows have their pair partner on the other side of a fold."""
    return sum(int(np.isin(pairs[test], pairs[train]).sum()) for train, test in splits)


def test_au_coded_for_two_people_keeps_each_face_with_its_mirror():
    X, Y, people = _faces()
    Y[people >= 2, 1] = np.nan  # AU 1 coded for people 0 and 1 only (CK+-style)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = FaceModel(RecordingAU("logreg", tune_thresholds=True, random_state=0),
                          normalize="none", mirror=True).fit(X, Y, groups=people)
    seen = np.asarray(model.estimator_.seen_groups_)
    n = len(people)
    pairs = np.concatenate([np.arange(n)] * 2)  # row i and row i + n: a face and its mirror
    # whatever ids FaceModel hands on, the folds of each AU over its coded rows keep pairs
    for j in range(Y.shape[1]):
        coded = np.concatenate([~np.isnan(Y[:, j])] * 2)
        y = np.concatenate([Y[:, j]] * 2)[coded]
        splits = _inner_splits(y, seen[coded], 0)
        assert splits is not None
        assert _split_pairs(splits, pairs[coded]) == 0
    assert model.estimator_.thresholds_[1] is not None  # AU 1 is still tuned


def test_all_aus_coded_for_three_or_more_people_tune_as_person_ids_do():
    """CK+ style (every AU 0/1 in every row, >= 3 people): the person-wise tuning is unchanged."""
    X, Y, people = _faces()
    model = FaceModel(AUClassifier("logreg", tune_thresholds=True, random_state=0),
                      normalize="none", mirror=True).fit(X, Y, groups=people)
    half = X.shape[1] // 2
    Z = (np.vstack([X[:, :half], X[:, half:]]) - model.mean_) / model.scale_ * model.weights_
    alone = AUClassifier("logreg", tune_thresholds=True, random_state=0).fit(
        Z, np.vstack([Y, Y]), groups=np.concatenate([people, people]))
    assert model.estimator_.thresholds_ == alone.thresholds_
    np.testing.assert_array_equal(model.predict(X), alone.predict(Z[:len(X)]))


def test_pair_ids_beside_person_ids_fold_by_person_keeping_pairs():
    """(person, pair) ids: person-wise folds, as the person ids alone (round SL3; before,
    pairs under 3 people), which keep the pairs together as a pair is one person's."""
    rng = np.random.default_rng(1)
    pairs = np.tile(np.arange(20), 2)
    people = pairs % 2  # two people
    y = (rng.random(20) > 0.5).astype(int)[pairs]
    y[:4], y[20:24] = [0, 1, 0, 1], [0, 1, 0, 1]
    splits = _inner_splits(y, np.column_stack([people, pairs]), 0)
    assert splits is not None
    assert len(splits) == 2
    assert _split_pairs(splits, pairs) == 0
    assert _split_pairs(splits, people) == 0  # no person on both sides
    many = pairs % 4  # four people: person-wise, as with the person ids alone
    by_person = _inner_splits(y, many, 0)
    both = _inner_splits(y, np.column_stack([many, pairs]), 0)
    assert [t.tolist() for _, t in both] == [t.tolist() for _, t in by_person]
