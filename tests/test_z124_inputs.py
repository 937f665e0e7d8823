"""Review round 22 (Z124): person normalisation, mirroring, FaceModel candidates, presets."""

import numpy as np
import pytest

from aufeat.estimators import FaceModel
from aufeat.estimators._patches import template_landmarks
from aufeat.estimators.feature_sets import mirror_faces, mirror_landmarks
from aufeat.estimators.normalization import person_normalize, subject_normalize
from aufeat.estimators.presets import make_classifier


# F1: an inf entered its subject's median and turned that subject's healthy rows to -inf/NaN
@pytest.mark.parametrize("normalize", [
    lambda X, s: subject_normalize(X, s),
    lambda X, s: subject_normalize(X, s, statistic="mean"),
    lambda X, s: person_normalize(X, s, np.zeros(2), 1),
])
def test_inf_is_refused_naming_row_and_column(normalize):
    X = np.array([[1.0, 5.0], [3.0, 7.0], [3.0, 9.0], [2.0, -np.inf]])
    with pytest.raises(ValueError, match=r"infinite value\(s\), the first in row 3, column 1"):
        normalize(X, ["a", "a", "b", "b"])


def test_nan_row_still_means_no_face():
    X = np.array([[1.0, 5.0], [np.nan, np.nan], [3.0, 9.0]], dtype=np.float32)
    out = subject_normalize(X, ["a", "a", "a"])
    assert out.dtype == np.float32
    assert np.isnan(out[1]).all()
    np.testing.assert_array_equal(out[[0, 2]], [[-1.0, -2.0], [1.0, 2.0]])


# F2: one face (what predict_landmarks gives) raised an IndexError about the wrong axis
def test_mirror_one_face_is_the_batch_of_one_mirrored():
    points = template_landmarks(48, 0.9)
    face = np.random.default_rng(0).random((48, 48)).astype(np.float32)
    np.testing.assert_array_equal(mirror_landmarks(points), mirror_landmarks(points[None])[0])
    np.testing.assert_array_equal(mirror_faces(face), mirror_faces(face[None])[0])
    np.testing.assert_array_equal(mirror_faces(face), face[:, ::-1])
    assert mirror_landmarks(points).shape == (68, 2)


@pytest.mark.parametrize("shape", [(5, 2), (68,), (3, 68, 3), (2, 3, 68, 2)])
def test_mirror_landmarks_refuses_other_shapes(shape):
    with pytest.raises(ValueError, match=r"landmarks must be 68 \(x, y\) points per face"):
        mirror_landmarks(np.zeros(shape))


@pytest.mark.parametrize("shape", [(48,), (1, 2, 48, 48, 1)])
def test_mirror_faces_refuses_other_shapes(shape):
    with pytest.raises(ValueError, match=r"faces must be images \(N, H, W\)"):
        mirror_faces(np.zeros(shape))


@pytest.mark.parametrize("channels", [1, 3])
def test_mirror_faces_mirrors_channels_last_batches(channels):  # SL25 F3: refused at first
    faces = np.random.default_rng(1).random((2, 6, 5, channels))
    np.testing.assert_array_equal(mirror_faces(faces), faces[:, :, ::-1, :])


# F3: a set made normalize='auto' choose by hash seed; an array raised NumPy's own error
def _tied_data():
    rng = np.random.default_rng(0)
    y = np.tile(["smile", "frown"], 30)
    X = rng.normal(size=(60, 5)) / 10 + 5 * (y == "smile")[:, None]  # both modes score 1.0
    return X, y, np.repeat(np.arange(6), 10)


@pytest.mark.parametrize("candidates", [{"none", "person"}, frozenset({"none", "person"}),
                                        {"none": 1, "person": 2}, "person", ()])
def test_unordered_or_string_candidates_are_refused(candidates):
    X, y, person = _tied_data()
    with pytest.raises(ValueError, match="candidates must be a non-empty tuple"):
        FaceModel(normalize="auto", candidates=candidates).fit(X, y, groups=person)


@pytest.mark.parametrize("candidates", [["person", "none"], np.array(["person", "none"])])
def test_sequence_candidates_are_taken_in_order(candidates):
    X, y, person = _tied_data()
    model = FaceModel(normalize="auto", candidates=candidates).fit(X, y, groups=person)
    assert model.auto_scores_["person"] == model.auto_scores_["none"]  # a tie: the first wins
    assert model.normalize_ == "person"
    assert type(model.normalize_) is str  # not np.str_: saved as plain text


# F4: base was silently ignored (even an invalid one) for every name but 'adaboost'
@pytest.mark.parametrize(("name", "base"), [("rf", "nonsense"), ("bagging", "rf"), ("svm", "dt")])
def test_base_is_refused_for_other_names(name, base):
    with pytest.raises(ValueError, match="base applies to 'adaboost' only"):
        make_classifier(name, base=base)


def test_adaboost_base_defaults_to_a_stump():
    default = make_classifier("adaboost", random_state=0)[-1].estimator
    assert type(default).__name__ == "DecisionTreeClassifier"
    assert default.max_depth == 2
    assert make_classifier("rf", base=None).get_params() == make_classifier("rf").get_params()
