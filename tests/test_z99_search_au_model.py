"""FaceModel around a search of an AU model treats it as the AU model it fits (Z99 F01, F02).

``FaceModel(GridSearchCV(AUClassifier(...)))`` (bare or at a Pipeline's end) reads a
label frame by the AU model's ``au_names`` in ``fit`` as ``score`` does, lets NaN mean
"not coded" for a 1-D AU, chooses ``normalize='auto'`` by F1 and names the outputs
by the frame's columns: as ``FaceModel(AUClassifier(...))`` without a search, the
reference each test compares with (one candidate, refit on all rows: the same model).
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, GroupKFold, RandomizedSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aufeat import AUClassifier, AURegressor, FaceModel

NAMES = ["AU4", "AU1", "AU2"]  # the labels' AUs in another order


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 5))
    groups = np.repeat(np.arange(12), 10)
    Y = pd.DataFrame({"AU1": np.zeros(120), "AU2": (X[:, 1] > -0.5) * 1.0,
                      "AU4": (X[:, 2] > 0) * 1.0})  # AU1 never shown: a constant model
    return X, Y, groups


def _grid(model):
    return GridSearchCV(model, {"estimator__C": [1.0]} if isinstance(model, AUClassifier)
                        else {"estimator__alpha": [1.0]}, cv=GroupKFold(3))


def _random(model):
    return RandomizedSearchCV(model, {"estimator__C": [1.0]}, n_iter=1, cv=GroupKFold(3),
                              random_state=0)


def _au_model(fitted):
    inner = fitted.estimator_
    inner = getattr(inner, "steps", [[None, inner]])[-1][1]
    return getattr(inner, "best_estimator_", inner)


def _fit(model, X, Y, groups):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, Y, groups=groups)
    return [str(w.message) for w in caught]


@pytest.mark.parametrize("wrap", [_grid, lambda m: make_pipeline(StandardScaler(), _grid(m))])
@pytest.mark.parametrize("au", [lambda: AUClassifier(LogisticRegression(), au_names=NAMES),
                                lambda: AURegressor(Ridge(), au_names=NAMES)])
def test_a_searched_au_model_reads_the_labels_by_its_au_names_in_fit_as_in_score(wrap, au):
    X, Y, groups = _data()
    if not isinstance(au(), AUClassifier):  # intensities, one per AU, inside the 0..5 clip
        Y = 2.5 + 0.5 * pd.DataFrame({"AU1": X[:, 0], "AU2": X[:, 1], "AU4": X[:, 2] - X[:, 0]})
    reference = FaceModel(au(), normalize="none")
    searched = FaceModel(wrap(au()), normalize="none")
    _fit(reference, X, Y, groups)
    said = _fit(searched, X, Y, groups)
    assert any("another order" in s for s in said), said  # read by name, as the bare model
    np.testing.assert_allclose(searched.predict(X), reference.predict(X))
    assert searched.score(X, Y) == pytest.approx(reference.score(X, Y))
    # the score pairs each AU's labels with its own predictions
    assert searched.score(X, Y) > 0.9
    if isinstance(au(), AUClassifier):
        assert list(_au_model(searched).constant_outputs_) == ["AU1"]


@pytest.mark.parametrize("search", [_grid, _random])
def test_a_searched_au_model_takes_an_au_with_uncoded_cells(search):
    X, _, groups = _data()
    y = (X[:, 0] > 0.3).astype(float)
    y[::7] = np.nan  # not coded for these images
    reference = FaceModel(AUClassifier(LogisticRegression()), normalize="none")
    searched = FaceModel(search(AUClassifier(LogisticRegression())), normalize="none")
    _fit(reference, X, y, groups)
    _fit(searched, X, y, groups)  # NaN: not coded, not refused
    np.testing.assert_array_equal(searched.predict(X), reference.predict(X))
    assert searched.score(X, y) == pytest.approx(reference.score(X, y))


def test_auto_chooses_by_f1_for_one_au_of_a_searched_au_classifier():
    X, _, groups = _data()
    y = (X[:, 0] > 1.0).astype(float)  # a rare AU: accuracy and F1 differ
    reference = FaceModel(AUClassifier(LogisticRegression()), normalize="auto", cv=3)
    searched = FaceModel(_grid(AUClassifier(LogisticRegression())), normalize="auto", cv=3)
    _fit(reference, X, y, groups)
    _fit(searched, X, y, groups)
    assert searched.auto_scores_ == pytest.approx(reference.auto_scores_)
    assert searched.normalize_ == reference.normalize_


def test_a_searched_au_model_warns_by_the_frame_s_au_names_not_output_numbers():
    X, Y, groups = _data()
    said = _fit(FaceModel(_grid(AUClassifier(LogisticRegression())), normalize="none"),
                X, Y, groups)
    constant = [s for s in said if "only class" in s]
    assert constant, said
    assert all("AU1" in s and "output0" not in s for s in constant), said


def test_a_searched_au_model_with_mirror_fits_uncoded_cells_with_folds_by_subject():
    X, _, groups = _data()
    y = (X[:, 0] > 0.3).astype(float)
    y[::7] = np.nan
    model = FaceModel(_grid(AUClassifier(LogisticRegression(), tune_thresholds=True)),
                      normalize="none", mirror=True)
    _fit(model, np.hstack([X, X[:, ::-1]]), y, groups)  # the search's splitter: subject ids
    assert model.predict(np.hstack([X, X[:, ::-1]])).shape == (120,)


@pytest.mark.parametrize("two_aus", [False, True])
def test_an_int_cv_search_with_mirror_fits_uncoded_cells(two_aus):
    """With an int cv FaceModel makes the search's folds of whole pairs; stratifying them on
    labels holding NaN raised a bare 'Input contains NaN.' (second look SL15 F01)."""
    X, Y, groups = _data()
    y = Y[["AU2", "AU4"]].copy() if two_aus else Y["AU2"].to_numpy().copy()
    if two_aus:
        y.iloc[::7, 1] = np.nan
    else:
        y[::7] = np.nan
    search = GridSearchCV(AUClassifier(LogisticRegression()), {"estimator__C": [0.1, 1.0]},
                          cv=3)
    model = FaceModel(search, normalize="none", mirror=True)
    _fit(model, np.hstack([X, X[:, ::-1]]), y, groups)
    assert np.asarray(model.predict(np.hstack([X, X[:, ::-1]]))).shape[0] == 120
