"""'loso' on data without person ids: its folds are made as read, and it warns before fitting.

Each of FER2013's 35,887 images is its own subject: a list of loso's folds held 9.6 GiB
of indices before the first fit, and the warning that every item is its own subject came
after all the fits.
"""

import tracemalloc
import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

import aufeat
from aufeat.evaluation import evaluate
from aufeat.evaluation.overlap import fold_copies_note
from aufeat.evaluation.protocols import make_splits

EMOTIONS = ["anger", "happiness", "sadness"]


def _reference_loso(subjects):
    subjects = np.asarray(subjects).astype(str)
    return [(np.flatnonzero(subjects != s), np.flatnonzero(subjects == s))
            for s in np.unique(subjects)]


@pytest.mark.parametrize("seed", range(5))
def test_loso_folds_are_the_formula(seed):
    rng = np.random.default_rng(seed)
    subjects = rng.choice(["s1", "s2", "s10", "b", "a b"], size=int(rng.integers(2, 60)))
    if len(set(subjects)) < 2:
        subjects[0], subjects[1] = "x", "y"
    got, want = make_splits("loso", subjects), _reference_loso(subjects)
    assert len(got) == len(want)
    for (tr, te), (wtr, wte) in zip(got, want, strict=True):
        assert tr.tolist() == wtr.tolist()
        assert te.tolist() == wte.tolist()
    assert [t.tolist() for _, t in got[1:3]] == [t.tolist() for _, t in want[1:3]]
    assert got[-1][1].tolist() == want[-1][1].tolist()
    with pytest.raises(IndexError):
        got[len(want)]


def test_loso_of_thousands_of_subjects_holds_no_square_of_indices():
    subjects = np.array([f"fer{i:05d}" for i in range(4000)])
    tracemalloc.start()
    try:
        folds = make_splits("loso", subjects)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(folds) == 4000
    assert peak < 16 * 2**20, peak  # a list of the folds: 4000 * 4000 * 8 bytes = 122 MiB


def _reference_copies(keys, folds):
    copies = set()
    for train, test in folds:
        seen = {keys[i] for i in train}
        copies |= {int(j) for j in test if keys[j] in seen}
    return copies


@pytest.mark.parametrize("protocol", ["loso", "group-kfold:3"])
def test_the_copies_check_finds_what_comparing_every_fold_finds(protocol):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((90, 6))
    X[rng.choice(90, 25)] = X[rng.choice(90, 25)]  # copies, some under other subjects
    X[5] = 0.0  # a constant row: no image's features, never a copy
    X[6] = 0.0
    subjects = rng.choice([f"p{i}" for i in range(12)], 90).astype(str)
    folds = make_splits(protocol, subjects)
    keys = [row.tobytes() if np.ptp(row) else None for row in X]
    want = _reference_copies(keys, folds) - {5, 6}
    assert want  # the data hold copies across folds
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        note = fold_copies_note(X, folds, subjects)
    assert note.startswith(f"{len(want)} tested image(s) have the features of a training image")


class _StopsAtFit(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        raise RuntimeError("stopped at the first fit")


def _without_person_ids(n=12):
    """``n`` items, each its own subject, and their features."""
    data = aufeat.FaceDataset(images=np.zeros((n, 4, 4), np.uint8),
                              subject=[f"img{i}" for i in range(n)],
                              emotion=[EMOTIONS[i % 3] for i in range(n)])
    return data, np.random.default_rng(0).standard_normal((n, 5))


def test_loso_without_person_ids_warns_before_the_first_fit():
    n = 12
    data, X = _without_person_ids(n)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(RuntimeError, match="first fit"):
            evaluate(data, X, model=_StopsAtFit(), protocol="loso")
    notes = [str(w.message) for w in caught if "has its own subject id" in str(w.message)]
    assert len(notes) == 1
    assert notes[0].endswith(f"('loso' fits a model per item: {n} fits; 'group-kfold:5' fits 5)")


def test_the_warning_is_recorded_once_in_the_result():
    data, X = _without_person_ids()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = evaluate(data, X, model="logreg", protocol="group-kfold:3", n_bootstrap=0)
    shown = [str(w.message) for w in caught if "has its own subject id" in str(w.message)]
    kept = [w for w in result.warnings if "has its own subject id" in w]
    assert shown == kept
    assert len(kept) == 1
    assert "'loso'" not in kept[0]
