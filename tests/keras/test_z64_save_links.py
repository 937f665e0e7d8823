"""save_keras replaces its output as every other aufeat writer does (docs/safety.md).

An existing model keeps its permissions (a private 0600 file stays private) and a
model path that is a symbolic link is replaced by the model, its target left alone.
"""

import os
import stat

import numpy as np
import pytest

from aufeat.keras import KerasMLPClassifier, load_keras, save_keras


def _fitted(labels):
    X = np.random.default_rng(0).normal(size=(12, 3)).astype(np.float32)
    return KerasMLPClassifier((4,), epochs=1, validation_fraction=0,
                              random_state=0).fit(X, np.repeat(labels, 6))


def test_a_private_keras_model_stays_private_when_saved_over(tmp_path):
    path = tmp_path / "model.keras"
    save_keras(_fitted(["a", "b"]), path)
    path.chmod(0o600)
    save_keras(_fitted(["c", "d"]), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_keras(path).classes_.tolist() == ["c", "d"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_linked_keras_model_path_is_replaced_and_its_target_kept(tmp_path):
    real, link = tmp_path / "real.keras", tmp_path / "link.keras"
    save_keras(_fitted(["a", "b"]), real)
    os.symlink(real.name, link)
    save_keras(_fitted(["c", "d"]), link)
    assert not link.is_symlink()
    assert load_keras(link).classes_.tolist() == ["c", "d"]
    assert load_keras(real).classes_.tolist() == ["a", "b"]
