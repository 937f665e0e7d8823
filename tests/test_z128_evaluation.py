"""Z128: cross: classes by value, groups per scoring method, labels refused for AU tasks."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aufeat.datasets import FaceDataset
from aufeat.evaluation._subject_ids import same_id
from aufeat.evaluation.runner import evaluate
from aufeat.exceptions import ProtocolError


def _emotion_set(codes, subjects, name, seed):
    rng = np.random.default_rng(seed)
    n = len(subjects)
    return FaceDataset(images=rng.integers(0, 255, (n, 8, 8)).astype(np.uint8), subject=subjects,
                       emotion=np.asarray(codes)[rng.integers(0, len(codes), n)], name=name)


# --- F1: cross: compares emotion classes by value ---------------------------------------------

@pytest.mark.parametrize("labels", [None, [1, 2]])
def test_cross_shares_numeric_classes_written_as_int_and_as_float(labels):
    # CK+-style codes: one set read as ints ('1'), the other from a float column ('1.0')
    train = _emotion_set([1, 2], np.repeat(np.arange(8), 5), "A", 0)
    test = _emotion_set([1.0, 2.0], np.repeat(np.arange(100, 108), 5), "B", 1)
    assert set(test.emotion) == {"1.0", "2.0"}
    rng = np.random.default_rng(2)
    XA, XB = rng.normal(size=(40, 5)), rng.normal(size=(40, 5))
    result = evaluate(train, XA, model="logreg", protocol="cross:B", target=test, target_X=XB,
                      labels=labels, keep_predictions=True, n_bootstrap=0)
    assert result.metrics["labels"] == ["1", "2"]
    assert result.n_samples == 80
    test_rows = result.predictions["subjects"].astype(str)
    assert all(s.startswith("test:") for s in test_rows)
    assert len(test_rows) == 40  # every item of B is scored
    truth = np.asarray(result.predictions["y_true"]).astype(str)
    expected = np.where(np.asarray(test.emotion) == "1.0", "1", "2")
    assert truth.tolist() == expected.tolist()  # in the training set's spelling


@pytest.mark.parametrize("test_codes", [["1_0", "2"], [" 10", "2"], ["\u0661\u0660", "2"]])
def test_cross_reads_only_plain_numbers_by_value(test_codes):
    # SL31 3: '1_0', ' 10' and Arabic-Indic '10' are no plain decimal number (float() reads
    # them as 10): compared as text, as subject ids are, so B shares one class with A only
    train = _emotion_set([10, 2], np.repeat(np.arange(8), 5), "A", 0)
    test = _emotion_set(test_codes, np.repeat(np.arange(100, 108), 5), "B", 1)
    rng = np.random.default_rng(2)
    with pytest.raises(ProtocolError, match=r"share fewer than two emotion classes \(2\)"):
        evaluate(train, rng.normal(size=(40, 5)), model="logreg", protocol="cross:B",
                 target=test, target_X=rng.normal(size=(40, 5)), n_bootstrap=0)


@pytest.mark.parametrize("test_codes", [["010", "2"], ["1e1", "2.0"], ["10.0", "+2"]])
def test_cross_reads_plain_numbers_by_value_as_subject_ids(test_codes):
    train = _emotion_set([10, 2], np.repeat(np.arange(8), 5), "A", 0)
    test = _emotion_set(test_codes, np.repeat(np.arange(100, 108), 5), "B", 1)
    rng = np.random.default_rng(2)
    result = evaluate(train, rng.normal(size=(40, 5)), model="logreg", protocol="cross:B",
                      target=test, target_X=rng.normal(size=(40, 5)), keep_predictions=True,
                      n_bootstrap=0)
    assert result.metrics["labels"] == ["10", "2"]
    assert same_id(test_codes[0]) == same_id("10")  # one id, one class
    truth = np.asarray(result.predictions["y_true"]).astype(str)
    expected = np.where(np.asarray(test.emotion) == test_codes[0], "10", "2")
    assert truth.tolist() == expected.tolist()


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


# --- SL31 1: a **kwargs scoring method gets the ids that predict got ----------------------

def _centred(X, groups):
    """Each person's rows minus their median (all rows one person without ids)."""
    X = np.asarray(X, float).copy()
    groups = np.zeros(len(X)) if groups is None else np.asarray(groups)
    for g in np.unique(groups):
        X[groups == g] -= np.median(X[groups == g], axis=0)
    return X


class PersonNormalised(ClassifierMixin, BaseEstimator):
    """``predict`` names ``groups``; ``predict_proba`` passes its ``**kwargs`` to the normaliser."""

    def fit(self, X, y, groups=None):
        self.m_ = LogisticRegression().fit(_centred(X, groups), y)
        self.classes_ = self.m_.classes_
        return self

    def predict(self, X, groups=None):
        return self.m_.predict(_centred(X, groups))

    def predict_proba(self, X, **kwargs):
        return self.m_.predict_proba(_centred(X, kwargs.get("groups")))


