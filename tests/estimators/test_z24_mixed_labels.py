"""AUClassifier with one AU coded 0/1 and another 'no'/'yes': each AU keeps its own values."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aufeat.estimators import AUClassifier, FaceModel


def _mixed():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    Y = pd.DataFrame({"AU12": (X[:, 0] > 0).astype(int),
                      "AU45": np.where(X[:, 1] > 0, "yes", "no")})
    return X, Y


def test_predict_keeps_numbers_and_words_of_mixed_aus():
    X, Y = _mixed()
    model = AUClassifier("logreg").fit(X, Y)
    predicted = model.predict(X)
    own = [m.predict(X) for m in model.estimators_]
    for j in range(2):
        assert predicted[:, j].tolist() == own[j].tolist()  # 1 stays 1, 'yes' stays 'yes'
    # per AU by its classes (Z130 F1): F1 for the 0/1 AU, accuracy for the word AU
    from sklearn.metrics import f1_score

    scores = [f1_score(Y.iloc[:, 0].to_numpy(), own[0]), np.mean(own[1] == Y.iloc[:, 1])]
    assert model.score(X, Y) == np.mean(scores)


def test_predict_of_one_kind_of_label_is_as_before():
    X, Y = _mixed()
    model = AUClassifier("logreg").fit(X, Y[["AU12"]].assign(AU6=(X[:, 2] > 0).astype(int)))
    assert model.predict(X).dtype.kind == "i"
    words = AUClassifier("logreg").fit(X, Y[["AU45"]].assign(AU6=np.where(X[:, 2] > 0, "y", "n")))
    assert words.predict(X).dtype.kind == "U"


def test_face_model_keeps_mixed_au_values_with_a_faceless_row():
    X, Y = _mixed()
    model = FaceModel(AUClassifier("logreg"), normalize="none").fit(X, Y)
    Xt = X[:4].copy()
    Xt[1] = np.nan
    predicted = model.predict(Xt)
    assert np.isnan(predicted[1, 0])  # no face: NaN in the number AU, '' in the word AU
    assert predicted[1, 1] == ""
    assert set(predicted[[0, 2, 3], 0].tolist()) <= {0, 1}
    assert set(predicted[[0, 2, 3], 1].tolist()) <= {"no", "yes"}
