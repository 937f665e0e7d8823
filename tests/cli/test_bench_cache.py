"""Result keys of ``aufeat-bench``: a result is reused only for the same model and inputs."""

import numpy as np
from sklearn.svm import LinearSVC

from aufeat.cli._bench_cache import describe_model, result_key
from aufeat.datasets import make_synthetic_faces
from aufeat.estimators import presets


def _key(dataset, X, model="linear-svm", task="emotion"):
    return result_key(task=task, protocol="group-kfold:5", model=model, features="hog",
                      normalize=False, seed=0, labels=None, X=X, dataset=dataset)


def test_a_changed_preset_is_not_served_an_old_result(monkeypatch):
    """Editing a preset's parameters (same aufeat version string) changes the key."""
    dataset = make_synthetic_faces(n_subjects=2, n_per_subject=3, random_state=0)
    X = np.random.default_rng(0).random((len(dataset), 5))
    keys = {task: _key(dataset, X, task=task) for task in ("emotion", "au-occurrence")}
    original = presets._classifier

    def edited(name, random_state, base):
        if name == "linear-svm":
            return LinearSVC(C=0.01, random_state=random_state), True
        return original(name, random_state, base)

    monkeypatch.setattr(presets, "_classifier", edited)
    for task, key in keys.items():
        assert _key(dataset, X, task=task) != key, task
    monkeypatch.undo()
    assert {task: _key(dataset, X, task=task) for task in keys} == keys


def test_the_key_depends_on_the_inputs_and_an_estimators_parameters():
    dataset = make_synthetic_faces(n_subjects=2, n_per_subject=3, random_state=0)
    X = np.random.default_rng(0).random((len(dataset), 5))
    key = _key(dataset, X)
    assert _key(dataset, X.copy()) == key
    changed = X.copy()
    changed[0, 0] += 1e-9
    assert _key(dataset, changed) != key
    assert _key(dataset, X, model="smote+linear-svm") != key
    assert (_key(dataset, X, model=LinearSVC(C=1.0))
            != _key(dataset, X, model=LinearSVC(C=2.0)))


def test_au_models_spell_out_their_per_au_preset():
    described = describe_model("au-intensity", "svm", 0)
    assert "AURegressor(" in described
    assert "SVR(C=3" in described
    assert "gamma='scale'" in described
    described = describe_model("au-occurrence", "smote+linear-svm", 0)
    assert "AdaptiveSMOTE(" in described
    assert "LinearSVC(C=0.003" in described


def test_the_key_depends_on_the_au_names_and_the_data_set_name():
    """A corrected AU header, or another data set's name, is not served an old result."""
    from aufeat.datasets import FaceDataset

    dataset = make_synthetic_faces(n_subjects=2, n_per_subject=3, random_state=0)
    X = np.random.default_rng(0).random((len(dataset), 5))

    def like(au_names=dataset.au_names, name=dataset.name):
        return FaceDataset(images=dataset.load_images(), subject=dataset.subject,
                           emotion=dataset.emotion, aus=dataset.aus, au_names=au_names,
                           name=name)

    key = _key(like(), X, task="au-occurrence")
    assert _key(like(), X, task="au-occurrence") == key
    swapped = [dataset.au_names[1], dataset.au_names[0], *dataset.au_names[2:]]
    assert _key(like(au_names=swapped), X, task="au-occurrence") != key
    assert _key(like(name="other"), X, task="au-occurrence") != key


_KEY_OF_THIS_CODE = """
import numpy as np
from aufeat.cli._bench_cache import result_key
from aufeat.datasets import FaceDataset
data = FaceDataset(images=np.zeros((4, 8, 8), np.uint8), subject=["a", "a", "b", "b"],
                   emotion=["happy", "sad"] * 2, name="t")
print(result_key(task="emotion", protocol="group-kfold:2", model="logreg", features="hog",
                 normalize=False, seed=0, labels=None, X=np.eye(4), dataset=data))
"""


def test_a_change_of_aufeat_s_code_is_not_served_an_old_result(tmp_path):
    """Another commit of a development version (same version string) gives another key."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import aufeat

    def key(root):
        proc = subprocess.run([sys.executable, "-c", _KEY_OF_THIS_CODE], cwd=root,
                              env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return proc.stdout.strip()

    copy = tmp_path / "code"
    shutil.copytree(Path(aufeat.__file__).parent, copy / "aufeat",
                    ignore=shutil.ignore_patterns("__pycache__"))
    before = key(copy)
    assert key(copy) == before  # same code, same key
    metrics = copy / "aufeat" / "evaluation" / "metrics.py"
    metrics.write_text(metrics.read_text() + "\n# a fix of the scoring\n")
    assert key(copy) != before
