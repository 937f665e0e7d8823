"""What FaceModel accepts as features: dense numbers, with a row of NaN for "no face"."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from aufeat.estimators import FaceModel


def _labelled(n=60, width=5, seed=0):
    rng = np.random.default_rng(seed)
    y = np.tile(["a", "b"], n // 2)
    return rng.normal(size=(n, width)) + (y == "a")[:, None], y


def _fitted(X, y, **kwargs):
    return FaceModel(LogisticRegression(), normalize="none", **kwargs).fit(X, y)


def test_a_partly_nan_row_is_refused_in_fit_and_predict_not_read_as_no_face():
    X, y = _labelled()
    partly = X.copy()
    partly[5:15, 2] = np.nan  # one of 5 features missing in 10 rows whose face was found
    partly[20] = np.nan  # no face: still fine
    message = r"10 row\(s\) of X are partly NaN, the first is row 5 \(1 of 5 features NaN\)"
    with pytest.raises(ValueError, match=message):
        _fitted(partly, y)
    model = _fitted(X, y)
    with pytest.raises(ValueError, match=r"3 row\(s\) of X are partly NaN, the first is row 1 "):
        model.predict(partly[4:8])
    X[[0, 7]] = np.nan  # rows entirely NaN: no face, left out of fit, predicted ''
    model = _fitted(X, y)
    assert model.n_missing_fit_ == 2
    assert model.predict(X[:8])[[0, 7]].tolist() == ["", ""]


def test_with_mirror_a_face_half_without_its_mirror_half_is_refused():
    X, y = _labelled()
    both = np.hstack([X, X[:, ::-1]])
    both[3, :5] = np.nan  # the face's features missing, its mirror's there
    with pytest.raises(ValueError, match=r"1 row\(s\) of X are partly NaN, the first is row 3 "
                                         r"\(5 of 10 features NaN\)"):
        _fitted(both, y, mirror=True)
    both[3] = np.nan
    assert _fitted(both, y, mirror=True).n_missing_fit_ == 1


@pytest.mark.parametrize("value", [np.inf, -np.inf])
def test_an_infinite_feature_is_refused_naming_its_row_and_column(value):
    X, y = _labelled()
    bad = X.copy()
    bad[4, 3] = value
    bad[9, 0] = value
    message = r"2 infinite value\(s\), the first in row 4, column 3"
    with pytest.raises(ValueError, match=message):
        _fitted(bad, y)  # was "Input X contains NaN." from the estimator
    with pytest.raises(ValueError, match=message):
        _fitted(X, y).predict(bad)


def test_a_sparse_matrix_is_refused_as_not_dense_features():
    import scipy.sparse as sp

    X, y = _labelled()
    with pytest.raises(TypeError, match=r"dense features; got a sparse matrix \(use X.toarray"):
        _fitted(sp.csr_matrix(X), y)
    with pytest.raises(TypeError, match="sparse"):
        _fitted(X, y).predict(sp.csr_array(X))


@pytest.mark.parametrize("feature_set", ["best+patches", "fhog+lbp+geometry", "gabor"])
def test_aufeat_s_own_features_give_a_missed_face_a_whole_row_of_nan(feature_set):
    # found faces (aligned, unaligned, blank) give finite rows, a missed face a row all NaN:
    # nothing FaceModel refuses as partly NaN
    from aufeat.estimators._patches import template_landmarks
    from aufeat.estimators.feature_sets import FACE_SCALE, FACE_SIZE, face_features

    rng = np.random.default_rng(0)
    faces = rng.random((8, FACE_SIZE, FACE_SIZE)).astype(np.float32)
    points = np.repeat(template_landmarks(FACE_SIZE, FACE_SCALE)[None], 8, axis=0)
    points = points + rng.normal(scale=0.5, size=points.shape)
    points[[1, 5]] = np.nan  # unaligned crops
    faces[6] = 0.5  # a blank face
    faces[[2, 7]] = np.nan  # missed by the aligner
    points[[2, 7]] = np.nan
    X = face_features(faces, points, feature_set, mirror=True)
    nan = np.isnan(X)
    assert nan[[2, 7]].all()
    assert not nan[[0, 1, 3, 4, 5, 6]].any()
    y = np.array(["a", "b"] * 4)
    model = FaceModel(LogisticRegression(), normalize="none", mirror=True).fit(X, y)
    assert model.n_missing_fit_ == 2
    assert model.predict(X)[[2, 7]].tolist() == ["", ""]


def test_face_features_of_images_with_and_without_a_face_go_through_face_model():
    from aufeat import make_synthetic_faces
    from aufeat.estimators import FaceFeatures

    data = make_synthetic_faces(n_subjects=2, n_per_subject=3, random_state=0)
    images = list(data.load_images())
    noise = np.random.default_rng(2).integers(0, 255, (80, 80), dtype=np.uint8)
    X = FaceFeatures("best", mirror=True).transform([*images, noise])
    assert np.isnan(X[-1]).all()
    y = np.array(["a", "b"] * 3 + ["a"])
    model = FaceModel(LogisticRegression(), normalize="none", mirror=True).fit(X, y)
    assert model.predict(X)[-1] == ""
    assert model.n_missing_fit_ == 1 + int(np.isnan(X[:-1]).all(axis=1).sum())
