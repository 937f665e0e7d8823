"""FaceModel(mirror=True) around estimators with folds of their own (RFECV,
CalibratedClassifierCV...): folds of whole pairs where they take groups, else a warning;
never more folds than pairs."""

import warnings

import numpy as np
import pytest
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_selection import RFECV
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, TunedThresholdClassifierCV

from aufeat.estimators import FaceModel

FITS = []


class Spy(LogisticRegression):
    """LogisticRegression that records the rows of each fit and each scoring call."""

    def fit(self, X, y, sample_weight=None):
        FITS.append([np.asarray(X).copy(), []])
        return super().fit(X, y, sample_weight=sample_weight)

    def _seen(self, X):
        FITS[-1][1].append(np.asarray(X).copy())

    def predict(self, X):
        self._seen(X)
        return super().predict(X)

    def decision_function(self, X):
        self._seen(X)
        return super().decision_function(X)

    def predict_proba(self, X):
        self._seen(X)
        return super().predict_proba(X)


def _twins():
    """Faces whose mirror half equals the face half: a leak scores a row trained on."""
    rng = np.random.default_rng(0)
    A = rng.normal(size=(30, 4))
    return np.hstack([A, A]), np.array([0, 1] * 15), np.repeat(np.arange(10), 3)


def _leaked() -> int:
    """Rows scored by a fit that had their identical twin among its training rows."""
    rows = set()
    for trained, scored in FITS:
        seen = {r.tobytes() for r in trained}
        rows |= {r.tobytes() for batch in scored for r in batch if r.tobytes() in seen}
    return len(rows)


def _fit(estimator):
    X, y, subjects = _twins()
    FITS.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        FaceModel(estimator, mirror=True, normalize="none").fit(X, y, groups=subjects)
    return [str(w.message) for w in caught if "mirror image" in str(w.message)]


def test_rfecv_gets_folds_of_whole_pairs():
    assert _fit(RFECV(Spy(), cv=3)) == []
    assert FITS
    assert _leaked() == 0


@pytest.mark.parametrize("estimator", [CalibratedClassifierCV(Spy(), cv=3),
                                       TunedThresholdClassifierCV(Spy(), cv=3)],
                         ids=["calibrated", "tuned-threshold"])
def test_estimator_that_cannot_get_groups_is_warned_about(estimator):
    messages = _fit(estimator)
    assert _leaked() > 0
    assert len(messages) == 1
    assert type(estimator).__name__ in messages[0]
    assert "takes no groups" in messages[0]


def test_under_routing_calibration_gets_folds_of_whole_pairs():
    with sklearn.config_context(enable_metadata_routing=True):
        assert _fit(CalibratedClassifierCV(Spy(), cv=3)) == []
    assert _leaked() == 0


@pytest.mark.parametrize(("cv", "n_faces"), [(None, 4), (5, 3), (3, 2)])
def test_search_folds_never_outnumber_the_faces(cv, n_faces):
    rng = np.random.default_rng(1)
    A = rng.normal(size=(n_faces, 3))
    X, y = np.hstack([A, A + 0.01]), np.arange(float(n_faces))
    search = GridSearchCV(Ridge(), {"alpha": [0.1, 1.0]}, cv=cv)
    model = FaceModel(search, mirror=True, normalize="none").fit(X, y)
    assert model.estimator_.cv.get_n_splits() == min(5 if cv is None else cv, n_faces)
    assert np.isfinite(model.predict(X)).all()


def test_a_face_model_inside_keeps_its_own_person_folds():
    inner = FaceModel(LogisticRegression(), normalize="auto", cv=3)
    X, y, subjects = _twins()
    outer = FaceModel(inner, mirror=True, normalize="none").fit(X, y, groups=subjects)
    assert outer.estimator_.cv == 3  # its folds are person-wise already: not replaced
