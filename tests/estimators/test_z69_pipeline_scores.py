"""FaceModel around a Pipeline ending in an AUClassifier offers its decision_scores."""

from __future__ import annotations

import numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aufeat.estimators import AUClassifier, FaceModel


def test_decision_scores_through_a_pipeline():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 5))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0.3]).astype(int)
    X[3] = np.nan  # no face
    pipe = make_pipeline(StandardScaler(), make_pipeline(StandardScaler(),
                                                         AUClassifier("logreg")))
    model = FaceModel(pipe, normalize="none").fit(X, Y)
    scores = model.decision_scores(X)
    assert scores.shape == (60, 2)
    assert np.isnan(scores[3]).all()
    # the same as the fitted AUClassifier's on the pipeline's transformed features
    Z = model._standardized(np.delete(X, 3, axis=0), None, "none", batch=True)
    last = model.estimator_[-1]
    expected = last[-1].decision_scores(last[:-1].transform(model.estimator_[:-1].transform(Z)))
    np.testing.assert_allclose(np.delete(scores, 3, axis=0), expected)
    assert not hasattr(FaceModel(make_pipeline(StandardScaler())), "decision_scores")
