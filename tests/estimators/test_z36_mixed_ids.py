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


def test_integer_ids_in_an_object_array_keep_their_numeric_order():
    from aufeat.estimators.normalization import check_subjects

    ids = check_subjects(np.array([10, 2, 1, 2], dtype=object), 4)
    assert np.unique(ids).tolist() == [1, 2, 10]
    mixed = check_subjects(np.array([10, "S7", 1, 2], dtype=object), 4)
    assert mixed.tolist() == ["10", "S7", "1", "2"]  # a mix NumPy cannot sort: text


def _mirror_thresholds(groups):
    from aufeat.estimators.au import AUClassifier

    rng = np.random.default_rng(3)
    n, d = 120, 5
    A = rng.normal(size=(n, d)) + rng.normal(size=(12, d)).repeat(10, axis=0)
    X = np.hstack([A, A[:, ::-1] + rng.normal(scale=0.3, size=(n, d))])
    Y = np.column_stack([A[:, 0] + rng.normal(size=n) > 0.8,
                         A[:, 1] + rng.normal(size=n) > 0]).astype(int)
    model = FaceModel(AUClassifier(tune_thresholds=True, random_state=0), normalize="none",
                      mirror=True).fit(X, Y, groups=groups)
    return model.estimator_.thresholds_


def test_mirror_tuning_folds_follow_the_integer_ids_order_not_their_text():
    ids = np.repeat(np.arange(1, 13), 10)  # as text 1, 10, 11, 12, 2, ...: another order
    shifted = ids + 90                      # 91..102: the same order as numbers, another as text
    np.testing.assert_array_equal(_mirror_thresholds(ids), _mirror_thresholds(shifted))
