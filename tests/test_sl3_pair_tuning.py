"""Threshold tuning with ``(subject, pair)`` groups folds by person (round SL3, F3).

``FaceModel(mirror=True)`` hands a tuned AUClassifier ``(subject id, pair id)`` rows (the
``best`` recipe). An AU coded for fewer than 3 people was tuned on folds of pairs: a
person's other frames on both sides of a fold, optimistic scores, whereas 1-D subject ids
gave folds by person (round Z80). Now both fold by person wherever 2 people are coded
(a pair is one person's, so it stays together), and leave one person's AU untuned.
"""

import warnings

import numpy as np

from aufeat.estimators import FaceModel
from aufeat.estimators._au_tuning import _inner_splits

from .estimators.test_z24_mirror_folds import RecordingAU, _faces


def _mixed(splits, ids) -> int:
    """How many ids (people or pairs) sit on both sides of a fold."""
    return sum(len(set(ids[train]) & set(ids[test])) for train, test in splits)


def _fit(X, Y, people):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return FaceModel(RecordingAU("logreg", tune_thresholds=True, random_state=0),
                         normalize="none", mirror=True).fit(X, Y, groups=people)


def test_an_au_of_two_people_is_tuned_on_folds_by_person_keeping_pairs():
    X, Y, people = _faces(n_people=10, per=20)
    Y[people >= 2, 1] = np.nan  # AU 1 coded for people 0 and 1 only (one source's AU)
    model = _fit(X, Y, people)
    seen = np.asarray(model.estimator_.seen_groups_)
    assert seen.shape == (2 * len(X), 2)  # (subject, pair): FaceModel's mirror rows
    coded = np.concatenate([~np.isnan(Y[:, 1])] * 2)
    y = np.concatenate([Y[:, 1]] * 2)[coded]
    splits = _inner_splits(y, seen[coded], 0)
    subjects, pairs = (np.array(column.tolist()) for column in seen[coded].T)
    assert len(splits) == 2
    assert _mixed(splits, subjects) == 0  # before: pair folds, people on both sides
    assert _mixed(splits, pairs) == 0  # a face beside its own mirror
    assert model.estimator_.thresholds_[1] is not None


def test_pair_groups_fold_as_the_subject_ids_alone():
    rng = np.random.default_rng(1)
    pairs = np.tile(np.arange(40), 2)
    y = (rng.random(40) > 0.5).astype(int)[pairs]
    for n_people in (2, 3, 4):
        people = pairs % n_people
        both = _inner_splits(y, np.column_stack([people, pairs]).astype(object), 0)
        alone = _inner_splits(y, people, 0)
        assert [t.tolist() for _, t in both] == [t.tolist() for _, t in alone]
        assert _mixed(both, people) == 0


def test_an_au_of_one_person_is_left_untuned_with_pair_groups():
    X, Y, people = _faces(n_people=10, per=20)
    Y[people >= 1, 1] = np.nan  # AU 1 coded for person 0 only
    model = _fit(X, Y, people)
    assert model.estimator_.thresholds_[0] is not None
    assert model.estimator_.thresholds_[1] is None  # as with 1-D subject ids
    pairs = np.arange(20)
    one = np.column_stack([np.zeros(20, int), pairs])
    assert _inner_splits(np.arange(20) % 2, one, 0) is None
