"""``score`` of the AU models and FaceModel under metadata routing, and its ``sample_weight``.

With routing on, ``Pipeline.score`` passes ``sample_weight`` (None unless given) to the
last step's ``score``; a ``score`` without that parameter fails, and ``cross_validate``
or ``GridSearchCV`` record NaN for every fold.
"""

import numpy as np
import pytest
import sklearn
from sklearn.metrics import r2_score
from sklearn.model_selection import cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from aufeat.estimators import AUClassifier, AURegressor, FaceModel


@pytest.fixture
def routing():
    sklearn.set_config(enable_metadata_routing=True)
    try:
        yield
    finally:
        sklearn.set_config(enable_metadata_routing=False)


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 5))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0]).astype(int)
    return X, Y


def _models():
    X, Y = _data()
    return [(FaceModel(normalize="none"), Y[:, 0]), (AUClassifier("logreg"), Y),
            (AURegressor(), 3.0 * Y + X[:, :2])]


@pytest.mark.parametrize(("model", "target"), _models(),
                         ids=["FaceModel", "AUClassifier", "AURegressor"])
def test_pipelines_ending_in_each_model_score_under_metadata_routing(routing, model, target):
    X, _ = _data()
    # sample_weight is declined unless requested, as for scikit-learn's own estimators
    assert model.get_metadata_routing().score.requests["sample_weight"] is None
    pipe = Pipeline([("scale", StandardScaler()), ("model", model)])
    scores = cross_validate(pipe, X, target, cv=3, error_score="raise")["test_score"]
    assert np.isfinite(scores).all()
    assert np.isfinite(pipe.fit(X, target).score(X, target))


def test_routed_sample_weight_weighs_the_rows(routing):
    X, Y = _data()
    y = Y[:, 0]
    model = FaceModel(normalize="none").set_score_request(sample_weight=True)
    pipe = Pipeline([("scale", StandardScaler()), ("model", model)]).fit(X, y)
    right = (pipe.predict(X) == y).astype(float)
    assert pipe.score(X, y) < 1.0
    assert pipe.score(X, y, sample_weight=right) == 1.0  # only the right rows count
    assert pipe.score(X, y, sample_weight=1.0 - right) == 0.0


def test_each_score_weighs_rows_as_scikit_learn_s_metrics_do():
    from sklearn.metrics import f1_score

    X, Y = _data()
    w = np.random.default_rng(1).uniform(0, 2, size=len(X))
    au = AUClassifier("logreg").fit(X[:, 2:], Y)  # weak features: mistakes to weigh
    P = au.predict(X[:, 2:])
    expected = np.mean([f1_score(Y[:, j], P[:, j], sample_weight=w) for j in range(2)])
    assert au.score(X[:, 2:], Y, sample_weight=w) == pytest.approx(expected)
    assert au.score(X[:, 2:], Y, sample_weight=np.ones(len(X))) == au.score(X[:, 2:], Y)
    T = 3.0 * Y + X[:, :2]
    T[:5, 1] = np.nan
    reg = AURegressor().fit(X, T)
    P = reg.predict(X)
    expected = np.mean([r2_score(T[:, 0], P[:, 0], sample_weight=w),
                        r2_score(T[5:, 1], P[5:, 1], sample_weight=w[5:])])
    assert reg.score(X, T, sample_weight=w) == pytest.approx(expected)
    face = FaceModel(AURegressor(), normalize="none").fit(X, T)
    P = face.predict(X)  # R² over the coded cells, averaged over the AUs, as AURegressor scores
    expected = np.mean([r2_score(T[:, 0], P[:, 0], sample_weight=w),
                        r2_score(T[5:, 1], P[5:, 1], sample_weight=w[5:])])
    assert face.score(X, T, sample_weight=w) == pytest.approx(expected)
    with pytest.raises(ValueError, match="one finite, non-negative weight per row"):
        face.score(X, T, sample_weight=w[:-1])
