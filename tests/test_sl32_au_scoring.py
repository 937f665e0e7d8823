"""SL32 (round 23): AU scores by F1 only where the fitted classes and the scored labels are
both occurrence; min_samples decides alike in a search's workers and in-process; the
normalize='auto' comparison scores as FaceModel.score does."""

import warnings

import numpy as np
from sklearn.model_selection import GridSearchCV

from aufeat.estimators import AUClassifier, FaceModel
from aufeat.exceptions import AufeatWarning

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
