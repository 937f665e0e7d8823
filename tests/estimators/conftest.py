"""Shared data for the estimator tests."""

import numpy as np
import pytest


@pytest.fixture
def six_people():
    """60 feature rows of 6 people, 10 each, whose 'smile' rows sit apart from 'frown'.

    Returns ``(X, y, person)``; each person's rows are shifted by their id, so a person
    shows up in the features as strongly as the expression.
    """
    rng = np.random.default_rng(0)
    person = np.repeat(np.arange(6), 10)
    y = np.tile(["smile", "frown"], 30)
    X = rng.normal(size=(60, 5)) / 2 + person[:, None] + (y == "smile")[:, None]
    return X, y, person