class PersonNormalisedAUs(BaseEstimator):
    """An AU model as :class:`PersonNormalised`: ``decision_scores`` takes ``**kwargs``."""

    def fit(self, X, Y, groups=None):
        Y = np.nan_to_num(np.asarray(Y, dtype=float))
        self.m_ = [LogisticRegression().fit(_centred(X, groups), Y[:, j])
                   for j in range(Y.shape[1])]
        return self

    def predict(self, X, groups=None):
        return np.column_stack([m.predict(_centred(X, groups)) for m in self.m_]).astype(float)

    def decision_scores(self, X, **kwargs):
        return np.column_stack([m.decision_function(_centred(X, kwargs.get("groups")))
                                for m in self.m_])


class KwargsOnly(ClassifierMixin, BaseEstimator):
    """Keras-like: ``predict`` and ``predict_proba`` take ``**kwargs`` and refuse ``groups``."""

    def fit(self, X, y, **kwargs):
        self.m_ = LogisticRegression().fit(X, y)
        self.classes_ = self.m_.classes_
        return self

    def predict(self, X, **kwargs):
        assert not kwargs  # predict got no ids, so neither do the scores
        return self.m_.predict(X)

    def predict_proba(self, X, **kwargs):
        assert not kwargs
        return self.m_.predict_proba(X)


def _people_apart(n_people=10, per=12, seed=0):
    """Two classes told apart by a column offset per person (centred away per person only)."""
    rng = np.random.default_rng(seed)
    subject = np.repeat(np.arange(n_people), per)
    label = np.tile([0, 1], n_people * per // 2)
    offset = np.repeat(rng.normal(0, 5, n_people), per)
    X = np.c_[offset + label + 0.3 * rng.standard_normal(len(label)),
              rng.standard_normal(len(label))]
    return X, label, subject


def test_kwargs_predict_proba_gets_the_ids_predict_got():
    X, label, subject = _people_apart()
    data = FaceDataset(images=np.zeros((len(X), 8, 8), np.uint8), subject=subject,
                       emotion=np.where(label == 1, "happiness", "neutral"), name="t")
    result = evaluate(data, X, model=PersonNormalised(), protocol="group-kfold:5",
                      n_bootstrap=0)
    assert result.metrics["accuracy"] > 0.9
    assert result.metrics["roc_auc_ovr"] > 0.9  # centred as one person: about 0.6


def test_kwargs_decision_scores_get_the_ids_predict_got():
    X, label, subject = _people_apart()
    aus = np.c_[label, label].astype(float)
    data = FaceDataset(images=np.zeros((len(X), 8, 8), np.uint8), subject=subject, aus=aus,
                       au_names=["AU1", "AU12"], name="t")
    result = evaluate(data, X, model=PersonNormalisedAUs(), task="au-occurrence",
                      protocol="group-kfold:5", n_bootstrap=0)
    assert result.metrics["mean_roc_auc"] > 0.9


def test_kwargs_scoring_method_gets_no_ids_when_predict_got_none():
    X, label, subject = _people_apart()
    data = FaceDataset(images=np.zeros((len(X), 8, 8), np.uint8), subject=subject,
                       emotion=np.where(label == 1, "happiness", "neutral"), name="t")
    result = evaluate(data, X, model=KwargsOnly(), protocol="group-kfold:5", n_bootstrap=0)
    assert 0 <= result.metrics["roc_auc_ovr"] <= 1


# --- F3: labels (emotion classes) refused for an AU task --------------------------------------

@pytest.mark.parametrize("task", ["au-occurrence", "au-intensity"])
def test_labels_are_refused_for_an_au_task_not_ignored(task):
    rng = np.random.default_rng(0)
    n = 60
    aus = (rng.random((n, 3)) < 0.4).astype(float) * 3
    data = FaceDataset(images=np.zeros((n, 8, 8), np.uint8), subject=np.repeat(np.arange(6), 10),
                       aus=aus, au_names=["AU1", "AU6", "AU12"], name="t")
    with pytest.raises(ValueError, match=rf"labels keeps emotion classes, and task '{task}' "
                       r"evaluates every AU .*leave labels out \(labels=None\)"):
        evaluate(data, rng.normal(size=(n, 4)), model="logreg", task=task,
                 protocol="group-kfold:3", labels=["AU12"], n_bootstrap=0)


class ForwardsOptions(ClassifierMixin, BaseEstimator):
    """predict names groups; predict_proba passes its **kwargs on to a model taking none."""

    def fit(self, X, y, groups=None):
        self.clf_ = LogisticRegression(max_iter=200).fit(X, y)
        self.classes_ = self.clf_.classes_
        return self

    def predict(self, X, groups=None):
        return self.clf_.predict(X)

    def predict_proba(self, X, **kwargs):
        return self.clf_.predict_proba(X, **kwargs)


def test_kwargs_scoring_method_that_passes_the_ids_on_to_a_model_taking_none_is_scored():
    """SL34 F1: the ids given for **kwargs ended the evaluation in a raw TypeError."""
    X, label, subject = _people_apart()
    data = FaceDataset(images=np.zeros((len(X), 8, 8), np.uint8), subject=subject,
                       emotion=np.where(label == 1, "happiness", "neutral"), name="t")
    for model in (ForwardsOptions(), make_pipeline(StandardScaler(), ForwardsOptions())):
        result = evaluate(data, X, model=model, protocol="group-kfold:5", n_bootstrap=0)
        assert 0.0 <= result.metrics["roc_auc_ovr"] <= 1.0
