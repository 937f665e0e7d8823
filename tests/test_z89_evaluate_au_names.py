"""evaluate with the user's AU model whose au_names are not the evaluated AUs (Z89 F2, F2b)."""

import warnings

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import aufeat
from aufeat.estimators import AUClassifier, FaceModel


def _dataset(name, aus, columns, seed=0, n=40):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    images = rng.integers(0, 255, (n, 4, 4)).astype(np.uint8)
    subjects = np.repeat([f"{name}{i}" for i in range(4)], n // 4)
    return aufeat.FaceDataset(images=images, subject=subjects, aus=columns(X), au_names=aus,
                              name=name), X


def _au6_only(X):  # AU6 follows the first feature, AU12 is never shown
    return np.column_stack([(X[:, 0] > 0).astype(float), np.zeros(len(X))])


def _evaluate(data, X, model, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return aufeat.evaluate(data, X, model=model, task="au-occurrence", n_bootstrap=0,
                               **kwargs)


@pytest.mark.parametrize(("wrap", "key"), [
    (lambda m: m, "au_names"),
    (lambda m: make_pipeline(StandardScaler(), m), "auclassifier__au_names"),
    (lambda m: FaceModel(m, normalize="none"), "estimator__au_names"),
    (lambda m: FaceModel(make_pipeline(StandardScaler(), m), normalize="none"),
     "estimator__auclassifier__au_names"),
    (lambda m: make_pipeline(StandardScaler(), make_pipeline(StandardScaler(), m)),
     "pipeline__auclassifier__au_names"),
    (lambda m: GridSearchCV(make_pipeline(StandardScaler(), m),
                            {"standardscaler__with_mean": [True]}, cv=2),
     "estimator__auclassifier__au_names"),
])
def test_au_names_in_another_order_name_the_right_au_in_the_warnings(wrap, key):
    data, X = _dataset("A", ["AU6", "AU12"], _au6_only)
    model = wrap(AUClassifier("logreg", au_names=["AU12", "AU6"]))
    result = _evaluate(data, X, model, protocol="group-kfold:2")
    constant = [w for w in result.warnings if "only class" in w]  # not min_samples (search)
    assert constant
    assert all(w.startswith("AU12:") for w in constant)  # not AU6, which occurs
    assert any("['AU12', 'AU6']" in w and "['AU6', 'AU12']" in w for w in result.warnings)
    assert model.get_params()[key] == ["AU12", "AU6"]  # the user's model is untouched
    preset = _evaluate(data, X, "logreg", protocol="group-kfold:2")  # names the AUs itself
    scores = preset.metrics["per_au"]["AU6"]  # a search gives no decision scores: no roc_auc
    assert all(scores[name] == value for name, value in result.metrics["per_au"]["AU6"].items())


@pytest.mark.parametrize("wrap", [
    lambda m: m,
    lambda m: FaceModel(make_pipeline(StandardScaler(), m), normalize="none"),
    lambda m: GridSearchCV(make_pipeline(StandardScaler(), m),
                           {"standardscaler__with_mean": [True]}, cv=2),
])
def test_cross_with_the_training_sets_au_names_runs_on_the_shared_aus(wrap):
    def coded(X):
        return (X[:, :3] > 0).astype(float)

    train, X = _dataset("A", ["AU1", "AU6", "AU12"], coded, seed=1)
    test, X_test = _dataset("B", ["AU12", "AU6", "AU25"], coded, seed=2)
    model = wrap(AUClassifier("logreg", au_names=list(train.au_names)))
    result = _evaluate(train, X, model, protocol="cross:B", target=test, target_X=X_test)
    assert list(result.metrics["per_au"]) == ["AU6", "AU12"]
    assert any("['AU1', 'AU6', 'AU12']" in w and "['AU6', 'AU12']" in w
               for w in result.warnings)


@pytest.mark.parametrize("names", [["AU6"], ["AU6", "AU25", "AU1"]])
def test_au_names_lacking_an_evaluated_au_are_refused_before_any_fit(names):
    data, X = _dataset("A", ["AU6", "AU12"], _au6_only)
    with pytest.raises(ValueError, match="lack AU12") as caught:
        _evaluate(data, X, AUClassifier("logreg", au_names=names), protocol="group-kfold:2")
    assert str(names) in str(caught.value)
    assert "['AU6', 'AU12']" in str(caught.value)
    assert "failed on a fold" not in str(caught.value)  # not from a fit
