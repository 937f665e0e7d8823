"""Round 21 (Z116) item 3: the examples give subject ids to ``fit`` by aufeat's own rule.

``examples/_subject_search.fit_with_groups`` and ``binary_expression_kfold.run`` had their
own check (``"groups" in signature(fit)``): a ``Pipeline`` whose last step takes ``groups``
got no ids, and a ``GridSearchCV(cv=GroupKFold())`` failed with "The 'groups' parameter
should not be None". Now both use the rule ``FaceModel`` follows.
"""

import argparse

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from .examples.conftest import ROOT

SEEN = []  # (groups given?) per fit of a GroupsClf: the clones are not kept by the loops


class GroupsClf(ClassifierMixin, BaseEstimator):
    """A model whose ``fit`` takes ``groups``, as aufeat's Keras classifiers do."""

    def fit(self, X, y, groups=None):
        SEEN.append(groups is not None)
        self.got_groups_ = groups is not None
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


@pytest.fixture
def examples(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    SEEN.clear()


def data():
    y = np.tile(["happiness", "neutral"], 12)
    X = np.random.default_rng(0).normal(size=(24, 3))
    return X, y, np.repeat([f"p{i}" for i in range(6)], 4)


def test_fit_with_groups_gives_the_people_to_a_pipelines_last_step(examples):
    from _subject_search import fit_with_groups

    X, y, people = data()
    pipe = fit_with_groups(make_pipeline(StandardScaler(), GroupsClf()), X, y, people)
    assert pipe[-1].got_groups_
    assert not fit_with_groups(make_pipeline(StandardScaler(), GroupsClf()), X, y,
                               None)[-1].got_groups_


def test_fit_with_groups_gives_the_people_to_a_search_split_by_person(examples):
    from _subject_search import fit_with_groups

    X, y, people = data()
    search = fit_with_groups(GridSearchCV(GroupsClf(), {}, cv=GroupKFold(2)), X, y, people)
    assert search.n_splits_ == 2  # split by person: it needs the people, it got them


def test_binary_kfold_gives_a_piped_model_the_people_on_the_by_person_protocol_only(examples):
    import binary_expression_kfold as binary

    X, y, people = data()
    args = argparse.Namespace(labels=["happiness", "neutral"], repeats=1, folds=2, seed=0)
    binary.run(make_pipeline(StandardScaler(), GroupsClf()), X, y, people, args)
    assert SEEN == [True, True, False, False]  # subject-independent folds, then leaky ones
