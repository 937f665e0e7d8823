"""Folds fitted in worker processes see the caller's scikit-learn config.

``evaluate``/``evaluate_many`` with ``n_jobs=2`` ran their folds under joblib's plain
``Parallel``, so the loky workers had scikit-learn's default config: with metadata routing
on, a search no longer routed the subject ids to ``FaceModel.fit``, the metrics differed
from ``n_jobs=1`` and a warning told the user to turn on what they had turned on.
"""

import numpy as np
import pytest
import sklearn
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.svm import LinearSVC

import aufeat
from aufeat.estimators import FaceModel
from aufeat.evaluation import evaluate_many


@pytest.fixture(scope="module")
def offset_faces():
    """6 people with a per-person feature offset (person normalisation matters)."""
    data = aufeat.make_synthetic_faces(n_subjects=6, n_per_subject=8, size=48)
    X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))
    offsets = np.random.default_rng(0).normal(0, 0.3, (6, X.shape[1]))
    return data, X + np.repeat(offsets, 8, axis=0)


def _search():
    model = FaceModel(LinearSVC(), normalize="person")
    model = model.set_fit_request(groups=True).set_score_request(groups=True)
    return GridSearchCV(model, {"estimator__C": [0.1, 1.0]}, cv=GroupKFold(2))


def _outcome(result):
    return result.metrics["accuracy"], result.metrics["macro_f1"], result.warnings


def test_evaluate_in_workers_keeps_metadata_routing(offset_faces):
    data, X = offset_faces
    with sklearn.config_context(enable_metadata_routing=True):
        runs = [aufeat.evaluate(data, X, model=_search(), protocol="group-kfold:3",
                                n_jobs=n_jobs, n_bootstrap=0) for n_jobs in (1, 2)]
    serial, parallel = map(_outcome, runs)
    assert serial[2] == []  # routed: no warning about unrouted subject ids
    assert parallel == serial


def test_evaluate_many_in_workers_keeps_metadata_routing(offset_faces):
    data, X = offset_faces
    config = {"dataset": data, "X": X, "protocol": "group-kfold:3", "n_bootstrap": 0}
    with sklearn.config_context(enable_metadata_routing=True):
        runs = [next(evaluate_many([{**config, "model": _search()}], n_jobs=n_jobs))
                for n_jobs in (1, 2)]
    serial, parallel = map(_outcome, runs)
    assert serial[2] == []
    assert parallel == serial
