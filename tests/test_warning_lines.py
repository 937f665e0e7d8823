"""aufeat's warnings name the user's line, whatever path inside aufeat raised them.

A fixed ``stacklevel`` was right for one call path only: evaluate's no-person-ids warning
named a line inside pytest (one frame too far), an example's own call named ``sys:1``.
"""

import warnings

import numpy as np
import pytest

from aufeat.exceptions import AufeatWarning


def _caught(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [w for w in caught if issubclass(w.category, AufeatWarning)]


def _no_person_ids():
    from aufeat.datasets import FaceDataset
    from aufeat.evaluation import evaluate

    emotion = np.array(["happy", "happy", "sad", "sad"] * 5)
    X = np.random.default_rng(0).normal(size=(20, 3)) + (emotion == "happy")[:, None]
    data = FaceDataset(images=np.zeros((20, 4, 4), np.uint8), emotion=emotion, name="t",
                       subject=[f"img{i}" for i in range(20)])
    evaluate(data, X, model="logreg", protocol="group-kfold:2")


def _case_twins():
    from aufeat.evaluation import make_splits

    make_splits("group-kfold:2", ["Ann", "ann", "Bob", "Bob"])


def _aliased_gabor():
    from aufeat.features import gabor_kernel_bank

    gabor_kernel_bank([0.6])


def _folder_with_a_video(tmp_path):
    from PIL import Image

    from aufeat.datasets import load_image_folder

    (tmp_path / "happy").mkdir()
    Image.fromarray(np.zeros((8, 8), np.uint8)).save(tmp_path / "happy" / "a.png")
    (tmp_path / "happy" / "clip.mp4").write_bytes(b"\0" * 16)
    load_image_folder(tmp_path)


def _constant_au():
    from sklearn.svm import LinearSVC

    from aufeat.estimators import AUClassifier

    X = np.random.default_rng(0).normal(size=(12, 3))
    AUClassifier(LinearSVC()).fit(X, np.c_[np.arange(12) % 2, np.zeros(12)])


@pytest.mark.parametrize("call", [_no_person_ids, _case_twins, _aliased_gabor,
                                  _folder_with_a_video, _constant_au])
def test_the_warning_names_this_file(call, tmp_path):
    caught = _caught((lambda: call(tmp_path)) if call is _folder_with_a_video else call)
    assert caught, "no AufeatWarning"
    assert {w.filename for w in caught} == {__file__}, [str(w.message) for w in caught]


def _grid_search_fits():
    """GridSearchCV's fits run through joblib (and its loky/concurrent.futures machinery)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    from aufeat.estimators import FaceModel

    y = np.array(["a", "b", "c"] * 10)
    X = np.random.default_rng(0).normal(size=(30, 4))
    X[y == "c"] = np.nan  # no face of class c: each fit warns that it cannot predict it
    GridSearchCV(FaceModel(LogisticRegression(), normalize="none"),
                 {"estimator__C": [0.1, 1.0]}, cv=2).fit(X, y)


def test_a_warning_of_grid_search_fits_names_this_file_not_joblib():
    # each fold's warning named joblib's parallel.py, the refit's only this file
    caught = _caught(_grid_search_fits)
    assert len(caught) == 5  # 2 candidates x 2 folds, and the refit
    assert {w.filename for w in caught} == {__file__}, {w.filename for w in caught}
