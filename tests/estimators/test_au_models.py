"""AU models: per-AU SMOTE only during fit, constant fallbacks, clipping, NaN = not coded."""

import numpy as np
import pytest

from aufeat import AufeatWarning
from aufeat.estimators.au import AUClassifier, AURegressor
from aufeat.estimators.presets import CLASSIFIERS, REGRESSORS, make_classifier, make_regressor


@pytest.fixture
def au_data(rng):
    X = rng.normal(size=(120, 6))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 1.2]).astype(float)  # AU2 is rare (~12%)
    return X, Y


def test_smote_balances_each_au_during_fit_only(au_data):
    X, Y = au_data
    model = AUClassifier("knn", smote=True, random_state=0).fit(X, Y)
    for j, inner in enumerate(model.estimators_):
        majority = np.bincount(Y[:, j].astype(int)).max()
        assert inner[-1].n_samples_fit_ == 2 * majority  # KNN saw the resampled, balanced set
    assert model.predict(X).shape == Y.shape  # prediction never resamples


def test_rare_au_gets_a_constant_model_and_a_warning(au_data):
    X, Y = au_data
    Y = Y.copy()
    Y[:, 1] = 0
    Y[:2, 1] = 1  # two positives
    with pytest.warns(AufeatWarning, match="AU2.*2 training samples"):
        model = AUClassifier("logreg", au_names=["AU1", "AU2"]).fit(X, Y)
    assert list(model.constant_outputs_) == ["AU2"]
    assert (model.predict(X)[:, 1] == 0).all()


def test_uncoded_rows_are_left_out_per_au(au_data):
    X, Y = au_data
    Y = Y.copy()
    Y[:60, 1] = np.nan
    model = AUClassifier("knn").fit(X, Y)
    assert model.estimators_[0][-1].n_samples_fit_ == 120
    assert model.estimators_[1][-1].n_samples_fit_ == 60


def test_continuous_targets_are_refused_by_the_classifier(rng):
    with pytest.raises(ValueError, match="continuous"):
        AUClassifier("logreg").fit(rng.normal(size=(20, 2)), rng.normal(size=(20, 2)))


def test_an_au_absent_in_all_training_rows_scores_absent_whatever_its_coding():
    X = np.arange(20.0).reshape(10, 2)
    for absent, present in ((0, 1), (-1, 1)):  # 0/1 and -1/+1 coding
        with pytest.warns(AufeatWarning):
            model = AUClassifier("logreg").fit(X, np.full((10, 1), absent))
        assert (model.decision_scores(X) == -1.0).all()
        with pytest.warns(AufeatWarning):
            model = AUClassifier("logreg").fit(X, np.full((10, 1), present))
        assert (model.decision_scores(X) == 1.0).all()


def test_decision_scores_rank_positives_first(au_data):
    X, Y = au_data
    scores = AUClassifier("logreg").fit(X, Y).decision_scores(X)
    assert scores.shape == Y.shape
    assert scores[Y[:, 0] == 1, 0].mean() > scores[Y[:, 0] == 0, 0].mean()


def test_regressor_clips_to_the_intensity_range(rng):
    X = rng.normal(size=(80, 3))
    Y = np.column_stack([np.clip(2.5 + 2 * X[:, 0], 0, 5), np.full(80, 2.0)])
    with pytest.warns(AufeatWarning, match="always 2"):
        model = AURegressor("ridge", au_names=["AU12", "AU25"]).fit(X, Y)
    pred = model.predict(X * 10)  # extrapolate far outside the training range
    assert pred.min() >= 0
    assert pred.max() <= 5
    assert np.allclose(model.predict(X)[:, 1], 2.0)
    assert np.corrcoef(model.predict(X)[:, 0], Y[:, 0])[0, 1] > 0.9


