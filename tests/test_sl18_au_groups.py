"""AUClassifier gives the subject ids where FaceModel does (SL18 F3, after Z102 F01).

Only a per-AU model whose own ``fit`` had ``groups`` got them: a Keras classifier as a
``Pipeline``'s last step was fitted without them (its early stopping validated on people
it trained on), and a search with a group splitter failed for want of the groups the user
gave. Both now get them as from FaceModel: ``<step>__groups``, and the search's ``groups``.
"""

import os

import numpy as np
import pytest
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from aufeat import AUClassifier
from tests.test_z102_au_subjects import FITS, _SubjectsSeen  # records the groups it gets

os.environ.setdefault("KERAS_BACKEND", "jax")  # as aufeat.keras picks it


def _data():
    rng = np.random.default_rng(0)
    subjects = np.repeat([f"s{i}" for i in range(8)], 6)
    X = rng.normal(size=(48, 3))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0]).astype(float)
    Y[:12, 1] = np.nan  # AU2 is not coded for s0 and s1
    return X, Y, subjects


@pytest.fixture(autouse=True)
def _fresh():
    FITS.clear()


@pytest.mark.parametrize("routing", [False, True])
def test_a_pipelines_last_step_gets_the_subjects_of_each_au(routing):
    X, Y, subjects = _data()
    pipe = Pipeline([("scale", StandardScaler()), ("model", _SubjectsSeen())])
    with sklearn.config_context(enable_metadata_routing=routing):
        model = AUClassifier(pipe).fit(X, Y, groups=subjects)
    assert [n for n, _ in FITS] == [48, 36]
    np.testing.assert_array_equal(FITS[0][1], subjects)
    np.testing.assert_array_equal(FITS[1][1], subjects[12:])
    assert model.predict(X).shape == (48, 2)
    assert pipe.steps[-1][1].get_metadata_routing().fit.requests["groups"] is None  # not ours


@pytest.mark.parametrize("routing", [False, True])
def test_the_tuning_folds_of_a_pipeline_get_their_training_subjects(routing):
    X, Y, subjects = _data()
    pairs = np.column_stack([subjects, np.arange(48) // 2])  # FaceModel(mirror=True)'s ids
    pipe = Pipeline([("scale", StandardScaler()), ("model", _SubjectsSeen())])
    with sklearn.config_context(enable_metadata_routing=routing):
        AUClassifier(pipe, tune_thresholds=True).fit(X, Y[:, 0], groups=pairs)
    assert len(FITS) == 4  # 3 inner folds, then the AU's model on all its rows
    for n, groups in FITS:
        assert groups is not None
        assert groups.shape == (n,)
        assert set(groups) <= set(subjects)
    np.testing.assert_array_equal(FITS[3][1], subjects)


def test_a_search_with_a_group_splitter_gets_the_subjects():
    X, Y, subjects = _data()
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=GroupKFold(2))
    model = AUClassifier(search).fit(X, Y, groups=subjects)
    assert model.predict(X).shape == (48, 2)
    assert all(len(est.cv_results_["params"]) == 2 for est in model.estimators_)


def test_a_keras_classifier_in_a_pipeline_holds_whole_people_out_for_early_stopping():
    pytest.importorskip("keras")
    from aufeat.keras import KerasMLPClassifier

    rng = np.random.default_rng(0)
    sizes = [5, 7, 9, 11]  # one person held out: 5, 7, 9 or 11 rows; 8 rows over images
    subjects = np.repeat(["a", "b", "c", "d"], sizes)
    X = rng.normal(size=(32, 3)).astype(np.float32)
    Y = np.column_stack([X[:, 0] > 0]).astype(int)
    net = KerasMLPClassifier((2,), epochs=1, validation_fraction=0.25, random_state=0)
    pipe = Pipeline([("scale", StandardScaler()), ("net", net)])
    model = AUClassifier(pipe).fit(X, Y, groups=subjects)
    assert model.estimators_[0].steps[-1][1].n_validation_ in sizes
