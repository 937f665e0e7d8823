"""An extractor error that cannot be pickled reaches the caller from loky workers.

Such an error (here one holding a lock, as errors carrying a connection or a file handle
do) was sent back as it was: the loky worker failed to pickle its own result and died, and
the user was told about a segmentation fault or excessive memory usage.
"""

import threading

import numpy as np
import pytest
from sklearn.base import BaseEstimator, TransformerMixin

from aufeat.cache import FeatureCache


class HandleError(Exception):
    """Rebuilt from its message, but its instance holds an object pickle refuses."""

    def __init__(self, message):
        super().__init__(message)
        self.handle = threading.Lock()


class RaisesOnDark(TransformerMixin, BaseEstimator):
    """Four pixels per image; raises HandleError for an image whose first pixel is dark."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        X = np.asarray(X, float).reshape(len(X), -1)
        if X[:, 0].min() < 0.05:
            raise HandleError("bad pixel")
        return X[:, :4]


def _images():
    images = np.random.default_rng(0).random((6, 16, 16)) * 0.9 + 0.1
    images[3, 0, 0] = 0.0
    return list(images)


@pytest.mark.timeout(120)
def test_an_error_that_cannot_be_pickled_is_named_not_a_killed_worker(tmp_path):
    with pytest.raises(HandleError, match="bad pixel") as serial:
        FeatureCache(tmp_path / "serial").features(_images(), RaisesOnDark(), progress=False)
    with pytest.raises(RuntimeError) as loky:
        FeatureCache(tmp_path / "loky").features(_images(), RaisesOnDark(), progress=False,
                                                 n_jobs=2, chunk_size=2)
    assert type(loky.value) is RuntimeError  # a stand-in, not TerminatedWorkerError
    message = str(loky.value)
    assert message.startswith(f"HandleError: {serial.value} (this exception cannot be sent")
    assert "in transform" in message  # the worker's traceback goes along as text


def test_the_stand_in_survives_a_pickle_round_trip():
    import pickle

    from aufeat.cache.fill import _portable

    sent = _portable(HandleError("images[3]: bad pixel"))
    back = pickle.loads(pickle.dumps(sent))
    assert type(back) is RuntimeError
    assert str(back) == str(sent)
    assert str(back).startswith("HandleError: images[3]: bad pixel")


class HandleErrorModel(BaseEstimator):
    """A classifier whose fit raises HandleError (an error holding a lock)."""

    def fit(self, X, y):
        raise HandleError("cannot fit")

    def predict(self, X):  # pragma: no cover - fit always raises
        return np.zeros(len(X))


@pytest.mark.timeout(180)
def test_a_fold_error_that_cannot_be_pickled_is_named_not_a_killed_worker():
    """evaluate's folds in loky workers send such an error back as the cache's fill does."""
    import aufeat

    data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=3, size=48, random_state=0)
    X = np.random.default_rng(0).random((len(data), 5))
    with pytest.raises(HandleError, match="cannot fit"):
        aufeat.evaluate(data, X, model=HandleErrorModel(), protocol="group-kfold:2")
    with pytest.raises(RuntimeError) as loky:
        aufeat.evaluate(data, X, model=HandleErrorModel(), protocol="group-kfold:2", n_jobs=2)
    assert type(loky.value) is RuntimeError  # a stand-in, not TerminatedWorkerError
    assert str(loky.value).startswith("HandleError: cannot fit (this exception cannot be sent")
