"""Results files and arguments (review Z85: F5, F6 and the minor points).

F5: a JSON write that fails after the predictions file was replaced put the new
predictions beside the earlier JSON (its SHA-256 no longer matches): the earlier pair
is now kept. F6: an entry naming a top-level key ('task') is refused by the file's
checks, not a raw TypeError. Minor: ``confidence`` as text, ``evaluate_many`` with a
key ``evaluate`` does not take, and ``plot_roc`` drawing the classes ``roc_auc_ovr``
averages.
"""

import errno
import json

import numpy as np
import pytest

import aufeat
import aufeat._atomic
from aufeat.datasets import FaceDataset
from aufeat.evaluation import (
    bootstrap_intervals,
    evaluate_many,
    paired_difference,
    read_results,
    read_results_json,
    write_results_json,
)
from aufeat.evaluation.results import predictions_path


@pytest.fixture(scope="module")
def runs():
    data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=7, size=48)
    X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))
    return data, X, [aufeat.evaluate(data, X, model=m, protocol="group-kfold:2",
                                     keep_predictions=True, n_bootstrap=0)
                     for m in ("linear-svm", "knn")]


def test_failed_json_write_keeps_the_earlier_pair(runs, tmp_path):
    # A real failure: the second JSON path is a folder, refused after the predictions
    # file (given by predictions_file, as aufeat-bench does for a --json pipe) was written.
    first, second = runs[2]
    sidecar = tmp_path / "results.predictions.npz"
    write_results_json(tmp_path / "results.json", [first], predictions_file=sidecar)
    (tmp_path / "busy.json").mkdir()
    with pytest.raises(IsADirectoryError):
        write_results_json(tmp_path / "busy.json", [second], predictions_file=sidecar)
    back = read_results(tmp_path / "results.json")[0]  # the SHA-256 still matches
    assert back.classifier == "linear-svm"
    assert np.array_equal(back.predictions["y_pred"], first.predictions["y_pred"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "busy.json", "results.json", "results.predictions.npz"]  # no temporary file left


def test_failed_json_write_of_a_new_pair_leaves_no_predictions(runs, tmp_path):
    (tmp_path / "results.json").mkdir()
    with pytest.raises(IsADirectoryError):
        write_results_json(tmp_path / "results.json", [runs[2][0]])
    assert not predictions_path(tmp_path / "results.json").exists()


def test_full_disk_on_the_json_keeps_the_earlier_pair(runs, tmp_path, monkeypatch):
    # Fault injection only (a full disk cannot be made here): the JSON's atomic write
    # raises ENOSPC, as it would once the larger predictions file took the last space.
    first, second = runs[2]
    path = tmp_path / "results.json"
    write_results_json(path, [first])

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(aufeat._atomic, "atomic_write_text", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_results_json(path, [second])
    monkeypatch.undo()
    assert read_results(path)[0].classifier == "linear-svm"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "results.json", "results.predictions.npz"]


@pytest.mark.parametrize("key", ["task", "dataset", "protocol", "predictions"])
def test_entry_naming_a_top_level_key_is_refused(runs, tmp_path, key):
    path = tmp_path / "results.json"
    write_results_json(path, [runs[2][0]])
    document = json.loads(path.read_text())
    document["results"][0][key] = document.get(key, "x")
    path.write_text(json.dumps(document))
    message = f"is not an aufeat results file: results\\[0\\] names '{key}'"
    with pytest.raises(ValueError, match=message):
        read_results_json(path)
    with pytest.raises(ValueError, match=message):
        read_results(path)


TRUTH = np.array(["happy", "sad"] * 4)


@pytest.mark.parametrize("call", [
    lambda c: bootstrap_intervals("emotion", TRUTH, TRUTH, np.repeat(list("abcd"), 2),
                                  confidence=c),
    lambda c: paired_difference("emotion", TRUTH, TRUTH, TRUTH, np.repeat(list("abcd"), 2),
                                confidence=c),
])
@pytest.mark.parametrize("confidence", ["0.95", True, None])
def test_confidence_not_a_number_is_refused_by_name(call, confidence):
    with pytest.raises(TypeError, match="confidence must be a number between 0 and 1"):
        call(confidence)


def test_evaluate_many_names_the_configuration_and_the_keys(runs):
    data, X, _ = runs
    good = {"dataset": data, "X": X, "protocol": "group-kfold:2"}
    with pytest.raises(TypeError, match=r"configuration 1 names 'n_jobs', which evaluate_many "
                                        r"takes .*; a configuration takes the keys dataset, X, "
                                        r"model"):
        list(evaluate_many([good, {**good, "n_jobs": 2}]))
    with pytest.raises(TypeError, match="configuration 0 names 'modle', which is not an "
                                        "argument of evaluate"):
        list(evaluate_many([{**good, "modle": "rf"}]))
    with pytest.raises(TypeError, match="configuration 0 lacks 'X'"):
        list(evaluate_many([{"dataset": data}]))
    with pytest.raises(TypeError, match="configuration 0 is a list, not a dict"):
        list(evaluate_many([[data, X]]))


def test_plot_roc_draws_every_class_roc_auc_averages():
    from aufeat.evaluation.plots import _roc_figure

    rng = np.random.default_rng(0)
    emotion = ["happy", "sad"] * 6 + ["happy", "sad", "angry"] * 2  # angry: test split only
    data = FaceDataset(images=rng.integers(0, 255, (18, 8, 8), dtype=np.uint8),
                       subject=np.repeat(list("abcdef"), 3), emotion=emotion,
                       split=["train"] * 12 + ["test"] * 6, name="d")
    result = aufeat.evaluate(data, rng.normal(size=(18, 4)), model="logreg", protocol="split",
                             keep_predictions=True, n_bootstrap=0)
    assert "angry" not in result.predictions["score_labels"]
    figure = _roc_figure(result)
    names = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert len(names) == 3
    assert any(name.startswith("angry") for name in names)
