"""The AUs behind the intensity means are decided by the labels alone, the same for every model.

An AU whose coded labels do not vary has no ICC, PCC or CCC for any model (whether
the model predicts a constant or small noise for it); where the labels vary, a
constant prediction scores 0 on all three (PCC too). Point values, per-resample
intervals and paired differences follow the same rule.
"""

import numpy as np
import pytest

from aufeat.evaluation.intervals import (
    bootstrap_intervals,
    paired_difference,
    subject_resample_weights,
)
from aufeat.evaluation.metrics import au_intensity_metrics, icc_3_1, pearson

NAMES = ["AU1", "AU2"]
MEANS = ("mean_icc", "mean_pcc", "mean_ccc")


@pytest.fixture
def items(rng):
    n = 60
    people = np.repeat(list("abcdef"), 10)
    au1 = rng.integers(0, 6, n).astype(float)
    return people, au1, au1 + rng.normal(0, 1, n)


def test_an_au_never_shown_is_left_out_for_a_constant_and_a_noisy_model(rng, items):
    people, au1, p1 = items
    truth = np.c_[au1, np.zeros(len(au1))]
    constant = np.c_[p1, np.zeros(len(au1))]
    noisy = np.c_[p1, np.abs(rng.normal(0, 0.05, len(au1)))]
    a, b = (au_intensity_metrics(truth, p, NAMES) for p in (constant, noisy))
    for m in (a, b):
        assert all(np.isnan(m["per_au"]["AU2"][key]) for key in ("icc", "pcc", "ccc"))
        assert m["n_aus"] == 1
        assert m["mean_icc"] == pytest.approx(icc_3_1(au1, p1))
    for key in MEANS:
        assert a[key] == b[key]
        d = paired_difference("au-intensity", truth, constant, noisy, people, au_names=NAMES,
                              metric=key, n_resamples=200)
        assert d["difference"] == 0
        assert d["interval"] == [0.0, 0.0]


def test_a_constant_prediction_of_varying_labels_scores_pcc_0(rng, items):
    people, au1, p1 = items
    au2 = rng.integers(0, 6, len(au1)).astype(float)
    truth = np.c_[au1, au2]
    constant = np.c_[p1, np.full(len(au1), 2.5)]
    m = au_intensity_metrics(truth, constant, NAMES)
    assert m["per_au"]["AU2"]["pcc"] == 0.0
    assert m["mean_pcc"] == pytest.approx(pearson(au1, p1) / 2)
    assert m["n_aus"] == 2
    ci = bootstrap_intervals("au-intensity", truth, constant, people, au_names=NAMES,
                             n_resamples=100)
    assert ci["per_au"]["AU2"]["pcc"] == [0.0, 0.0]


def test_resamples_use_the_same_rule_as_the_point_values(rng):
    """Person 0 alone shows AU1: draws without them have no AU1 for either model."""
    people = np.repeat(np.arange(8), 6)
    truth = np.zeros((48, 2))
    truth[:6, 0] = [1, 2, 3, 2, 1, 3]
    truth[:, 1] = rng.integers(0, 6, 48)
    constant = np.c_[np.zeros(48), np.full(48, 2.0)]
    noisy = np.c_[rng.normal(0, 0.05, 48), truth[:, 1] + rng.normal(0, 1, 48)]
    for pred in (constant, noisy):
        ci = bootstrap_intervals("au-intensity", truth, pred, people, au_names=NAMES,
                                 n_resamples=80, random_state=3)
        brute = {key: [] for key in MEANS}
        for weights in next(subject_resample_weights(8, 80, 3)).astype(int):
            rows = np.concatenate([np.tile(np.flatnonzero(people == p), w)
                                   for p, w in enumerate(weights) if w])
            m = au_intensity_metrics(truth[rows], pred[rows], NAMES)
            for key in MEANS:
                brute[key].append(m[key])
        for key in MEANS:
            assert ci[key] == pytest.approx(np.nanpercentile(brute[key], [2.5, 97.5]).tolist(),
                                            abs=1e-9, nan_ok=True), key


def test_per_fold_metrics_average_the_aus_their_test_people_vary_on():
    """AU2 shown by syn001 only (LOSO): its fold's model never saw AU2 and predicts a
    constant (PCC 0, counted); every other fold's test person never shows AU2 (left out,
    whatever the model predicts)."""
    import warnings

    import aufeat

    faces = aufeat.datasets.make_synthetic_faces(n_subjects=4, n_per_subject=6)
    X = aufeat.extract_hog(faces.load_images(), pixels_per_cell=(28, 28)).astype(float)
    subjects = np.asarray(faces.subject).astype(str)
    alone = subjects == subjects[0]
    aus = np.zeros((len(X), 2))
    aus[:, 0] = np.arange(len(X)) % 4
    aus[np.flatnonzero(alone), 1] = [0, 1, 2, 3, 2, 1]
    data = aufeat.datasets.FaceDataset(images=faces.load_images(), subject=subjects, aus=aus,
                                       au_names=NAMES, name="one-person-AU2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # AU2's constant model
        result = aufeat.evaluate(data, X, model="ridge", task="au-intensity", protocol="loso",
                                 n_bootstrap=0, keep_predictions=True)
    kept = result.predictions
    for fold in result.per_fold:
        rows = kept["subjects"] == fold["test_subjects"][0]
        truth, pred = kept["y_true"][rows], kept["y_pred"][rows]
        if fold["test_subjects"] == [subjects[0]]:
            assert np.ptp(pred[:, 1]) == 0  # the constant model of AU2
            assert fold["metrics"]["n_aus"] == 2
            assert fold["metrics"]["mean_pcc"] == pytest.approx(
                pearson(truth[:, 0], pred[:, 0]) / 2)
        else:
            assert fold["metrics"]["n_aus"] == 1
            assert fold["metrics"]["mean_icc"] == pytest.approx(icc_3_1(truth[:, 0], pred[:, 0]))
