"""A refit of an AU model refused part-way (or interrupted) leaves the last fit whole (SL10 F02)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from aufeat.estimators import AUClassifier, AURegressor
from tests.test_sl10_au_score_names import _data, _quiet


def _refused_midway(make, X, Y):
    """Fit ``make()`` on ``Y``, then refit it on ``Y`` reordered whose last AU is refused."""
    model = _quiet(make().fit, X, Y)
    before = model.predict(X)
    refused = Y[["AU4", "AU2", "AU1"]].astype(float)
    refused["AU1"] = np.random.default_rng(1).random(len(Y)) + 0.25  # continuous, in range
    with pytest.raises(ValueError, match="continuous"):
        _quiet(model.fit, X, refused)
    return model, before


@pytest.mark.parametrize("make", [lambda: AUClassifier(),
                                  lambda: AUClassifier("logreg", tune_thresholds=True),
                                  lambda: AURegressor(LogisticRegression())],
                         ids=["classifier", "tuned", "regressor"])
def test_a_refit_refused_part_way_leaves_the_last_fit(make):
    X, Y = _data()
    model, before = _refused_midway(make, X, Y)
    np.testing.assert_array_equal(model.predict(X), before)
    assert model.score(X, Y[["AU4", "AU1", "AU2"]]) == pytest.approx(model.score(X, Y))


def test_a_refused_refit_on_other_features_leaves_the_last_fit():
    X, Y = _data()
    model = _quiet(AUClassifier().fit, X, Y)
    before = model.predict(X)
    frame = pd.DataFrame(X[:, :2], columns=["a", "b"])
    with pytest.raises(ValueError, match="continuous"):
        _quiet(model.fit, frame, Y.assign(AU4=np.linspace(0, 1, len(Y))))
    assert model.n_features_in_ == 4
    assert not hasattr(model, "feature_names_in_")
    np.testing.assert_array_equal(model.predict(X), before)
