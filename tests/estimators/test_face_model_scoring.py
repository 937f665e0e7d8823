"""Person normalisation at predict needs the subject ids, which scikit-learn scorers never pass."""

import warnings

import numpy as np
import pytest
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, cross_val_score

from aufeat.estimators import FaceModel
from aufeat.exceptions import AufeatWarning


def _people():
    """The reviewer's case: 6 people of 10 faces, each with their own offset."""
    rng = np.random.default_rng(0)
    person = np.repeat(np.arange(6), 10)
    y = np.tile([0, 1], 30)
    return rng.normal(size=(60, 5)) / 2 + person[:, None] + y[:, None] * 0.5, y, person


def _aufeat_warnings(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [str(w.message) for w in caught if issubclass(w.category, AufeatWarning)]


def test_a_batch_of_several_people_s_size_without_groups_is_warned_about_once_per_call():
    X, y, person = _people()
    model = FaceModel(LogisticRegression(), normalize="person").fit(X[:40], y[:40],
                                                                    groups=person[:40])
    for method in ["predict", "decision_function", "predict_proba"]:
        shown = _aufeat_warnings(lambda m=method: getattr(model, m)(X[40:]))
        assert len(shown) == 1, method
        assert shown[0].startswith(f"normalize='person': {method} got 20 faces without groups, "
                                   "more than any training person had (10)")
        assert "only scoring=None (FaceModel.score) gets the ids" in shown[0]
        assert _aufeat_warnings(lambda m=method: getattr(model, m)(X[40:], groups=person[40:]))\
            == []
    assert len(_aufeat_warnings(lambda: model.score(X[40:], y[40:]))) == 1
    assert _aufeat_warnings(lambda: model.predict(X[40:50])) == []  # one person's size
    X[41:59] = np.nan  # the faces counted, not the rows
    assert _aufeat_warnings(lambda: model.predict(X[40:])) == []


def test_no_warning_where_the_ids_are_not_used_or_were_not_given_to_fit():
    X, y, person = _people()
    for normalize in ["none", "domain"]:
        model = FaceModel(LogisticRegression(), normalize=normalize).fit(X[:40], y[:40],
                                                                         groups=person[:40])
        assert _aufeat_warnings(lambda m=model: m.predict(X[40:])) == []
    model = FaceModel(LogisticRegression(), normalize="person").fit(X[:40], y[:40])  # one person
    assert _aufeat_warnings(lambda: model.predict(X)) == []


def test_a_scorer_s_folds_without_ids_are_warned_about_and_the_default_score_gets_them():
    X, y, person = _people()
    with sklearn.config_context(enable_metadata_routing=True):
        model = (FaceModel(LogisticRegression(), normalize="person")
                 .set_fit_request(groups=True).set_score_request(groups=True))
        default = []
        shown = _aufeat_warnings(lambda: default.extend(cross_val_score(
            model, X, y, cv=GroupKFold(3), params={"groups": person})))
        assert shown == []
        accuracy = []
        shown = _aufeat_warnings(lambda: accuracy.extend(cross_val_score(
            model, X, y, cv=GroupKFold(3), scoring="accuracy", params={"groups": person})))
    assert len(shown) == 3  # one per test fold
    assert np.mean(accuracy) < np.mean(default)


def test_the_routing_hint_of_auto_says_that_only_the_default_score_gets_the_ids():
    from sklearn.model_selection import GridSearchCV

    X, y, person = _people()
    search = GridSearchCV(FaceModel(LogisticRegression()), {"estimator__C": [1.0]},
                          cv=GroupKFold(3))
    with pytest.raises(ValueError, match=r"only scoring=None \(FaceModel.score\) gets the ids"):
        search.fit(X, y, groups=person)
