"""AdaptiveSMOTE: classes of one sample do not stop the others from being oversampled."""

import warnings

import numpy as np
import pytest

from aufeat import AufeatWarning
from aufeat.estimators.presets import make_classifier


def _smote():
    return make_classifier("linear-svm", smote=True, random_state=0).steps[1][1]


def _counts(y):
    return {int(c): int(n) for c, n in zip(*np.unique(y, return_counts=True), strict=True)}


def test_a_single_sample_class_is_left_alone_and_the_others_are_oversampled(rng):
    X = rng.normal(size=(60, 3))
    y = np.array([0] * 40 + [1] * 10 + [2] * 6 + [3] * 3 + [5])  # one frame at level 5
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # something was resampled: no warning
        X_res, y_res = _smote().fit_resample(X, y)
    assert _counts(y_res) == {0: 40, 1: 40, 2: 40, 3: 40, 5: 1}
    assert np.array_equal(X_res[:60], X)  # the originals come first, unchanged


def test_two_samples_are_enough_to_oversample_a_class(rng):
    X = rng.normal(size=(60, 3))
    y = np.array([0] * 40 + [1] * 10 + [2] * 5 + [3] * 3 + [5] * 2)
    assert _counts(_smote().fit_resample(X, y)[1]) == {0: 40, 1: 40, 2: 40, 3: 40, 5: 40}


def test_nothing_to_resample_warns_and_returns_the_data(rng):
    X = rng.normal(size=(11, 3))
    y = np.array([0] * 10 + [1])
    with pytest.warns(AufeatWarning, match="SMOTE skipped.*one training sample"):
        X_res, y_res = _smote().fit_resample(X, y)
    assert np.array_equal(X_res, X)
    assert np.array_equal(y_res, y)


def test_a_given_sampling_strategy_is_kept(rng):
    X = rng.normal(size=(60, 3))
    y = np.array([0] * 40 + [1] * 10 + [2] * 6 + [3] * 3 + [5])
    smote = _smote().set_params(sampling_strategy={1: 20, 3: 5, 5: 4})
    assert _counts(smote.fit_resample(X, y)[1]) == {0: 40, 1: 20, 2: 6, 3: 5, 5: 1}
