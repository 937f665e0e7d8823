"""'' in a 2-D AU matrix of words: refused, as in a 1-D y (FaceModel predicts '' for no face)."""

from __future__ import annotations

import numpy as np
import pytest

from aufeat.estimators import AUClassifier, FaceModel


def _words():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 4))
    au = np.where(X[:, 0] > 0, "yes", "no").astype(object)
    au[:6] = ""  # not coded, written as an empty cell
    return X, np.column_stack([np.where(X[:, 1] > 0, "yes", "no"), au])


def test_face_model_refuses_blank_labels_in_an_au_matrix():
    X, Y = _words()
    with pytest.raises(ValueError, match=r"6 of 40 labels of output 1 are ''") as err:
        FaceModel(AUClassifier("logreg"), normalize="none").fit(X, Y)
    assert "None" in str(err.value)  # what to write for "not coded"


def test_au_classifier_refuses_blank_labels_and_names_the_au():
    X, Y = _words()
    with pytest.raises(ValueError, match=r"AU45: 6 of 40 labels are ''"):
        AUClassifier("logreg", au_names=["AU12", "AU45"]).fit(X, Y)
    with pytest.raises(ValueError, match=r"output0: 6 of 40 labels are ''"):
        AUClassifier("logreg").fit(X, Y[:, 1])


def test_none_for_not_coded_still_works():
    X, Y = _words()
    Y[Y == ""] = None
    model = FaceModel(AUClassifier("logreg"), normalize="none").fit(X, Y)
    assert model.classes_[1].tolist() == ["no", "yes"]
    assert hasattr(model, "decision_function")
