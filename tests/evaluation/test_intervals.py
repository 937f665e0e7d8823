"""Person-resampled intervals against the metrics recomputed on each resample, item by item."""

import json

import numpy as np
import pytest

import aufeat
from aufeat.evaluation import evaluate
from aufeat.evaluation.intervals import (
    bootstrap_intervals,
    compare_results,
    paired_difference,
    subject_resample_weights,
)
from aufeat.evaluation.metrics import au_intensity_metrics, au_occurrence_metrics, emotion_metrics
from aufeat.evaluation.results import read_results_json, write_results_json

N_RESAMPLES = 60
SEED = 7


def _people(rng, n_people=12):
    """Person ids with 1-9 items each, in shuffled order (not grouped)."""
    sizes = rng.integers(1, 10, n_people)
    people = np.repeat([f"P{i:02d}" for i in range(n_people)], sizes)
    return people[rng.permutation(len(people))]


def _resampled_rows(people):
    """The rows of each resample, drawn with the same generator as the intervals."""
    names, index = np.unique(people, return_inverse=True)
    rows_of = [np.flatnonzero(index == i) for i in range(len(names))]
    for chunk in subject_resample_weights(len(names), N_RESAMPLES, SEED):
        for weights in chunk.astype(int):
            yield np.concatenate([np.tile(rows_of[i], w) for i, w in enumerate(weights) if w])


def _percentiles(values):
    values = np.asarray(values, float)
    if np.isnan(values).all():
        return [np.nan, np.nan]
    return list(np.nanpercentile(values, [2.5, 97.5]))


def test_emotion_intervals_equal_the_metrics_of_each_resample(rng):
    people = _people(rng)
    labels = ["anger", "happy", "sad", "surprise"]
    truth = rng.choice(labels, len(people))
    pred = np.where(rng.random(len(people)) < 0.6, truth, rng.choice([*labels, ""], len(people)))
    got = bootstrap_intervals("emotion", truth, pred, people, labels=labels,
                              n_resamples=N_RESAMPLES, random_state=SEED)
    brute = [emotion_metrics(truth[r], pred[r], labels=labels)
             for r in _resampled_rows(people)]
    for key in ("accuracy", "balanced_accuracy", "macro_f1"):
        assert got[key] == pytest.approx(_percentiles([m[key] for m in brute]), abs=1e-12), key
    for label in labels:
        values = [m["per_class"][label]["f1"] for m in brute]
        assert got["per_class"][label]["f1"] == pytest.approx(_percentiles(values), abs=1e-12)
    assert got["n_subjects"] == 12
    assert got["n_resamples"] == N_RESAMPLES


def test_occurrence_intervals_equal_the_metrics_of_each_resample(rng):
    people = _people(rng)
    truth = (rng.random((len(people), 4)) < [0.5, 0.3, 0.1, 0.05]).astype(float)
    truth[rng.random(truth.shape) < 0.05] = np.nan  # not coded: left out for that AU
    pred = np.where(rng.random(truth.shape) < 0.7, np.nan_to_num(truth), 1 - np.nan_to_num(truth))
    names = ["AU1", "AU2", "AU10", "AU26"]
    headline = ["AU1", "AU2", "AU10"]
    got = bootstrap_intervals("au-occurrence", truth, pred, people, au_names=names,
                              headline_aus=headline, n_resamples=N_RESAMPLES, random_state=SEED)
    brute = [au_occurrence_metrics(truth[r], pred[r], names)["per_au"]
             for r in _resampled_rows(people)]
    for name in names:
        values = [m[name]["f1"] for m in brute]
        assert got["per_au"][name]["f1"] == pytest.approx(_percentiles(values), abs=1e-12), name
    means = [np.nanmean([m[name]["f1"] for name in headline]) for m in brute]
    assert got["mean_f1"] == pytest.approx(_percentiles(means), abs=1e-12)


