"""AURegressor.score refuses labels of another number of AUs than the model's, as scikit-learn does.

Before, a 1-D or narrower y was compared with the first prediction columns (a wrong
R², silently), and a wider one failed with a raw IndexError."""

import numpy as np
import pytest
from sklearn.metrics import r2_score

from aufeat.estimators import AURegressor


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 4))
    return X, np.clip(np.round(X[:, :3] + 2), 0, 5)


@pytest.mark.parametrize("pick", [lambda Y: Y[:, :1], lambda Y: Y[:, 2]], ids=["narrow", "1-D"])
def test_fewer_aus_than_the_model_predicts_are_refused(data, pick):
    X, Y = data
    model = AURegressor().fit(X, Y)
    with pytest.raises(ValueError, match=r"1 AU.*3"):
        model.score(X, pick(Y))


def test_more_aus_than_the_model_predicts_are_refused_with_a_message(data):
    X, Y = data
    with pytest.raises(ValueError, match=r"3 AU.*2"):
        AURegressor().fit(X, Y[:, :2]).score(X, Y)


def test_matching_labels_still_score(data):
    X, Y = data
    model = AURegressor().fit(X, Y)
    assert model.score(X, Y) == pytest.approx(r2_score(Y, model.predict(X)))
    single = AURegressor().fit(X, Y[:, 2])
    assert single.score(X, Y[:, 2]) == pytest.approx(r2_score(Y[:, 2], single.predict(X)))
    assert single.score(X, Y[:, 2:]) == pytest.approx(r2_score(Y[:, 2], single.predict(X)))


def test_face_model_scores_an_au_regressor_as_the_bare_one_reads_y():
    """FaceModel.score's negative MSE reads y as AURegressor.score does: one column per AU."""
    import warnings

    from aufeat import FaceModel

    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 4))
    Y = np.clip(np.round(X[:, :3] + 2.5), 0, 5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        three = FaceModel(AURegressor(), normalize="none").fit(X, Y)
        one = FaceModel(AURegressor(), normalize="none").fit(X, Y[:, :1])
    assert one.score(X, Y[:, 0]) == pytest.approx(one.score(X, Y[:, :1]))
    for y in (Y[:, 0], Y[:, :2]):
        with pytest.raises(ValueError, match="but the model predicts 3 AU"):
            three.score(X, y)
