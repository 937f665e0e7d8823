"""ICC(3,1) with no variance at all (labels and predictions both constant) is NaN, not -1."""

import numpy as np
import pytest

from aufeat.evaluation.intervals import bootstrap_intervals, subject_resample_weights
from aufeat.evaluation.metrics import au_intensity_metrics, ccc, icc_3_1, pearson


@pytest.mark.parametrize("n", [10, 20])
@pytest.mark.parametrize("constant", [0.1, 0.2, 0.7, 1.3])
def test_icc_of_two_constants_is_nan(n, constant):
    assert np.isnan(icc_3_1([0.0] * n, [constant] * n))
    assert np.isnan(icc_3_1([2.0] * n, [constant] * n))


def test_a_person_who_never_shows_the_au_has_no_icc():
    per_au = au_intensity_metrics(np.zeros((10, 1)), np.full((10, 1), 0.2), ["AU9"])["per_au"]
    assert np.isnan(per_au["AU9"]["icc"])
    assert per_au["AU9"]["mae"] == pytest.approx(0.2)


def test_one_varying_side_still_has_an_icc():
    assert icc_3_1([0, 1, 2, 3], [1.5] * 4) == pytest.approx(0.0, abs=1e-12)
    assert icc_3_1([0, 1, 2], [2, 1, 0]) == pytest.approx(-1.0)


@pytest.mark.parametrize(("truth", "constant"), [(0.0, 0.1), (1.0, 0.2), (2.0, 0.3),
                                                 (2.0, 0.7), (1.0, 1.3), (2.0, 1.3)])
def test_bootstrap_icc_of_two_constants_is_nan(truth, constant):
    people = np.repeat(np.arange(10), 10)
    ci = bootstrap_intervals("au-intensity", np.full((100, 1), truth),
                             np.full((100, 1), constant), people, n_resamples=200)
    assert np.isnan(ci["per_au"]["output0"]["icc"]).all()
    assert np.isnan(ci["mean_icc"]).all()


def test_bootstrap_icc_equals_icc_3_1_on_draws_without_the_one_person_who_varies():
    people = np.repeat(np.arange(10), 10)
    truth, pred = np.zeros((100, 1)), np.full((100, 1), 0.1)
    truth[:10, 0] = [1, 2, 3, 2, 1, 3, 2, 1, 0.3, 0.7]  # only person 0 shows the AU
    pred[:10, 0] = [0.9, 1.7, 2.6, 2.2, 1.1, 2.4, 1.9, 0.8, 0.1, 0.5]
    n = 300
    ci = bootstrap_intervals("au-intensity", truth, pred, people, n_resamples=n)
    by_hand = []
    for weights in np.vstack(list(subject_resample_weights(10, n, 0))).astype(int):
        rows = np.concatenate([np.tile(np.flatnonzero(people == p), w)
                               for p, w in enumerate(weights) if w])
        by_hand.append(icc_3_1(truth[rows, 0], pred[rows, 0]))
    by_hand = np.array(by_hand)
    assert 0 < np.isnan(by_hand).sum() < n  # some draws leave person 0 out
    assert ci["per_au"]["output0"]["icc"] == pytest.approx(
        np.nanpercentile(by_hand, [2.5, 97.5]).tolist(), abs=1e-9)


@pytest.mark.parametrize("metric", [icc_3_1, pearson, ccc])
@pytest.mark.parametrize(("y_true", "y_pred"), [
    ([[0, 1], [2, 3]], [[0, 1], [2, 2]]),  # ICC took 4 raters (0.95), Pearson flattened (0.98)
    ([0, 1, 2], [0, 1]),  # numpy's concatenate / broadcast messages
])
def test_inputs_other_than_two_1d_vectors_of_one_length_are_refused(metric, y_true, y_pred):
    with pytest.raises(ValueError, match=r"y_true and y_pred must be 1-D of one length"):
        metric(y_true, y_pred)
