"""Third look TL13 at the AU models' subject ids: FaceModel lost them for an AURegressor
with any metadata request of its own (``set_score_request``), a per-AU search by person
without ids failed with scikit-learn's bare "groups should not be None", and a misspelt
class_weight string dropped an AU's whole tuning."""

import warnings

import numpy as np
import pytest
import sklearn
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, GroupKFold

from aufeat.estimators import AUClassifier, AURegressor, FaceModel

RNG = np.random.default_rng(1)
GROUPS = np.repeat(np.arange(6), 10)
X = RNG.normal(size=(60, 4))
Y = np.clip(X[:, :2] * 2 + 2, 0, 5)


def _per_au_search():
    return GridSearchCV(Ridge(), {"alpha": [1.0, 10.0]}, cv=GroupKFold(2))


def test_face_model_gives_the_ids_to_an_au_regressor_with_a_request_of_its_own():
    with sklearn.config_context(enable_metadata_routing=True):
        model = AURegressor(_per_au_search()).set_score_request(sample_weight=True)
        fitted = FaceModel(model, normalize="none").fit(X, Y, groups=GROUPS)
    assert len(fitted.estimator_.estimators_) == 2


@pytest.mark.parametrize(("routing", "advice"), [
    (False, r"pass groups= to the AU model's fit"),
    (True, r"set_fit_request\(groups=True\)")])
@pytest.mark.parametrize("Model", [AURegressor, AUClassifier])
def test_a_per_au_search_by_person_without_ids_says_how_to_give_them(Model, routing, advice):
    search = (_per_au_search() if Model is AURegressor else
              GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=GroupKFold(2)))
    targets = Y if Model is AURegressor else (Y > 2).astype(int)
    with (sklearn.config_context(enable_metadata_routing=routing),
          pytest.raises(ValueError, match=r"splits by person .*" + advice)):
        Model(search).fit(X, targets)


@pytest.mark.parametrize("name", ["bogus", "balanced_subsample"])  # misspelt; forests' only
def test_a_class_weight_name_the_model_does_not_take_is_skipped_and_the_rest_tuned(name):
    rare = (X[:, :1] + RNG.normal(size=(60, 1)) > 1.0).astype(int)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = AUClassifier(LogisticRegression(), tune_thresholds=True,
                             class_weights=(None, name), random_state=0).fit(
            X, rare, groups=GROUPS)
    messages = [str(w.message) for w in caught]
    assert any(f"{name!r} skipped" in m for m in messages), messages
    assert model.thresholds_[0] is not None


# fourth look (FL2): a subclass of AURegressor ('balanced_subsample' for another model: above),
# and the refusal raised once, before the inner tuning folds blame one of them
class _MyRegressor(AURegressor):
    pass


def test_face_model_gives_the_ids_to_a_subclass_of_au_regressor():
    with sklearn.config_context(enable_metadata_routing=True):
        fitted = FaceModel(_MyRegressor(_per_au_search()), normalize="none").fit(
            X, Y, groups=GROUPS)
    assert len(fitted.estimator_.estimators_) == 2


def test_a_per_au_search_by_person_without_ids_is_refused_before_tuning():
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=GroupKFold(2))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="pass groups= to the AU model's fit"):
            AUClassifier(search, tune_thresholds=True).fit(X, (Y > 2).astype(int))
    assert not any("inner fold" in str(w.message) for w in caught)
