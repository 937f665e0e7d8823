"""Review Z114: AU models refuse a regressor, skip a class weight that does not fit, give no
ids past SMOTE, pass ids on in AURegressor, and FaceModel warns of leaked AU folds."""

import warnings

import numpy as np
import pytest
import sklearn
from imblearn.pipeline import make_pipeline as make_imb_pipeline
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, GroupKFold, LeaveOneGroupOut
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aufeat.estimators import AUClassifier, AURegressor, FaceModel
from aufeat.estimators._smote import AdaptiveSMOTE

RNG = np.random.default_rng(0)
GROUPS = np.repeat(np.arange(6), 10)
A = RNG.normal(size=(60, 5)) + RNG.normal(size=(6, 5))[GROUPS] * 3
X_MIRROR = np.hstack([A, A[:, ::-1]])  # face features | mirror features
INTENSITIES = RNG.uniform(0, 5, size=(60, 2))
LABELS = (A[:, :2] + RNG.normal(size=(60, 2)) > 0).astype(int)


def _messages(fit):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fit()
    return result, [str(w.message) for w in caught]


# F5: a regressor is refused whether or not thresholds are tuned
@pytest.mark.parametrize("regressor", [Ridge(), make_pipeline(StandardScaler(),
                                                              LinearRegression())])
@pytest.mark.parametrize("tune", [False, True])
def test_a_regressor_is_refused_with_or_without_tuning(regressor, tune):
    with pytest.raises(ValueError, match=r"is a regressor: give AUClassifier a classifier "
                                         r"\(AU intensities: AURegressor\)"):
        AUClassifier(regressor, tune_thresholds=tune).fit(A, LABELS)


# F4: a class_weights candidate keyed by other classes is skipped, the others still tuned
def test_a_class_weight_of_other_classes_is_skipped_and_the_rest_tuned():
    X = RNG.normal(size=(80, 4))
    y = np.where(X[:, 0] + 0.5 * RNG.normal(size=80) > 0.8, 1, -1)  # an AU coded -1/+1
    groups = np.repeat(np.arange(8), 10)
    model, messages = _messages(lambda: AUClassifier(
        "logreg", tune_thresholds=True, class_weights=(None, {0: 1, 1: 5}), au_names=["AU4"],
        random_state=0).fit(X, y[:, None], groups=groups))
    alone = AUClassifier("logreg", tune_thresholds=True, class_weights=(None,),
                         random_state=0).fit(X, y[:, None], groups=groups)
    assert any("AU4: class_weights candidate {0: 1, 1: 5} skipped" in m
               and "[-1, 1]" in m for m in messages), messages
    assert not any("cannot be fitted on an inner fold" in m for m in messages), messages
    assert alone.thresholds_[0] is not None
    assert model.thresholds_ == alone.thresholds_
    assert model.class_weights_ == [None]


# F3: no subject ids for a step after a sampler
def test_a_search_after_smote_gets_no_ids_with_a_warning():
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=3)
    model, messages = _messages(lambda: AUClassifier(make_imb_pipeline(
        AdaptiveSMOTE(random_state=0), search)).fit(A, LABELS, groups=GROUPS))
    assert any("follows AdaptiveSMOTE" in m and "cannot be person-wise after resampling" in m
               for m in messages), messages
    assert model.predict(A).shape == LABELS.shape


def test_a_group_splitter_after_smote_is_refused_by_name():
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=GroupKFold(3))
    with pytest.raises(ValueError, match=r"GridSearchCV follows AdaptiveSMOTE.*GroupKFold"
                                         r".*resample inside it"):
        AUClassifier(make_imb_pipeline(AdaptiveSMOTE(random_state=0), search)).fit(
            A, LABELS, groups=GROUPS)


# F2: AURegressor passes subject ids on; FaceModel warns of a per-AU search's int cv
def test_au_regressor_gives_its_search_the_subject_ids():
    search = GridSearchCV(Ridge(), {"alpha": [1.0, 10.0]}, cv=LeaveOneGroupOut())
    model = AURegressor(search).fit(A, INTENSITIES, groups=GROUPS)
    assert [m.n_splits_ for m in model.estimators_] == [6, 6]  # one fold per person


def _face_model(estimator, mirror=True):
    return lambda: FaceModel(estimator, normalize="none", mirror=mirror).fit(
        X_MIRROR, INTENSITIES if isinstance(estimator, AURegressor) else LABELS,
        groups=GROUPS)


@pytest.mark.parametrize("estimator", [
    AURegressor(GridSearchCV(Ridge(), {"alpha": [1.0, 10.0]}, cv=3)),
    AUClassifier(GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=3))])
def test_face_model_warns_of_a_per_au_search_with_an_int_cv(estimator):
    name = type(estimator).__name__
    _, messages = _messages(_face_model(estimator))
    assert any(f"fits {name}'s per-AU GridSearchCV on every face and its mirror" in m
               and "GroupKFold(3)" in m for m in messages), messages
    _, plain = _messages(_face_model(estimator, mirror=False))
    assert not any("per-AU" in m for m in plain), plain


def test_face_model_gives_a_regressor_s_group_splitter_the_ids_under_mirror():
    estimator = AURegressor(GridSearchCV(Ridge(), {"alpha": [1.0, 10.0]}, cv=GroupKFold(3)))
    fitted, messages = _messages(_face_model(estimator))
    assert not any("per-AU" in m for m in messages), messages
    assert fitted.predict(X_MIRROR).shape == INTENSITIES.shape


# F1: a search around an AU model tuning thresholds, without routing
def _tuned_search():
    return GridSearchCV(AUClassifier("logreg", tune_thresholds=True, random_state=0),
                        {"min_samples": [3]}, cv=3)


def test_face_model_warns_that_a_searched_au_model_tunes_over_images():
    _, messages = _messages(_face_model(_tuned_search()))
    assert any("around AUClassifier(tune_thresholds=True)" in m
               and "enable_metadata_routing=True" in m
               and "set_fit_request(groups=True)" in m for m in messages), messages


def test_no_such_warning_when_the_au_model_gets_the_ids():
    _, bare = _messages(_face_model(AUClassifier("logreg", tune_thresholds=True,
                                                 random_state=0)))
    with sklearn.config_context(enable_metadata_routing=True):
        search = _tuned_search()
        search.estimator.set_fit_request(groups=True)
        _, routed = _messages(_face_model(search))
    untuned = _tuned_search().set_params(estimator__tune_thresholds=False)
    _, plain = _messages(_face_model(untuned))
    for messages in (bare, routed, plain):
        assert not any("tune_thresholds=True) on" in m for m in messages), messages
