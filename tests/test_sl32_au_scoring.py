"""SL32 (round 23): AU scores by F1 only where the fitted classes and the scored labels are
both occurrence; min_samples decides alike in a search's workers and in-process; the
normalize='auto' comparison scores as FaceModel.score does."""

import warnings

import numpy as np
import pytest
from sklearn.metrics import accuracy_score
from sklearn.model_selection import GridSearchCV, GroupKFold, LeaveOneGroupOut, cross_val_score

from aufeat.estimators import AUClassifier, FaceModel
from aufeat.exceptions import AufeatWarning

# -- F1: a fold's model fitted on 0/1 only, scored on held-out 2/3: accuracy, not F1


def _low_training_side():
    """An intensity AU whose training rows show 0/1 only; the held-out person shows 2 and 3."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(80, 4))
    y = (X[:, 0] > 0.3).astype(int)
    held = np.arange(60, 80)
    y[held] = np.where(X[held, 0] > 0.3, np.where(X[held, 1] > 0, 3, 2), 0)
    return X, y, np.arange(60), held


@pytest.mark.parametrize("wrap", [False, True])
def test_model_fitted_on_0_1_is_scored_by_accuracy_where_the_truth_shows_2_and_3(wrap):
    X, y, train, held = _low_training_side()
    au = AUClassifier("logreg", min_samples=1)
    model = (FaceModel(au, normalize="none") if wrap else au).fit(X[train], y[train])
    pred = model.predict(X[held])
    assert set(y[held].tolist()) == {0, 2, 3}
    assert set(pred.tolist()) <= {0, 1}
    # F1 of "> 0" would count every 1 predicted for a 2 or 3 as right
    assert model.score(X[held], y[held]) == pytest.approx(accuracy_score(y[held], pred))


def test_every_fold_of_an_intensity_au_is_scored_by_accuracy():
    X, y, _, _ = _low_training_side()
    persons = np.repeat(np.arange(4), 20)  # person 3 alone shows 2 and 3
    folds = list(GroupKFold(4).split(X, y, persons))
    scores = cross_val_score(AUClassifier(min_samples=1), X, y, cv=folds)
    for (train, test), score in zip(folds, scores, strict=True):
        pred = AUClassifier(min_samples=1).fit(X[train], y[train]).predict(X[test])
        assert score == pytest.approx(accuracy_score(y[test], pred))


# -- F2: min_samples counts the training samples given, in workers and in-process alike


def test_search_scores_do_not_depend_on_n_jobs_under_mirror():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(40, 4))
    A[:2] += 6  # AUb's 2 positive images (4 samples with their mirrors) are separable
    X = np.hstack([A, A[:, ::-1]])
    Y = np.zeros((40, 2), int)
    Y[:20, 0] = 1
    Y[:2, 1] = 1
    fitted = {}
    for n_jobs in (1, 2):
        search = GridSearchCV(AUClassifier("logreg", au_names=["AUa", "AUb"]),
                              {"min_samples": [3]}, cv=[(np.arange(80), np.arange(80))],
                              n_jobs=n_jobs)
        with warnings.catch_warnings():  # the one fold of all rows "does not split by groups"
            warnings.simplefilter("ignore", AufeatWarning)
            fitted[n_jobs] = FaceModel(search, mirror=True, normalize="none").fit(X, Y).estimator_
    assert (fitted[1].cv_results_["mean_test_score"]
            == fitted[2].cv_results_["mean_test_score"]).all()
    # the refit decides as the folds did: AUb's 4 samples reach min_samples=3
    assert fitted[1].best_estimator_.constant_outputs_ == {}
    assert fitted[2].best_estimator_.constant_outputs_ == {}


# -- F3: normalize='auto' compares the modes by FaceModel.score


def test_auto_scores_are_face_model_scores_over_the_same_folds():
    rng = np.random.default_rng(3)
    persons = np.repeat(np.arange(6), 15)
    X = rng.normal(size=(90, 6)) + rng.normal(size=(6, 6))[persons]  # person offsets
    z = X[:, 0] - X[:, 0].mean()
    y = np.where(z > 1.2, 3, np.where(z > 0.6, 2, np.where(z > 0, 1, 0)))
    y[persons >= 3] = np.minimum(y[persons >= 3], 1)  # persons 3-5 show only 0/1
    cv = LeaveOneGroupOut()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AufeatWarning)
        model = FaceModel(AUClassifier("logreg", min_samples=1), normalize="auto", cv=cv)
        model.fit(X, y, groups=persons)
        for mode, chosen_by in model.auto_scores_.items():
            scores = [FaceModel(AUClassifier("logreg", min_samples=1), normalize=mode)
                      .fit(X[train], y[train], groups=persons[train])
                      .score(X[test], y[test], groups=persons[test])
                      for train, test in cv.split(X, y, persons)]
            assert chosen_by == pytest.approx(np.mean(scores))
