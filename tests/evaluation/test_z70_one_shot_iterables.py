"""One-shot iterables (map, generators) of classes, AU names and results (round 15, Z70)."""

import json

import numpy as np
import pytest

import aufeat
from aufeat.evaluation import (
    au_intensity_metrics,
    au_occurrence_metrics,
    bootstrap_intervals,
    evaluate_many,
    paired_difference,
    write_results_json,
)


@pytest.fixture(scope="module")
def faces():
    data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=8, size=48)
    return data, aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))


def test_evaluate_labels_map(faces):
    data, X = faces
    wanted = ["HAPPINESS", "SURPRISE", "FEAR"]
    kw = {"model": "logreg", "protocol": "group-kfold:2", "n_bootstrap": 0}
    expected = aufeat.evaluate(data, X, labels=[w.lower() for w in wanted], **kw)
    got = aufeat.evaluate(data, X, labels=map(str.lower, wanted), **kw)
    assert got.metrics["labels"] == expected.metrics["labels"]
    assert got.n_samples == expected.n_samples
    assert got.metrics["accuracy"] == expected.metrics["accuracy"]


def _aus():
    rng = np.random.default_rng(0)
    y = (rng.random((24, 2)) < 0.5).astype(float)
    p = y.copy()
    p[::3] = 1 - p[::3]
    return y, p, np.repeat(["s1", "s2", "s3", "s4"], 6), ["AU6", "AU12"]


def test_au_names_iterators():
    y, p, people, names = _aus()
    scores = p + 0.1
    assert (au_occurrence_metrics(y, p, map(str, names), scores=scores, subjects=people)
            == au_occurrence_metrics(y, p, names, scores=scores, subjects=people))
    assert (au_intensity_metrics(y, p, (n for n in names))
            == au_intensity_metrics(y, p, names))
    kw = {"n_resamples": 40}
    assert (bootstrap_intervals("au-occurrence", y, p, people, au_names=iter(names), **kw)
            == bootstrap_intervals("au-occurrence", y, p, people, au_names=names, **kw))
    assert (paired_difference("au-occurrence", y, p, y, people, au_names=iter(names),
                              headline_aus=iter(["AU12"]), **kw)
            == paired_difference("au-occurrence", y, p, y, people, au_names=names,
                                 headline_aus=["AU12"], **kw))


def test_emotion_labels_iterators():
    truth = np.array(["happy", "sad", "fear"] * 4)
    pred = np.roll(truth, 1)
    people = np.repeat(["s1", "s2", "s3", "s4"], 3)
    kw = {"n_resamples": 40, "metric": "macro_f1"}
    assert (paired_difference("emotion", truth, pred, truth, people,
                              labels=iter(["happy", "sad"]), **kw)
            == paired_difference("emotion", truth, pred, truth, people,
                                 labels=["happy", "sad"], **kw))


def test_write_results_json_generator(faces, tmp_path):
    data, X = faces
    runs = [{"dataset": data, "X": X, "model": m, "protocol": "group-kfold:2",
             "n_bootstrap": 0} for m in ("logreg", "knn")]
    path = write_results_json(tmp_path / "r.json", evaluate_many(runs))
    written = json.loads(path.read_text())
    assert [r["classifier"] for r in written["results"]] == ["logreg", "knn"]


def test_write_results_json_single_result_refused(faces, tmp_path):
    data, X = faces
    result = aufeat.evaluate(data, X, model="logreg", protocol="group-kfold:2", n_bootstrap=0)
    with pytest.raises(TypeError, match=r"\[result\]"):
        write_results_json(tmp_path / "r.json", result)
    with pytest.raises(TypeError, match="EvaluationResult"):
        write_results_json(tmp_path / "r.json", [result, "x"])
    assert not (tmp_path / "r.json").exists()