def test_intensity_intervals_equal_the_metrics_of_each_resample(rng):
    people = _people(rng)
    truth = rng.integers(0, 6, (len(people), 3)).astype(float)
    truth[rng.random(truth.shape) < 0.05] = np.nan
    pred = np.nan_to_num(truth) * 0.8 + rng.normal(0, 0.8, truth.shape) + 0.3
    pred[:, 2] = 1.5  # a constant prediction of varying labels: correlations 0
    got = bootstrap_intervals("au-intensity", truth, pred, people, n_resamples=N_RESAMPLES,
                              random_state=SEED)
    brute = [au_intensity_metrics(truth[r], pred[r]) for r in _resampled_rows(people)]
    for key in ("icc", "pcc", "ccc", "mae"):
        for j in range(3):
            values = [m["per_au"][f"output{j}"][key] for m in brute]
            assert got["per_au"][f"output{j}"][key] == pytest.approx(
                _percentiles(values), abs=1e-9, nan_ok=True), (key, j)
        assert got[f"mean_{key}"] == pytest.approx(
            _percentiles([m[f"mean_{key}"] for m in brute]), abs=1e-9)
    assert got["per_au"]["output2"]["pcc"] == [0.0, 0.0]


def test_paired_difference_equals_the_difference_on_each_resample(rng):
    people = _people(rng)
    truth = (rng.random((len(people), 3)) < [0.5, 0.3, 0.2]).astype(float)
    a = np.where(rng.random(truth.shape) < 0.8, truth, 1 - truth)
    b = np.where(rng.random(truth.shape) < 0.7, truth, 1 - truth)
    got = paired_difference("au-occurrence", truth, a, b, people, n_resamples=N_RESAMPLES,
                            random_state=SEED)
    brute = [au_occurrence_metrics(truth[r], a[r])["per_au"] for r in _resampled_rows(people)]
    brute_b = [au_occurrence_metrics(truth[r], b[r])["per_au"] for r in _resampled_rows(people)]
    differences = [np.nanmean([ma[k]["f1"] for k in ma]) - np.nanmean([mb[k]["f1"] for k in mb])
                   for ma, mb in zip(brute, brute_b, strict=True)]
    assert got["interval"] == pytest.approx(_percentiles(differences), abs=1e-12)
    full = (au_occurrence_metrics(truth, a)["mean_f1"] - au_occurrence_metrics(truth, b)["mean_f1"])
    assert got["difference"] == pytest.approx(full, abs=1e-12)
    assert got["share_a_better"] == pytest.approx(np.mean(np.asarray(differences) > 0))


def test_pairing_cancels_what_two_models_share(rng):
    # B is A with 5% of its answers flipped: apart, both intervals are wide; paired, the
    # difference is known to within a few hundredths
    people = np.repeat(np.arange(40), 5)
    truth = rng.choice(["happy", "sad", "angry"], len(people))
    skill = np.repeat(rng.random(40), 5)  # some people are easy, some hard, for both models
    a = np.where(rng.random(len(people)) < skill, truth, "sad")
    b = np.where(rng.random(len(people)) < 0.05, "happy", a)
    alone = bootstrap_intervals("emotion", truth, a, people)["accuracy"]
    paired = paired_difference("emotion", truth, a, b, people)["interval"]
    assert paired[1] - paired[0] < (alone[1] - alone[0]) / 3


def test_people_are_resampled_not_images(rng):
    # three identical frames per person carry one person's evidence: the interval must not
    # narrow when every item is repeated within its person (an image bootstrap would narrow)
    people = np.array([f"P{i}" for i in range(30)])
    truth = rng.integers(0, 2, (30, 2)).astype(float)
    pred = np.where(rng.random((30, 2)) < 0.7, truth, 1 - truth)
    once = bootstrap_intervals("au-occurrence", truth, pred, people, random_state=SEED)
    thrice = bootstrap_intervals("au-occurrence", np.repeat(truth, 3, axis=0),
                                 np.repeat(pred, 3, axis=0), np.repeat(people, 3),
                                 random_state=SEED)
    assert thrice["mean_f1"] == pytest.approx(once["mean_f1"], abs=1e-12)
    assert once["mean_f1"][1] - once["mean_f1"][0] > 0.05


