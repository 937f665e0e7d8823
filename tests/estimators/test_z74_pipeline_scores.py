"""AU decision scores through a Pipeline: evaluate's ROC-AUC, imbalanced-learn samplers."""

import warnings

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aufeat.datasets import FaceDataset
from aufeat.estimators import AUClassifier, FaceModel
from aufeat.evaluation import evaluate


def _au_data(n=48):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 6))
    noise = 0.5 * rng.normal(size=(n, 2))
    aus = (X[:, :2] + noise > 0).astype(float)
    subjects = np.repeat([f"s{i}" for i in range(n // 8)], 8)
    return X, aus, subjects


@pytest.mark.parametrize("model", [
    make_pipeline(StandardScaler(), AUClassifier()),
    FaceModel(make_pipeline(StandardScaler(), AUClassifier()), normalize="none"),
], ids=["pipeline", "face-model-pipeline"])
def test_evaluate_scores_an_au_model_ending_a_pipeline(model):
    X, aus, subjects = _au_data()
    ds = FaceDataset(paths=[f"img{i}.png" for i in range(len(X))], subject=subjects, aus=aus,
                     au_names=["AU1", "AU2"], name="toy")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        piped = evaluate(ds, X, model=model, task="au-occurrence", protocol="group-kfold:3",
                         n_bootstrap=0)
        bare = evaluate(ds, StandardScaler().fit_transform(X), model=AUClassifier(),
                        task="au-occurrence", protocol="group-kfold:3", n_bootstrap=0)
    assert piped.metrics.get("mean_roc_auc") is not None
    assert bare.metrics["mean_roc_auc"] > 0.6
    assert piped.metrics["mean_roc_auc"] > 0.6


def test_imblearn_pipeline_with_a_sampler_gives_decision_scores():
    imblearn = pytest.importorskip("imblearn")
    from imblearn.over_sampling import RandomOverSampler

    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 4))
    y = (X[:, 0] > 0.5).astype(int)
    pipe = imblearn.pipeline.make_pipeline(StandardScaler(), RandomOverSampler(random_state=0),
                                           AUClassifier())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = FaceModel(pipe, normalize="none").fit(X, y)
    scores = np.asarray(model.decision_scores(X[:5]))
    fitted = model.estimator_
    Z = model._standardized(X[:5], None, "none", batch=True)
    expected = fitted[-1].decision_scores(fitted[0].transform(Z))
    np.testing.assert_allclose(scores.reshape(5, -1), np.asarray(expected).reshape(5, -1))
