"""A Python list mixing text with float('nan') keeps its NaN missing (not the text 'nan')."""

import numpy as np
import pytest

from aufeat._missing import as_array, missing_mask
from aufeat.datasets import FaceDataset
from aufeat.estimators import PersonNormalizer
from aufeat.estimators.normalization import subject_normalize
from aufeat.evaluation import emotion_metrics

NAN = float("nan")
IMAGES = np.zeros((4, 8, 8), np.uint8)


@pytest.mark.parametrize("missing", [None, NAN, np.float32("nan")])
def test_subject_list_with_nan_is_refused_as_none_is(missing):
    with pytest.raises(ValueError, match="subject: 2 value"):
        FaceDataset(images=IMAGES, subject=["s1", missing, "s2", missing])


def test_emotion_list_with_nan_is_no_label_as_none_is():
    with_nan = FaceDataset(images=IMAGES, subject=list("abcd"),
                           emotion=["happy", NAN, "sad", "sad"])
    with_none = FaceDataset(images=IMAGES, subject=list("abcd"),
                            emotion=["happy", None, "sad", "sad"])
    assert with_nan.emotion.tolist() == with_none.emotion.tolist()
    assert with_nan.emotion[1] == ""
    y_nan, keep_nan, _ = with_nan.targets("emotion")
    y_none, keep_none, _ = with_none.targets("emotion")
    assert y_nan.tolist() == y_none.tolist()
    assert "nan" not in y_nan.tolist()
    assert np.array_equal(keep_nan, keep_none)


def test_emotion_metrics_true_and_predicted_nan_in_lists():
    pred = ["happy", "sad", "sad"]
    for missing in (NAN, None):  # an unlabelled item is neither right nor wrong: refused alike
        with pytest.raises(ValueError, match="no emotion label"):
            emotion_metrics(["happy", missing, "sad"], pred)
    no_face = emotion_metrics(["happy", "sad", "sad"], ["happy", NAN, "sad"])
    as_none = emotion_metrics(["happy", "sad", "sad"], ["happy", None, "sad"])
    assert no_face["no_face"] == as_none["no_face"] == 1
    assert no_face["labels"] == as_none["labels"]


def test_subject_ids_list_with_nan_is_refused():
    X = np.array([[1.0], [3.0], [10.0], [30.0]])
    for missing in (None, NAN):
        with pytest.raises(ValueError, match="no id in subjects"):
            subject_normalize(X, ["a", missing, "b", missing])
        with pytest.raises(ValueError, match="no id in subjects"):
            PersonNormalizer().fit_transform(X, subjects=["a", missing, "b", missing])


def test_text_without_missing_values_is_unchanged():
    for values in (["a", "b", "nan"], ("x", "y"), [b"a", b"b"], [["a", "b"], ["c", "d"]]):
        got, plain = as_array(values), np.asarray(values)
        assert got.dtype == plain.dtype
        assert np.array_equal(got, plain)
        assert not missing_mask(values).any()
    clean = FaceDataset(images=IMAGES, subject=["s1", "s1", "s2", "nan"],
                        emotion=["happy", "sad", "sad", "happy"])
    assert clean.subject.tolist() == ["s1", "s1", "s2", "nan"]
    assert clean.n_subjects == 3
    assert clean.emotion.dtype == np.asarray(["happy", "sad"]).dtype
    metrics = emotion_metrics(["happy", "sad", "sad"], ["happy", "happy", "sad"])
    again = emotion_metrics(np.asarray(["happy", "sad", "sad"]),
                            np.asarray(["happy", "happy", "sad"]))
    assert metrics["accuracy"] == again["accuracy"]
    assert metrics["labels"] == again["labels"]
    assert missing_mask(["a", NAN, None]).tolist() == [False, True, True]


def test_face_model_refuses_a_nan_label_in_a_list_as_it_refuses_none():
    from sklearn.linear_model import LogisticRegression

    from aufeat.estimators import FaceModel

    X = np.random.default_rng(0).random((4, 3))
    for missing in (None, NAN):
        with pytest.raises(ValueError, match="1 of 4"):
            FaceModel(LogisticRegression()).fit(X, ["happy", missing, "sad", "sad"])