def test_fewer_than_two_people_give_no_interval_and_bad_confidence_is_refused():
    truth = np.array(["happy", "sad", "sad"])
    assert bootstrap_intervals("emotion", truth, truth, ["A", "A", "A"]) is None
    assert bootstrap_intervals("emotion", truth, truth, ["A", "B", "B"], n_resamples=0) is None
    with pytest.raises(ValueError, match="confidence must be between 0 and 1"):
        bootstrap_intervals("emotion", truth, truth, ["A", "B", "B"], confidence=95)


@pytest.fixture(scope="module")
def au_result(tmp_path_factory):
    data = aufeat.make_synthetic_faces(n_subjects=6, n_per_subject=7, size=48, random_state=3)
    X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))
    return data, X, evaluate(data, X, model="linear-svm", task="au-occurrence",
                             protocol="group-kfold:3")


def test_evaluate_reports_intervals_around_its_pooled_metrics(au_result, tmp_path):
    data, X, result = au_result
    intervals = result.metrics["intervals"]
    assert intervals["n_subjects"] == 6
    low, high = intervals["mean_f1"]
    assert low <= result.metrics["mean_f1"] <= high
    assert set(intervals["per_au"]) == set(result.metrics["per_au"])
    assert result.predictions is None  # computed without keeping the predictions
    path = write_results_json(tmp_path / "results.json", [result])
    stored = json.loads(path.read_text())["results"][0]["metrics"]["intervals"]
    assert stored["mean_f1"] == pytest.approx([low, high])
    assert read_results_json(path)["results"][0]["metrics"]["intervals"] == stored
    plain = evaluate(data, X, model="linear-svm", task="au-occurrence",
                     protocol="group-kfold:3", n_bootstrap=0)
    assert "intervals" not in plain.metrics
    assert plain.metrics["mean_f1"] == result.metrics["mean_f1"]


def test_compare_results_is_the_paired_difference_of_their_predictions(au_result):
    data, X, _ = au_result
    svm, rf = (evaluate(data, X, model=m, task="au-occurrence", protocol="group-kfold:3",
                        keep_predictions=True, n_bootstrap=0) for m in ("linear-svm", "rf"))
    got = compare_results(svm, rf, n_resamples=N_RESAMPLES, random_state=SEED)
    p, q = svm.predictions, rf.predictions
    want = paired_difference("au-occurrence", p["y_true"], p["y_pred"], q["y_pred"],
                             p["subjects"], au_names=list(svm.metrics["per_au"]),
                             headline_aus=svm.metrics["headline_aus"],
                             n_resamples=N_RESAMPLES, random_state=SEED)
    assert got == want
    assert got["difference"] == pytest.approx(svm.metrics["mean_f1"] - rf.metrics["mean_f1"])
    backwards = compare_results(rf, svm, n_resamples=N_RESAMPLES, random_state=SEED)
    assert backwards["difference"] == pytest.approx(-got["difference"])
    assert backwards["interval"] == pytest.approx([-got["interval"][1], -got["interval"][0]])


def test_compare_results_refuses_results_it_cannot_pair(au_result):
    data, X, without = au_result  # evaluated without keep_predictions
    kept = evaluate(data, X, model="linear-svm", task="au-occurrence", protocol="group-kfold:3",
                    keep_predictions=True, n_bootstrap=0)
    with pytest.raises(ValueError, match="keep_predictions=True"):
        compare_results(kept, without)
    fewer = data.subset(np.arange(len(data) - 7))
    others = evaluate(fewer, X[:-7], model="linear-svm", task="au-occurrence",
                      protocol="group-kfold:3", keep_predictions=True, n_bootstrap=0)
    with pytest.raises(ValueError, match="not of the same items"):
        compare_results(kept, others)
    emotion = evaluate(data, X, model="linear-svm", protocol="group-kfold:3",
                       keep_predictions=True, n_bootstrap=0)
    with pytest.raises(ValueError, match="cannot compare a au-occurrence result with a emotion"):
        compare_results(kept, emotion)
