"""FaceModel(search of an AU model).score reads a reordered label frame by name (TL7 F01)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from aufeat.estimators import AUClassifier, FaceModel


def _labels(X):
    return pd.DataFrame({"AU1": (X[:, 0] > 0).astype(int), "AU2": (X[:, 1] > 0).astype(int),
                         "AU4": (X[:, 2] > 0.3).astype(int)})


@pytest.mark.parametrize("search", [
    lambda: GridSearchCV(AUClassifier("logreg"), {"min_samples": [2, 5]}, cv=2),
    lambda: RandomizedSearchCV(Pipeline([("s", StandardScaler()),
                                         ("clf", AUClassifier("logreg"))]),
                               {"clf__min_samples": [2, 5]}, n_iter=1, cv=2, random_state=0),
], ids=["grid", "randomized-pipeline"])
def test_face_model_of_a_search_reads_a_reordered_frame_by_name(search):
    X = np.random.default_rng(0).normal(size=(120, 6))
    Y = _labels(X)
    model = FaceModel(search(), normalize="none").fit(X, Y)
    assert model.score(X, Y[["AU4", "AU1", "AU2"]]) == pytest.approx(model.score(X, Y))
    with pytest.raises(ValueError, match="au1"):  # other names: as the bare AU model
        model.score(X, Y.set_axis(["au1", "au2", "au4"], axis=1))
