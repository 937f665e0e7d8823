"""Z128: cross: emotion classes compared by value; groups given per scoring method; labels
refused for AU tasks."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aufeat.datasets import FaceDataset
from aufeat.evaluation.runner import evaluate


def _emotion_set(codes, subjects, name, seed):
    rng = np.random.default_rng(seed)
    n = len(subjects)
    return FaceDataset(images=rng.integers(0, 255, (n, 8, 8)).astype(np.uint8), subject=subjects,
                       emotion=np.asarray(codes)[rng.integers(0, len(codes), n)], name=name)


# --- F2: groups only to the scoring methods whose signature takes them ------------------------

class PersonCentred(ClassifierMixin, BaseEstimator):
    """``fit`` and ``predict`` take groups; ``predict_proba`` does not."""

    def fit(self, X, y, groups=None):
        self.m_ = LogisticRegression().fit(X, y)
        self.classes_ = self.m_.classes_
        return self

    def predict(self, X, groups=None):
        assert len(groups) == len(X)  # given the test ids (None: TypeError)
        return self.m_.predict(X)

    def predict_proba(self, X):
        return self.m_.predict_proba(X)


class PersonCentredAUs(BaseEstimator):
    """An AU model whose ``predict`` takes groups but whose ``decision_scores`` does not."""

    def fit(self, X, Y, groups=None):
        Y = np.nan_to_num(np.asarray(Y, dtype=float))
        self.m_ = [LogisticRegression().fit(X, Y[:, j]) for j in range(Y.shape[1])]
        return self

    def predict(self, X, groups=None):
        assert len(groups) == len(X)  # given the test ids (None: TypeError)
        return np.column_stack([m.predict(X) for m in self.m_]).astype(float)

    def decision_scores(self, X):
        return np.column_stack([m.decision_function(X) for m in self.m_])


@pytest.mark.parametrize("pipeline", [False, True])
def test_predict_proba_without_groups_still_scores_roc_auc(pipeline):
    data = _emotion_set(["a", "b"], np.repeat(np.arange(8), 5), "t", 0)
    X = np.random.default_rng(3).normal(size=(40, 4))
    model = make_pipeline(StandardScaler(), PersonCentred()) if pipeline else PersonCentred()
    result = evaluate(data, X, model=model, protocol="group-kfold:2", n_bootstrap=0)
    assert 0 <= result.metrics["roc_auc_ovr"] <= 1


def test_decision_scores_without_groups_still_scores_roc_auc():
    rng = np.random.default_rng(4)
    n = 60
    X = rng.normal(size=(n, 4))
    aus = (X[:, :2] + rng.normal(scale=0.5, size=(n, 2)) > 0).astype(float)
    data = FaceDataset(images=np.zeros((n, 8, 8), np.uint8), subject=np.repeat(np.arange(6), 10),
                       aus=aus, au_names=["AU1", "AU12"], name="t")
    result = evaluate(data, X, model=PersonCentredAUs(), task="au-occurrence",
                      protocol="group-kfold:3", n_bootstrap=0)
    assert 0 <= result.metrics["mean_roc_auc"] <= 1
