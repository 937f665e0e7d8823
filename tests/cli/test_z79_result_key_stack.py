"""aufeat-bench's stored results are keyed by the numerical stack that computed them.

NumPy's and SciPy's versions for every model; for a Keras model also Keras's, the
backend it runs on and that backend's version: a changed one refits, never reuses.
"""

import importlib
import os
import subprocess
import sys

import numpy as np
import pytest
import scipy

from aufeat.cli._bench_cache import result_key
from aufeat.datasets import FaceDataset

_DATA = FaceDataset(images=np.zeros((6, 8, 8), np.uint8), subject=list("aabbcc"),
                    emotion=["happy", "sad"] * 3, name="toy")


def _key(model):
    return result_key(task="emotion", protocol="group-kfold:3", model=model, features="pixels",
                      normalize=False, seed=0, labels=None, X=np.eye(6), dataset=_DATA)


@pytest.mark.parametrize("module", [np, scipy])
def test_a_new_numpy_or_scipy_is_not_served_an_old_result(monkeypatch, module):
    key = _key("linear-svm")
    monkeypatch.setattr(module, "__version__", module.__version__ + ".post1")
    assert _key("linear-svm") != key
    monkeypatch.undo()
    assert _key("linear-svm") == key


def test_a_new_keras_or_backend_version_is_not_served_an_old_keras_result(monkeypatch):
    from aufeat.keras import KerasCNNClassifier

    keras = sys.modules["keras"]
    backend = importlib.import_module(keras.backend.backend())
    key = _key(KerasCNNClassifier(random_state=0))
    for module in (keras, backend):
        monkeypatch.setattr(module, "__version__", module.__version__ + ".post1")
        assert _key(KerasCNNClassifier(random_state=0)) != key, module.__name__
        monkeypatch.undo()
    assert _key(KerasCNNClassifier(random_state=0)) == key


_KEY_UNDER_BACKEND = """
import numpy as np
from aufeat.cli._bench_cache import result_key
from aufeat.datasets import FaceDataset
from aufeat.keras import KerasCNNClassifier
data = FaceDataset(images=np.zeros((6, 8, 8), np.uint8), subject=list("aabbcc"),
                   emotion=["happy", "sad"] * 3, name="toy")
print(result_key(task="emotion", protocol="group-kfold:3", model=KerasCNNClassifier(
    random_state=0), features="pixels", normalize=False, seed=0, labels=None, X=np.eye(6),
    dataset=data))
"""


def test_a_keras_result_of_another_backend_is_not_reused():
    from aufeat.keras import KerasCNNClassifier

    here = sys.modules["keras"].backend.backend()  # picked at Keras's import
    other = "numpy" if here != "numpy" else "jax"  # numpy: Keras's own, nothing to install
    proc = subprocess.run([sys.executable, "-c", _KEY_UNDER_BACKEND],
                          env={**os.environ, "KERAS_BACKEND": other},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] != _key(KerasCNNClassifier(random_state=0))
