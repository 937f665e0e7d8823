"""AU occurrence scores when no AU is shown in the held-out rows: accuracy over the coded cells.

AUClassifier.score promises "mean F1 over the AUs ... that show a positive, else mean
accuracy": a held-out person who never shows an AU (a LOSO fold) scored 0.0 whatever was
predicted, so a model firing on all their images and one rightly silent tied."""

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score

from aufeat.estimators import AUClassifier, FaceModel
from aufeat.estimators._scoring import model_score


@pytest.fixture
def fitted():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    Y = np.column_stack([X[:, 0] > 0.5, X[:, 1] > 0.5]).astype(int)
    quiet = rng.normal(size=(10, 3))
    quiet[:, :2] = -2  # a person who never shows either AU
    return X, Y, quiet


def test_all_correct_absent_predictions_score_one_and_all_present_zero(fitted):
    X, Y, quiet = fitted
    model = AUClassifier("logreg").fit(X, Y)
    absent = np.zeros((10, 2), int)
    assert (model.predict(quiet) == 0).all()
    assert model.score(quiet, absent) == 1.0
    assert model_score(absent, np.ones_like(absent), regressor=False, per_output=True) == 0.0
    assert AUClassifier("logreg").fit(X, Y[:, 0]).score(quiet, absent[:, 0]) == 1.0  # one AU
    face = FaceModel(AUClassifier("logreg"), normalize="none").fit(X, Y)
    assert face.score(quiet, absent) == 1.0


@pytest.mark.parametrize("absent", [0, -1])
def test_the_accuracy_is_over_the_coded_cells_with_the_row_weights(absent):
    truth = np.array([[absent, absent], [absent, np.nan], [absent, absent], [np.nan, absent]])
    pred = np.array([[absent, 1], [1, 1], [absent, absent], [1, absent]])
    w = np.array([1.0, 2.0, 3.0, 4.0])
    coded = ~np.isnan(truth)
    cells = np.broadcast_to(w[:, None], truth.shape)[coded]
    want = accuracy_score(truth[coded], pred[coded], sample_weight=cells)
    assert model_score(truth, pred, regressor=False, sample_weight=w) == pytest.approx(want)


def test_a_row_without_a_face_counts_as_wrong(fitted):
    X, Y, quiet = fitted
    quiet[0] = np.nan
    face = FaceModel(AUClassifier("logreg"), normalize="none").fit(X, Y)
    assert face.score(quiet, np.zeros((10, 2), int)) == pytest.approx(0.9)


def test_with_a_positive_somewhere_the_mean_f1_of_those_aus_is_kept():
    truth = np.array([[1, 0], [0, 0], [1, 0], [0, 0]])
    pred = np.array([[1, 1], [1, 1], [1, 0], [0, 0]])
    want = f1_score(truth[:, 0], pred[:, 0])  # the second AU shows no positive: left out
    assert model_score(truth, pred, regressor=False) == pytest.approx(want)


def test_nothing_coded_is_nan_so_that_the_fold_is_left_out():
    truth = np.full((3, 2), np.nan)
    assert np.isnan(model_score(truth, np.zeros((3, 2)), regressor=False))
