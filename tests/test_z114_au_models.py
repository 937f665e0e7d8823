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
