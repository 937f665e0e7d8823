"""Shared data for the Keras adapter tests: aligned synthetic faces, split by subject."""

import os

import numpy as np
import pytest

# test modules here import keras directly: its backend as aufeat.keras picks it
os.environ.setdefault("KERAS_BACKEND", "jax")


@pytest.fixture(scope="session")
def aligned_faces():
    """600 synthetic faces (20 subjects) aligned to 112x112 grey, failed faces dropped."""
    import aufeat

    data = aufeat.make_synthetic_faces(n_subjects=20, n_per_subject=30, random_state=0)
    faces = aufeat.FaceAligner(size=112, gray=True, on_missing="nan").transform(
        data.load_images())
    ok = ~np.isnan(faces.reshape(len(faces), -1)).any(axis=1)
    return (faces[ok].astype(np.float32), np.asarray(data.emotion)[ok],
            np.asarray(data.subject)[ok])


@pytest.fixture
def tiny_images(rng):
    """Two separable classes of 24x24 images (a bright square or not), 4 subjects."""
    X = rng.random((48, 24, 24)).astype(np.float32) * 0.5
    X[:24, 6:18, 6:18] += 0.5
    y = np.repeat(["calm", "smile"], 24)
    groups = np.tile(np.repeat(["s1", "s2", "s3", "s4"], 6), 2)
    return X, y, groups


#: The rows ``saved_mlp`` is fitted on (labels "a", "b" alternating).
MLP_ROWS = np.r_[np.zeros((6, 3)), np.ones((6, 3))]


@pytest.fixture(scope="session")
def saved_mlp(tmp_path_factory):
    """A tiny MLP's .keras file (4 hidden units, one epoch, seed 0, on ``MLP_ROWS``), fitted
    and saved once: tests that damage or edit a file edit their own copy of it, never it."""
    from aufeat.keras import KerasMLPClassifier

    mlp = KerasMLPClassifier(4, epochs=1, validation_fraction=0, random_state=0).fit(
        MLP_ROWS, ["a", "b"] * 6)
    return mlp.save(tmp_path_factory.mktemp("saved_mlp") / "mlp.keras")


@pytest.fixture
def channels_first():
    """The caller's global Keras setting (keras.json or set_image_data_format), restored."""
    import keras

    before = keras.config.image_data_format()
    keras.config.set_image_data_format("channels_first")
    try:
        yield
    finally:
        keras.config.set_image_data_format(before)
