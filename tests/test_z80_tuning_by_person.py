"""Threshold tuning with ``groups`` never folds over images (round Z80).

``AUClassifier(tune_thresholds=True).fit(X, Y, groups=people)`` is documented to tune by
subject. An AU coded only for the rows of 2 people (one source of a merged corpus) was
tuned on folds over images: the same person's frames on both sides, optimistic scores.
Now its folds split by person where each class can be split so; where they cannot (one
person's rows), no threshold is tuned, as for an AU that one person shows.
"""

import warnings

import numpy as np
import pytest

from aufeat.estimators import AUClassifier
from aufeat.estimators._au_tuning import _inner_splits


def _data(seed=0):
    rng = np.random.default_rng(seed)
    people = np.repeat(np.arange(10), 20)
    X = rng.normal(size=(200, 5))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0]).astype(float)
    return X, Y, people


def _people_on_both_sides(splits, groups) -> int:
    return sum(len(set(groups[train]) & set(groups[test])) for train, test in splits)


@pytest.mark.parametrize("n_people", [2, 3, 10])
def test_an_au_coded_for_few_people_is_split_by_person(n_people):
    _X, Y, people = _data()
    coded = people < n_people
    splits = _inner_splits(Y[coded, 1], people[coded], 0)
    assert splits is not None
    assert len(splits) == min(3, n_people)
    assert _people_on_both_sides(splits, people[coded]) == 0


def test_an_au_coded_for_one_person_gets_no_folds():
    _X, Y, people = _data()
    coded = people == 4
    assert _inner_splits(Y[coded, 1], people[coded], 0) is None
    assert _inner_splits(Y[coded, 1], None, 0) is not None  # no groups: over images


def test_fit_tunes_an_au_of_two_people_by_person_and_leaves_one_person_s_untuned():
    X, Y, people = _data()
    Y[people >= 2, 1] = np.nan  # AU 1 coded for people 0 and 1 only
    model = AUClassifier("logreg", tune_thresholds=True, random_state=0)
    model.fit(X, Y, groups=people)
    assert all(t is not None for t in model.thresholds_)  # 2 people: 2 folds by person
    Y[people >= 1, 1] = np.nan  # AU 1 coded for person 0 only
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # untuned as documented: nothing to warn about
        model.fit(X, Y, groups=people)
    assert model.thresholds_[0] is not None
    assert model.thresholds_[1] is None
    np.testing.assert_array_equal(model.predict(X)[:, 1], model.estimators_[1].predict(X))


def test_two_people_in_all_of_fit_are_folds_by_person():
    X, Y, people = _data()
    two = people < 2
    splits = _inner_splits(Y[two, 0], people[two], 0)
    assert len(splits) == 2
    assert _people_on_both_sides(splits, people[two]) == 0
    model = AUClassifier("logreg", tune_thresholds=True, random_state=0)
    assert all(t is not None for t in model.fit(X[two], Y[two], groups=people[two]).thresholds_)
