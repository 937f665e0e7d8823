"""evaluate reconciles the au_names of the AU models a search's grid swaps in (TL7 F03)."""

import warnings

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import aufeat
from aufeat.estimators import AUClassifier


def _dataset(name, aus, labels, seed=0, n=40):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    return aufeat.FaceDataset(images=rng.integers(0, 255, (n, 4, 4)).astype(np.uint8),
                              subject=np.repeat([f"{name}{i}" for i in range(4)], n // 4),
                              aus=labels(X), au_names=aus, name=name), X


def _evaluate(data, X, model, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return aufeat.evaluate(data, X, model=model, task="au-occurrence", n_bootstrap=0, **kw)


def _pipe(last):
    return Pipeline([("s", StandardScaler()), ("clf", last)])


@pytest.mark.parametrize("grid", [
    {"clf": [AUClassifier("logreg", au_names=["AU12", "AU6"])]},
    [{"clf": [AUClassifier("logreg"), AUClassifier("logreg", min_samples=3)]}],
], ids=["other-order", "unnamed-list-of-grids"])
def test_evaluate_names_the_au_models_of_a_search_grid(grid):
    # AU6 follows feature 0, AU12 is never shown: the constant-model warning names AU12
    data, X = _dataset("A", ["AU6", "AU12"],
                       lambda X: np.column_stack([X[:, 0] > 0, np.zeros(len(X))]).astype(float))
    model = GridSearchCV(_pipe(AUClassifier("logreg")), grid, cv=2)
    result = _evaluate(data, X, model, protocol="group-kfold:2")
    constant = {w.split(":")[0] for w in result.warnings if "only class" in w}
    assert constant == {"AU12"}
    assert not hasattr(model, "best_estimator_")  # the user's search untouched


def test_evaluate_cross_runs_a_grid_candidate_with_the_training_sets_au_names():
    def coded(X):
        return (X[:, :3] > 0).astype(float)

    train, Xa = _dataset("A", ["AU1", "AU6", "AU12"], coded, seed=1)
    test, Xb = _dataset("B", ["AU12", "AU6", "AU25"], coded, seed=2)
    model = GridSearchCV(_pipe(AUClassifier("logreg")),
                         {"clf": [AUClassifier("logreg", au_names=["AU1", "AU6", "AU12"])]}, cv=2)
    result = _evaluate(train, Xa, model, protocol="cross:B", target=test, target_X=Xb)
    assert list(result.metrics["per_au"]) == ["AU6", "AU12"]


def test_evaluate_refuses_a_grid_candidate_lacking_an_evaluated_au_before_any_fit():
    data, X = _dataset("A", ["AU6", "AU12"],
                       lambda X: np.column_stack([X[:, 0] > 0, X[:, 1] > 0]).astype(float))
    candidate = AUClassifier("logreg", au_names=["AU6", "AU1", "AU2"])
    model = GridSearchCV(_pipe(AUClassifier("logreg")), {"clf": [candidate]}, cv=2)
    with pytest.raises(ValueError, match="lack AU12"):
        _evaluate(data, X, model, protocol="group-kfold:2")
    assert not hasattr(candidate, "estimators_")
