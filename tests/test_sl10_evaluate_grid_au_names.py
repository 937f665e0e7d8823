"""evaluate refuses a search whose grid sets au_names, before any fit (SL10 F03)."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import aufeat
from aufeat.estimators import AUClassifier, FaceModel


def _dataset():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 4))
    labels = np.column_stack([X[:, 0] > 0, np.zeros(40)]).astype(float)
    return aufeat.FaceDataset(images=rng.integers(0, 255, (40, 4, 4)).astype(np.uint8),
                              subject=np.repeat([f"s{i}" for i in range(4)], 10), aus=labels,
                              au_names=["AU6", "AU12"], name="A"), X


@pytest.mark.parametrize(("model", "key"), [
    (GridSearchCV(AUClassifier("logreg"), {"au_names": [["AU12", "AU6"]]}, cv=2), "au_names"),
    (GridSearchCV(make_pipeline(StandardScaler(), AUClassifier("logreg")),
                  [{"auclassifier__min_samples": [3]},
                   {"auclassifier__au_names": [["AU6", "AU12"]]}], cv=2),
     "auclassifier__au_names"),
    (FaceModel(RandomizedSearchCV(AUClassifier("logreg"), {"au_names": [["AU6", "AU12"]]},
                                  n_iter=1, cv=2), normalize="none"), "au_names"),
], ids=["grid", "list-of-grids-in-pipeline", "distributions-in-face-model"])
def test_evaluate_refuses_au_names_in_a_search_grid_before_any_fit(model, key):
    data, X = _dataset()
    with pytest.raises(ValueError, match=f"sets '{key}': au_names is no hyperparameter"):
        aufeat.evaluate(data, X, model=model, task="au-occurrence", n_bootstrap=0,
                        protocol="group-kfold:2")
    assert not hasattr(model, "best_estimator_")
    assert not hasattr(model, "estimator_")
