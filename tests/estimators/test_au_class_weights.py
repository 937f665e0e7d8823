"""AUClassifier(class_weights=...): each AU's weighting chosen with its threshold."""

import numpy as np
import pytest
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from aufeat import AufeatWarning
from aufeat.estimators import FaceModel
from aufeat.estimators.au import AUClassifier

#: A weighting that makes every positive count for nothing: the tree learns one leaf.
IGNORE_POSITIVES = {0: 1.0, 1: 0.0}


@pytest.fixture
def rare_au(rng):
    """240 rows of 12 people; AU1 (~15% positives) shows in feature 0, AU2 (~half) in feature 1."""
    X = rng.normal(size=(240, 4))
    Y = np.column_stack([X[:, 0] > 1.0, X[:, 1] > 0]).astype(int)
    return X, Y, np.repeat(np.arange(12), 20)


@pytest.mark.parametrize("order", [(None, IGNORE_POSITIVES), (IGNORE_POSITIVES, None)])
def test_the_weighting_with_the_better_cross_validated_f1_wins_in_either_order(rare_au, order):
    X, Y, groups = rare_au
    model = AUClassifier(DecisionTreeClassifier(max_depth=2, random_state=0),
                         tune_thresholds=True, class_weights=order, random_state=0)
    model.fit(X, Y, groups=groups)
    assert model.class_weights_ == [None, None]
    assert [tree.class_weight for tree in model.estimators_] == [None, None]
    assert all(tree.get_depth() > 0 for tree in model.estimators_)  # learnt, not one leaf
    assert (model.predict(X) == Y).mean() > 0.9


def test_a_single_candidate_is_used_even_when_it_is_useless(rare_au):
    X, Y, groups = rare_au
    model = AUClassifier(DecisionTreeClassifier(max_depth=2, random_state=0),
                         tune_thresholds=True, class_weights=[IGNORE_POSITIVES],
                         random_state=0).fit(X, Y, groups=groups)
    assert model.class_weights_ == [IGNORE_POSITIVES] * 2
    assert all(tree.get_depth() == 0 for tree in model.estimators_)


def test_the_weighting_of_a_pipeline_step_is_chosen(rare_au):
    X, Y, groups = rare_au
    base = Pipeline([("scale", StandardScaler()), ("svm", LinearSVC(C=0.01))])
    model = AUClassifier(base, tune_thresholds=True, class_weights=(None, "balanced"),
                         random_state=0).fit(X, Y, groups=groups)
    assert set(model.class_weights_) <= {None, "balanced"}
    for weight, fitted in zip(model.class_weights_, model.estimators_, strict=True):
        assert fitted.named_steps["svm"].class_weight == weight
    assert base.named_steps["svm"].class_weight is None  # the given model is left alone


def test_without_class_weights_the_model_keeps_its_own(rare_au):
    X, Y, groups = rare_au
    base = LinearSVC(C=0.01, class_weight="balanced")
    model = AUClassifier(base, tune_thresholds=True, random_state=0).fit(X, Y, groups=groups)
    assert model.class_weights_ == [None, None]
    assert [m.class_weight for m in model.estimators_] == ["balanced", "balanced"]


def test_an_au_too_rare_to_train_gets_no_weighting(rare_au):
    X, Y, groups = rare_au
    Y = Y.copy()
    Y[:, 0] = 0
    Y[:2, 0] = 1
    with pytest.warns(AufeatWarning, match="constant model"):
        model = AUClassifier("logreg", tune_thresholds=True, class_weights=(None, "balanced"),
                             random_state=0).fit(X, Y, groups=groups)
    assert model.class_weights_[0] is None
    assert model.thresholds_[0] is None


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"estimator": "logreg", "class_weights": (None, "balanced")}, "tune_thresholds=True"),
    ({"estimator": "knn", "tune_thresholds": True, "class_weights": (None,)}, "class_weight"),
    ({"estimator": "logreg", "tune_thresholds": True, "class_weights": ()}, "a sequence"),
    ({"estimator": "logreg", "tune_thresholds": True, "class_weights": "balanced"},
     r"e.g. \(None, 'balanced'\), or None; got 'balanced'"),
    ({"estimator": "logreg", "tune_thresholds": True, "class_weights": {0: 1, 1: 5}},
     r"got \{0: 1, 1: 5\}"),
])
def test_unusable_class_weights_are_refused_before_fitting(rare_au, kwargs, message):
    X, Y, groups = rare_au
    with pytest.raises(ValueError, match=message):
        AUClassifier(**kwargs).fit(X, Y, groups=groups)


def test_face_model_compares_normalisations_without_the_choice(rare_au):
    X, Y, groups = rare_au
    X = X + groups[:, None] * 0.5  # each person has an offset: 'person' can win
    au = AUClassifier(LinearSVC(C=0.01), tune_thresholds=True,
                      class_weights=(None, "balanced"), random_state=0)
    model = FaceModel(au, normalize="auto").fit(X, Y, groups=groups)
    assert model.normalize_ in ("none", "person")
    assert len(model.estimator_.class_weights_) == 2
    assert model.predict(X, groups=groups).shape == Y.shape


@pytest.mark.parametrize(("absent", "present"), [("no", "yes"), (-1, 1), (1, 2)])
def test_class_weight_dicts_are_keyed_by_the_au_s_own_labels(absent, present):
    # the inner folds fit on the labels as given, not renumbered 0/1
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    shown = X[:, 0] + 0.5 * rng.normal(size=60) > 0.6
    y = np.where(shown, present, absent)
    weight = {absent: 1, present: 5}
    model = AUClassifier(LinearSVC(), tune_thresholds=True, class_weights=[weight],
                         random_state=0).fit(X, y)
    assert model.class_weights_ == [weight]
    assert set(model.predict(X)) <= {absent, present}
