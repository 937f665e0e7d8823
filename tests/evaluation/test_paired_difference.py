"""paired_difference: "A better" follows the metric's direction; unknown metrics refused."""

import numpy as np
import pytest

from aufeat.evaluation.intervals import paired_difference


@pytest.fixture
def intensity():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 6, (100, 2)).astype(float)
    good = truth + rng.normal(0, 0.2, truth.shape)  # small errors
    bad = truth + rng.normal(0, 1.5, truth.shape)  # large errors
    return truth, good, bad, np.repeat(np.arange(10), 10)


def test_a_lower_error_counts_as_a_better(intensity):
    truth, good, bad, people = intensity
    mae = paired_difference("au-intensity", truth, good, bad, people, metric="mean_mae",
                            n_resamples=200)
    icc = paired_difference("au-intensity", truth, good, bad, people, metric="mean_icc",
                            n_resamples=200)
    assert mae["difference"] < -0.5  # A's error is far lower: A is better on every draw
    assert mae["share_a_better"] == 1.0
    assert icc["share_a_better"] == 1.0
    swapped = paired_difference("au-intensity", truth, bad, good, people, metric="mean_mae",
                                n_resamples=200)
    assert swapped["share_a_better"] == 0.0


def test_an_unknown_metric_is_refused_with_the_task_s_metrics(intensity):
    truth, good, bad, people = intensity
    with pytest.raises(ValueError, match=r"no metric 'mean_rmse'.*mean_icc, mean_pcc, "
                                         r"mean_ccc, mean_mae$"):
        paired_difference("au-intensity", truth, good, bad, people, metric="mean_rmse")
    labels = np.array(["happy", "sad"] * 20)
    with pytest.raises(ValueError, match=r"accuracy, balanced_accuracy, macro_f1$"):
        paired_difference("emotion", labels, labels, labels, np.repeat(np.arange(10), 4),
                          metric="roc_auc_ovr")
