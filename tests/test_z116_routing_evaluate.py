"""evaluate gives a model's fit the subject ids by FaceModel's rule (Z116 item 1).

evaluate's folds had their own copy of the rule, which had drifted from FaceModel's
(``_group_params.fit_params``): a nested Pipeline's innermost step got no ids, nor did
``RFECV`` (whose group splitter then failed), and a model that declined them under
metadata routing (``set_fit_request(groups=False)``) was given them all the same.
"""

import numpy as np
import pytest
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_selection import RFECV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from aufeat import evaluate
from aufeat.datasets import make_synthetic_faces
from aufeat.estimators import FaceModel

SEEN = []  # the groups each fit was given, None: none (evaluate fits in this process)


class GroupsSeen(ClassifierMixin, BaseEstimator):
    """A classifier whose fit takes groups and records what it was given."""

    def fit(self, X, y, groups=None):
        SEEN.append(None if groups is None else np.asarray(groups))
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


class RecordingRFECV(RFECV):
    """RFECV (``fit(X, y, **params)``: groups for its cv) recording the groups it is given."""

    def fit(self, X, y, **params):
        SEEN.append(None if params.get("groups") is None else np.asarray(params["groups"]))
        return super().fit(X, y, **params)


@pytest.fixture
def data():
    ds = make_synthetic_faces(n_subjects=4, n_per_subject=6, random_state=0)
    return ds, np.random.default_rng(0).normal(size=(len(ds.subject), 4))


def _evaluate(ds, X, model):
    SEEN.clear()
    result = evaluate(ds, X, model=model, protocol="loso", n_jobs=1)
    people = set(np.asarray(ds.subject).astype(str))
    training = sorted(sorted(people - set(map(str, fold["test_subjects"])))
                      for fold in result.per_fold)
    return training, list(SEEN)


def _people(seen):
    return sorted(sorted(set(map(str, groups))) for groups in seen)


def test_a_nested_pipelines_innermost_step_gets_the_training_subjects(data):
    ds, X = data
    nested = Pipeline([("scale", StandardScaler()), ("inner", Pipeline([("clf", GroupsSeen())]))])
    training, seen = _evaluate(ds, X, nested)
    assert len(seen) == len(training) == 4
    assert all(groups is not None for groups in seen)
    assert _people(seen) == training


def test_rfecv_with_a_group_splitter_gets_the_training_subjects(data):
    ds, X = data
    model = RecordingRFECV(LogisticRegression(), cv=GroupKFold(2))
    training, seen = _evaluate(ds, X, model)
    assert len(seen) == len(training) == 4
    assert all(groups is not None for groups in seen)
    assert _people(seen) == training


@pytest.mark.parametrize("piped", [False, True])
def test_a_model_that_declines_groups_under_routing_gets_none_as_in_face_model(data, piped):
    ds, X = data
    with sklearn.config_context(enable_metadata_routing=True):
        declined = GroupsSeen().set_fit_request(groups=False)
        model = (Pipeline([("scale", StandardScaler()), ("clf", declined)]) if piped
                 else declined)
        _, seen = _evaluate(ds, X, model)
        assert len(seen) == 4
        assert all(groups is None for groups in seen)
        SEEN.clear()
        FaceModel(model, normalize="none").fit(X, np.asarray(ds.emotion),
                                                groups=np.asarray(ds.subject))
    assert SEEN
    assert all(groups is None for groups in SEEN)
