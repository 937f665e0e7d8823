"""evaluate() gives a Pipeline's PersonNormalizer step each side's subject ids."""

import numpy as np
import pytest
import sklearn
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from aufeat.datasets import FaceDataset
from aufeat.estimators import PersonNormalizer
from aufeat.evaluation.runner import evaluate


@pytest.fixture(scope="module")
def offsets():
    """8 people x 12 faces whose features are shifted by a large offset per person."""
    rng = np.random.default_rng(0)
    people, n, d = 8, 12, 5
    subjects = np.repeat([f"p{i}" for i in range(people)], n)
    y = np.tile(["happiness", "sadness"], people * n // 2)
    identity = 3 * rng.normal(size=(people, d))[np.repeat(np.arange(people), n)]
    X = rng.normal(size=(people * n, d)) / 2 + identity + (y == "happiness")[:, None]
    data = FaceDataset(images=np.zeros((people * n, 8, 8)), subject=subjects, emotion=y)
    return data, X, y, subjects


def by_hand(X, y, subjects, *, give_subjects):
    """GroupKFold(4) as evaluate's group-kfold:4, PersonNormalizer given the ids or not."""
    preds = []
    for train, test in GroupKFold(n_splits=4).split(X, groups=subjects):
        train, test = np.sort(train), np.sort(test)
        normalizer = PersonNormalizer()
        fit_ids = {"subjects": subjects[train]} if give_subjects else {}
        test_ids = {"subjects": subjects[test]} if give_subjects else {}
        model = LinearSVC(C=0.1).fit(normalizer.fit_transform(X[train], **fit_ids), y[train])
        preds.append(model.predict(normalizer.transform(X[test], **test_ids)))
    return np.concatenate(preds)


@pytest.mark.parametrize("routing", [False, True])
def test_a_person_normalizer_step_centres_each_person_on_their_own_median(offsets, routing):
    data, X, y, subjects = offsets
    expected = by_hand(X, y, subjects, give_subjects=True)
    one_person = by_hand(X, y, subjects, give_subjects=False)
    with sklearn.config_context(enable_metadata_routing=routing):  # restored on leaving
        normalizer = PersonNormalizer()
        if routing:  # what a user of routing would write; evaluate sets it on its clone anyway
            normalizer.set_fit_request(subjects=True).set_transform_request(subjects=True)
        result = evaluate(data, X, model=make_pipeline(normalizer, LinearSVC(C=0.1)),
                          protocol="group-kfold:4", keep_predictions=True, n_bootstrap=0)
    np.testing.assert_array_equal(result.predictions["y_pred"], expected)
    assert result.metrics["accuracy"] == pytest.approx(np.mean(expected == y))
    assert result.metrics["accuracy"] > np.mean(one_person == y) + 0.1  # 0.98 against 0.81
    assert not result.warnings
    assert not sklearn.get_config()["enable_metadata_routing"]


def test_a_person_normalizer_evaluate_cannot_reach_is_warned_about(offsets):
    data, X, _, _ = offsets
    union = make_pipeline(make_union(PersonNormalizer(), StandardScaler()), LinearSVC(C=0.1))
    result = evaluate(data, X, model=union, protocol="group-kfold:4", n_bootstrap=0)
    assert [w for w in result.warnings if "PersonNormalizer (featureunion__personnormalizer of "
            "the Pipeline) gets no subject ids" in w and "as one person" in w]
    search = GridSearchCV(make_pipeline(PersonNormalizer(), LinearSVC()),
                          {"linearsvc__C": [0.1, 1.0]}, cv=GroupKFold(n_splits=2))
    result = evaluate(data, X, model=search, protocol="group-kfold:4", n_bootstrap=0)
    assert [w for w in result.warnings if "PersonNormalizer (estimator__personnormalizer of "
            "the GridSearchCV) gets no subject ids" in w]
