"""Subject ids mixing numbers and text (a spreadsheet column) are read as text, as evaluate does."""

import numpy as np
import pandas as pd
import pytest

from aufeat.estimators import AURegressor, FaceModel, PersonNormalizer
from aufeat.estimators.normalization import subject_normalize

MIXED = [101, 101, 101, 101, "S7", "S7", "S7", "S7", 102, 102, 102, 102]
TEXT = [str(i) for i in MIXED]


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(12, 3)), rng.integers(0, 6, (12, 2)).astype(float)


@pytest.mark.parametrize("ids", [pd.Series(MIXED, dtype=object), MIXED,
                                 np.array(MIXED, dtype=object)])
def test_subject_normalize_and_person_normalizer_take_mixed_ids(data, ids):
    X, _ = data
    want = subject_normalize(X, TEXT)
    np.testing.assert_array_equal(subject_normalize(X, ids), want)
    np.testing.assert_array_equal(PersonNormalizer().fit(X).transform(X, subjects=ids), want)


@pytest.mark.parametrize("mode", ["person", "auto"])
def test_face_model_fits_and_predicts_with_mixed_ids(data, mode):
    X, Y = data
    ids = pd.Series(MIXED, dtype=object)
    model = FaceModel(AURegressor(), normalize=mode).fit(X, Y, groups=ids)
    as_text = FaceModel(AURegressor(), normalize=mode).fit(X, Y, groups=TEXT)
    assert model.normalize_ == as_text.normalize_
    np.testing.assert_allclose(model.predict(X, groups=ids), as_text.predict(X, groups=TEXT))