@pytest.mark.parametrize("clip", [(5, 0), (2, 2), (0, np.nan), (0, 5, 1), 5])
def test_regressor_refuses_a_clip_range_that_is_not_low_to_high(rng, clip):
    X = rng.normal(size=(40, 3))
    y = np.clip(2.5 + 2 * X[:, 0], 0, 5)
    with pytest.raises(ValueError, match=r"clip must be None or \(low, high\) with low < high"):
        AURegressor("ridge", clip=clip).fit(X, y)
    one_sided = AURegressor("ridge", clip=(None, 4)).fit(X, y).predict(X * 10)
    assert one_sided.max() <= 4
    assert one_sided.min() < 0


@pytest.mark.parametrize("name", sorted(CLASSIFIERS))
def test_every_classifier_preset_learns_a_separable_problem(name, rng):
    signal = rng.normal(size=90)
    # five noisy copies of the signal + five noise columns: every family (including
    # bagging's feature subsets) sees some signal; axis-aligned, so trees learn it
    X = np.column_stack([signal[:, None] + 0.1 * rng.normal(size=(90, 5)),
                         rng.normal(size=(90, 5))])
    y = np.where(signal > 0, "happy", "sad")
    model = make_classifier(name, random_state=0).fit(X[:60], y[:60])
    assert (model.predict(X[60:]) == y[60:]).mean() >= 0.8


@pytest.mark.parametrize("name", sorted(REGRESSORS))
def test_every_regressor_preset_learns_a_linear_trend(name, rng):
    X = rng.normal(size=(120, 3))
    y = 2.5 + X[:, 0]
    model = make_regressor(name, random_state=0).fit(X[:80], y[:80])
    assert np.corrcoef(model.predict(X[80:]), y[80:])[0, 1] > 0.8


def test_unknown_names_list_the_choices():
    with pytest.raises(ValueError, match="linear-svm"):
        make_classifier("svn")
    with pytest.raises(ValueError, match="ridge"):
        make_regressor("lasso")
    with pytest.raises(ValueError, match="bagging"):
        make_classifier("adaboost", base="nb")


def test_tuned_thresholds_help_a_rare_au_and_drive_predict(rng):
    X = rng.normal(size=(600, 8))
    rare = (X[:, 0] + 0.3 * rng.normal(size=600)) > 1.5  # ~7% positives
    Y = np.column_stack([rare, X[:, 1] > 0]).astype(int)
    train, test = slice(0, 450), slice(450, None)
    groups = np.repeat(np.arange(15), 30)  # "subjects": tuning folds are subject-disjoint
    plain = AUClassifier("linear-svm").fit(X[train], Y[train])
    tuned = AUClassifier("linear-svm", tune_thresholds=True, random_state=0).fit(
        X[train], Y[train], groups=groups)
    assert plain.thresholds_ == [None, None]
    assert all(np.isfinite(t) for t in tuned.thresholds_)
    scores = tuned.decision_scores(X[test])
    expected = (scores >= np.array(tuned.thresholds_)).astype(int)
    np.testing.assert_array_equal(tuned.predict(X[test]), expected)

    def f1(pred, truth):
        tp = np.sum((pred == 1) & (truth == 1))
        return 2 * tp / max(np.sum(pred == 1) + np.sum(truth == 1), 1)

    assert f1(tuned.predict(X[test])[:, 0], Y[test, 0]) > f1(plain.predict(X[test])[:, 0],
                                                            Y[test, 0])


def test_an_au_too_small_for_the_model_on_inner_folds_is_left_untuned_not_a_crash(rng):
    # 3 + 3 coded rows pass min_samples=3; KNN's 5 neighbours do not fit a 4-row inner fold
    X = rng.normal(size=(30, 3))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0]).astype(float)
    Y[6:, 1] = np.nan
    Y[:6, 1] = [0, 0, 0, 1, 1, 1]
    with pytest.warns(AufeatWarning, match=r"AU2: threshold not tuned.*n_neighbors"):
        model = AUClassifier("knn", tune_thresholds=True, au_names=["AU1", "AU2"],
                             random_state=0).fit(X, Y)
    assert model.thresholds_[0] is not None
    assert model.thresholds_[1] is None
    assert model.constant_outputs_ == {}
    untuned = AUClassifier("knn").fit(X[:6], Y[:6, 1])
    np.testing.assert_array_equal(model.predict(X)[:, 1], untuned.predict(X))
