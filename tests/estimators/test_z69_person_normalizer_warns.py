"""A fitted PersonNormalizer warns when it centres many faces without subjects as one person."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from aufeat.estimators.normalization import PersonNormalizer
from aufeat.exceptions import AufeatWarning


def _faces():
    rng = np.random.default_rng(0)
    subjects = np.repeat(np.arange(4), 10)
    return rng.normal(size=(40, 3)) + subjects[:, None], subjects


@pytest.mark.parametrize("fit_transform", [False, True])
def test_many_faces_without_subjects_warn(fit_transform):
    X, subjects = _faces()
    norm = PersonNormalizer()
    if fit_transform:
        norm.fit_transform(X, subjects=subjects)
    else:
        norm.fit(X, subjects=subjects)
    assert norm.max_person_faces_ == 10
    with pytest.warns(AufeatWarning, match="30 faces without subjects"):
        norm.transform(X[:30])
    with warnings.catch_warnings():
        warnings.simplefilter("error", AufeatWarning)
        norm.transform(X[:10])  # one person's worth
        norm.transform(X, subjects=subjects)


def test_fitted_without_subjects_stays_silent():
    X, _ = _faces()
    norm = PersonNormalizer().fit(X)
    assert norm.max_person_faces_ is None
    with warnings.catch_warnings():
        warnings.simplefilter("error", AufeatWarning)
        norm.transform(X)
