"""normalize='auto''s comparison of candidates: errors that are not about the data."""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.utils._param_validation import InvalidParameterError

from aufeat.estimators import FaceModel


def _data():
    rng = np.random.default_rng(0)
    person = np.repeat(np.arange(6), 10)
    y = np.tile(["a", "b"], 30)
    return rng.normal(size=(60, 5)), y, person


@pytest.mark.parametrize(("model", "error", "match"), [
    (FaceModel(LogisticRegression(C=-1), normalize="auto"), InvalidParameterError,
     "The 'C' parameter of LogisticRegression"),
    (FaceModel(LogisticRegression(), normalize="auto", blocks=(2, 2)), ValueError,
     r"blocks \(2, 2\) must be positive and add up to the 5 feature columns"),
])
def test_a_bad_parameter_is_raised_as_itself_not_as_inner_folds_left_out(model, error, match):
    X, y, person = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "inner fold(s) left out" warning first
        with pytest.raises(error, match=match):
            model.fit(X, y, groups=person)


def test_an_inner_fit_s_type_error_is_raised_at_once():
    X, y, person = _data()
    calls = []

    class Broken(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            calls.append(1)
            raise TypeError("this estimator is broken")

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TypeError, match="this estimator is broken"):
            FaceModel(Broken(), normalize="auto").fit(X, y, groups=person)
    assert len(calls) == 1  # the first inner fit: no other fold is tried


def test_folds_failing_for_reasons_of_their_own_are_still_left_out_with_a_warning():
    from aufeat.estimators._scoring import compare_candidates
    from aufeat.exceptions import AufeatWarning

    y = np.tile(["a", "b"], 6)
    splits = [(np.arange(4, 12), np.arange(4)), (np.arange(4), np.arange(4, 12))]

    def fit_and_predict(candidate, train, test):
        raise ValueError(f"only {len(train)} training rows")  # differs from fold to fold

    with pytest.warns(AufeatWarning, match=r"2 inner fold\(s\) left out.*only 8 training rows"
                                           r".*none is left, so 'none' is used"):
        assert compare_candidates(fit_and_predict, ("none", "person"), splits, y, False) == {}
    with pytest.raises(ValueError, match="only 8 training rows"):  # alike in every fold
        compare_candidates(fit_and_predict, ("none", "person"), splits[:1] * 2, y, False)
