"""Shared fixtures: real photographs from scikit-image and seeded random images."""

import numpy as np
import pytest


@pytest.fixture(scope="session")
def astronaut():
    """The public-domain astronaut photograph (512x512 RGB uint8), a real face."""
    from skimage import data

    return data.astronaut()


@pytest.fixture(scope="session")
def camera():
    """The cameraman photograph (512x512 grayscale uint8)."""
    from skimage import data

    return data.camera()


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
