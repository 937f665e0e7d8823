"""The intervals call a prediction constant by the rule of au_intensity_metrics: it does not vary.

A heavily shrunk model whose predictions vary by 1e-6 around 2 (and follow the labels) has a
real PCC; the sums behind the intervals must not round its variance away.
"""

import numpy as np
import pytest

from aufeat.evaluation.intervals import bootstrap_intervals, paired_difference
from aufeat.evaluation.metrics import au_intensity_metrics

PEOPLE = np.repeat(np.arange(10), 10)


def _shrunk(eps):
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 6, (100, 2)).astype(float)
    return truth, 2.0 + eps * (truth + rng.normal(0, 0.5, truth.shape))


@pytest.mark.parametrize("eps", [1e-4, 1e-6, 1e-8])
def test_a_prediction_with_a_tiny_spread_keeps_its_correlations(eps):
    truth, pred = _shrunk(eps)
    point = au_intensity_metrics(truth, pred)
    assert point["mean_pcc"] > 0.9
    interval = bootstrap_intervals("au-intensity", truth, pred, PEOPLE, n_resamples=200)
    for key in ("mean_pcc", "mean_icc", "mean_ccc", "mean_mae"):
        low, high = interval[key]
        assert low <= point[key] <= high, key
    constant = np.full_like(pred, 2.0)
    for metric in ("mean_pcc", "mean_icc", "mean_ccc", "mean_mae"):
        d = paired_difference("au-intensity", truth, pred, constant, PEOPLE, metric=metric,
                              n_resamples=20)
        want = point[metric] - au_intensity_metrics(truth, constant)[metric]
        assert d["difference"] == pytest.approx(want, rel=1e-6, abs=1e-12), metric


@pytest.mark.parametrize("value", [2.0, 2.1, 1e-7, 1234.5678])
def test_a_constant_prediction_still_scores_zero(value):
    truth, _ = _shrunk(1e-6)
    constant = np.full_like(truth, value)
    assert au_intensity_metrics(truth, constant)["mean_pcc"] == 0.0
    interval = bootstrap_intervals("au-intensity", truth, constant, PEOPLE, n_resamples=50)
    assert interval["mean_pcc"] == [0.0, 0.0]
    assert interval["per_au"]["output0"]["pcc"] == [0.0, 0.0]


def test_every_resample_equals_the_metrics_of_its_people():
    from aufeat.evaluation.intervals import subject_resample_weights

    truth, pred = _shrunk(1e-6)
    pred[:, 1] = np.where(PEOPLE < 5, 3.0, pred[:, 1])  # half the people: constant 3
    weights = next(subject_resample_weights(10, 30, 7))
    got = bootstrap_intervals("au-intensity", truth, pred, PEOPLE, n_resamples=30,
                              random_state=7, confidence=1e-9)
    per_draw = []
    for w in weights:
        rows = np.repeat(np.arange(100), w[PEOPLE].astype(int))
        per_draw.append(au_intensity_metrics(truth[rows], pred[rows])["per_au"])
    for au in ("output0", "output1"):
        for key in ("icc", "pcc", "ccc", "mae"):
            median = np.median([m[au][key] for m in per_draw])
            assert got["per_au"][au][key] == pytest.approx([median, median], abs=1e-6), (au, key)
