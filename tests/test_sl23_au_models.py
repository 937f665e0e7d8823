"""Review SL23: a class_weight string the model knows is compared, AURegressor asks for no
groups under metadata routing unless told, an int cv after a sampler under mirror=True is
not refused, and the per-AU advice for a model without groups works."""

import warnings

import numpy as np
import pytest
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_validate

from aufeat.estimators import AUClassifier, AURegressor, FaceModel

RNG = np.random.default_rng(0)
GROUPS = np.repeat(np.arange(9), 10)
X = RNG.normal(size=(90, 5))
RARE = ((X[:, :1] + RNG.normal(size=(90, 1))) > 1.2).astype(int)  # a rare AU


def _messages(fit):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fit()
    return result, [str(w.message) for w in caught]


def _forest():
    return RandomForestClassifier(n_estimators=10, max_depth=2, random_state=0)


# F1: 'balanced_subsample' is a class_weight RandomForestClassifier takes: compared, tuned
def test_a_class_weight_string_of_the_model_is_compared_and_tuned():
    model, messages = _messages(lambda: AUClassifier(
        _forest(), tune_thresholds=True, class_weights=("balanced_subsample",),
        random_state=0).fit(X, RARE, groups=GROUPS))
    assert not any("skipped" in m for m in messages), messages
    assert model.class_weights_ == ["balanced_subsample"]
    assert model.thresholds_[0] is not None
    assert model.estimators_[0].get_params()["class_weight"] == "balanced_subsample"


def test_every_candidate_skipped_tunes_the_model_s_own_weighting():
    y = np.where(RARE == 1, 1, -1)  # coded -1/+1: {0: ..., 1: ...} names a class it lacks
    model, messages = _messages(lambda: AUClassifier(
        LogisticRegression(), tune_thresholds=True, class_weights=({0: 1, 1: 5},),
        au_names=["AU4"], random_state=0).fit(X, y, groups=GROUPS))
    skipped = [m for m in messages if "AU4: class_weights candidate {0: 1, 1: 5} skipped" in m]
    assert skipped, messages
    assert all("other candidates are compared" not in m for m in skipped), messages
    assert all("tuned with the model's own class_weight" in m for m in skipped), messages
    alone = AUClassifier(LogisticRegression(), tune_thresholds=True,
                         random_state=0).fit(X, y, groups=GROUPS)
    assert model.class_weights_ == [None]
    assert model.thresholds_[0] is not None
    assert model.thresholds_ == alone.thresholds_


# F3: under metadata routing AURegressor requests no groups by default, as before it took them
INTENSITIES = RNG.uniform(0, 5, size=(90, 2))


def _search(estimator):
    return GridSearchCV(estimator, {"clip": [(0, 5)]}, cv=GroupKFold(3))


@pytest.mark.parametrize("fit", [
    lambda: _search(AURegressor(Ridge())).fit(X, INTENSITIES, groups=GROUPS),
    lambda: cross_validate(AURegressor(Ridge()), X, INTENSITIES, cv=GroupKFold(3),
                           params={"groups": GROUPS}),
    lambda: FaceModel(_search(AURegressor(Ridge())), normalize="none").fit(
        X, INTENSITIES, groups=GROUPS),
], ids=["search", "cross_validate", "face_model"])
def test_a_search_over_au_regressor_runs_under_metadata_routing(fit):
    with sklearn.config_context(enable_metadata_routing=True):
        assert fit() is not None


def test_au_regressor_under_routing_gets_the_ids_where_asked_for():
    per_au = GridSearchCV(Ridge(), {"alpha": [1.0, 10.0]}, cv=GroupKFold(3))
    with sklearn.config_context(enable_metadata_routing=True):
        # FaceModel gives them (its per-AU search needs them); a search given the request too
        FaceModel(AURegressor(per_au), normalize="none").fit(X, INTENSITIES, groups=GROUPS)
        _search(AURegressor(per_au).set_fit_request(groups=True)).fit(
            X, INTENSITIES, groups=GROUPS)
        # FaceModel gives AURegressor the ids whatever its request (it only passes them to a
        # per-AU model that takes them: TL13 F1, a request of its own hid them)
        FaceModel(AURegressor(per_au).set_fit_request(groups=False),
                  normalize="none").fit(X, INTENSITIES, groups=GROUPS)


# F2: an int cv after a sampler is kept as given under mirror=True: fitted with warnings
FACES = RNG.normal(size=(80, 4))
EMOTION = np.where(FACES[:, 0] + RNG.normal(size=80) > 1.0, "happy", "neutral")
PEOPLE = np.repeat(np.arange(8), 10)


@pytest.mark.parametrize("groups", [PEOPLE, None], ids=["groups", "no_groups"])
def test_an_int_cv_after_smote_under_mirror_is_fitted_with_warnings(groups):
    from imblearn.pipeline import make_pipeline

    from aufeat.estimators._smote import AdaptiveSMOTE

    pipe = make_pipeline(AdaptiveSMOTE(random_state=0),
                         GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=3))
    model, messages = _messages(lambda: FaceModel(pipe, normalize="none", mirror=True).fit(
        np.hstack([FACES, FACES[:, ::-1]]), EMOTION, groups=groups))
    assert model.estimator_[-1].cv == 3  # the user's cv, not one FaceModel made
    assert any("cannot be person-wise after resampling" in m for m in messages), messages
    assert any("cv=3 does not split by groups" in m and "follows AdaptiveSMOTE" in m
               for m in messages), messages


# F6: the advice for a per-AU model whose fit takes no groups, followed, silences it
def test_per_au_advice_for_a_model_without_groups_works():
    from sklearn.linear_model import LogisticRegressionCV

    labels = (FACES[:, :1] + RNG.normal(size=(80, 1)) > 0.5).astype(float)
    mirrored = np.hstack([FACES, FACES[:, ::-1]])

    def fit(per_au):
        return _messages(lambda: FaceModel(AUClassifier(per_au), mirror=True,
                                           normalize="none").fit(mirrored, labels,
                                                                 groups=PEOPLE))[1]

    leaked = [m for m in fit(LogisticRegressionCV(cv=3)) if "mirror image" in m]
    assert len(leaked) == 1, leaked
    assert "AUClassifier(GridSearchCV(model, params, cv=GroupKFold(3)))" in leaked[0]
    assert "whose folds FaceModel makes of whole pairs" not in leaked[0]
    advised = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=GroupKFold(3))
    assert not [m for m in fit(advised) if "mirror image" in m]
