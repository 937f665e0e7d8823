"""Z132 F2: a mirroring FaceModel given features made without their mirror half says so."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from aufeat.estimators import FaceModel, make_face_model


def _faces(width, n=12):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, width)), np.array(["happy", "sad"] * (n // 2)), \
        np.repeat(["a", "b", "c"], n // 3)


@pytest.mark.parametrize("features", ["best", "best+patches"])  # SL31 4: 15139, odd
def test_best_model_given_unmirrored_best_features_names_the_cause_and_fix(features):
    model = make_face_model("best", features=features)
    assert model.mirror
    half = sum(model.blocks)  # FaceFeatures(features) without mirror=True: 4024 columns...
    X, y, people = _faces(half)
    with pytest.raises(ValueError, match="mirror") as err:
        model.fit(X, y, groups=people)
    message = str(err.value)
    assert "without its mirror half" in message
    assert "FaceFeatures(..., mirror=True)" in message
    assert f"X has {half} columns" in message
    assert f"{2 * half} columns" in message


@pytest.mark.parametrize("width", [10, 14])
def test_mirroring_model_of_another_width_names_expected_and_actual_widths(width):
    X, y, _people = _faces(width)
    model = FaceModel(LogisticRegression(), normalize="none", mirror=True, blocks=(4, 2))
    with pytest.raises(ValueError, match="columns") as err:
        model.fit(X, y)
    message = str(err.value)
    assert f"X has {width} columns" in message
    assert "12 columns" in message
    assert "mirror half" not in message


def test_mirroring_model_of_the_right_width_fits_and_unmirrored_blocks_keep_their_message():
    X, y, _people = _faces(12)
    model = FaceModel(LogisticRegression(), normalize="none", mirror=True, blocks=(4, 2))
    assert model.fit(X, y).weights_.shape == (6,)
    with pytest.raises(ValueError, match=r"add up to the 6 feature columns$"):
        FaceModel(LogisticRegression(), normalize="none", blocks=(4, 3)).fit(X[:, :6], y)
