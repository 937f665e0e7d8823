"""FaceModel(cv=<a group splitter>) saves and loads; a splitter carrying anything else does not."""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest
from sklearn.model_selection import (
    GroupKFold,
    LeaveOneGroupOut,
    LeavePGroupsOut,
    StratifiedGroupKFold,
)

from aufeat.estimators import FaceModel, UntrustedModelError, load_model, save_model


def _faces():
    rng = np.random.default_rng(0)
    people = np.repeat(np.arange(6), 10)
    y = np.tile(["smile", "frown"], 30)
    X = rng.normal(size=(60, 4)) + people[:, None] + (y == "smile")[:, None]
    return X, y, people


@pytest.mark.parametrize("cv", [GroupKFold(3), LeaveOneGroupOut(), LeavePGroupsOut(2),
                                StratifiedGroupKFold(3, shuffle=True, random_state=0)],
                         ids=lambda cv: type(cv).__name__)
def test_a_face_model_with_a_group_splitter_saves_and_loads(cv, tmp_path):
    X, y, people = _faces()
    model = FaceModel(normalize="auto", cv=cv).fit(X, y, groups=people)
    path = save_model(model, tmp_path / "model.skops")
    loaded = load_model(path)
    assert repr(loaded.cv) == repr(cv)
    np.testing.assert_array_equal(loaded.predict(X, groups=people), model.predict(X, groups=people))
    assert loaded.normalize_ == model.normalize_


def test_a_splitter_carrying_an_arbitrary_object_is_refused(tmp_path):
    X, y, people = _faces()
    cv = GroupKFold(3)
    model = FaceModel(normalize="none", cv=cv).fit(X, y, groups=people)
    cv.n_splits = os.system  # a function where a number belongs
    with pytest.raises(UntrustedModelError, match=r"posix\.system"):
        save_model(model, tmp_path / "model.skops")
    assert not (tmp_path / "model.skops").exists()
    rng_cv = StratifiedGroupKFold(3, shuffle=True, random_state=np.random.RandomState(0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = FaceModel(normalize="none", cv=rng_cv).fit(X, y, groups=people)
    with pytest.raises(UntrustedModelError, match="RandomState"):
        save_model(model, tmp_path / "rng.skops")
    assert not (tmp_path / "rng.skops").exists()


def test_the_refusal_of_another_splitter_says_to_give_cv_as_an_int(tmp_path):
    from sklearn.model_selection import KFold

    X, y, people = _faces()
    model = FaceModel(normalize="none", cv=KFold(3)).fit(X, y, groups=people)
    with pytest.raises(UntrustedModelError, match=r"cv.*int.*set_params\(cv=3\)"):
        save_model(model, tmp_path / "model.skops")
