"""labels= matches a data set's own labels by their common name ('HA' keeps 'happy' rows)."""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset
from aufeat.datasets._labels import resolve_labels


def _ds(emotion):
    return FaceDataset(images=np.zeros((len(emotion), 4, 4), np.uint8),
                       subject=[f"s{i}" for i in range(len(emotion))], emotion=emotion)


@pytest.mark.parametrize("labels", [["happy", "sad"], ["HA", "SA"], ["happiness", "sadness"]])
def test_targets_keep_free_string_labels_by_any_name(labels):
    ds = _ds(["happy", "sad", "angry", "happy", "sad", "angry"])
    y, keep, _ = ds.targets("emotion", labels)
    assert sorted(y[keep].tolist()) == ["happy", "happy", "sad", "sad"]


def test_resolve_labels_gives_the_data_sets_own_spelling():
    assert resolve_labels(["happy", "sad", "AN"], ["happy", "sad", "angry"]) == [
        "happy", "sad", "angry"]
    assert resolve_labels(["HA", "neutral"], ["happiness"]) == ["happiness", "neutral"]


def test_two_spellings_of_one_emotion_in_the_data_set_are_refused():
    with pytest.raises(ValueError, match=r"happy.*HA|HA.*happy"):
        resolve_labels(["happiness"], ["happy", "HA", "sad"])


def test_evaluate_labels_keeps_rows_named_by_a_synonym():
    from aufeat.evaluation import evaluate

    rng = np.random.default_rng(0)
    emotion = ["happy", "sad", "angry"] * 8
    X = np.eye(3)[[0, 1, 2] * 8] + rng.normal(0, 0.01, (24, 3))
    ds = FaceDataset(images=np.zeros((24, 4, 4), np.uint8),
                     subject=[f"s{i % 6}" for i in range(24)], emotion=emotion)
    result = evaluate(ds, X, protocol="group-kfold:3", labels=["happy", "sad", "AN"],
                      n_jobs=1, n_bootstrap=0)
    assert result.n_samples == 24
    assert {k: v["support"] for k, v in result.metrics["per_class"].items()} == {
        "happy": 8, "sad": 8, "angry": 8}
