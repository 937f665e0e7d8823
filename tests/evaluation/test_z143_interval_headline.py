"""bootstrap_intervals' default occurrence headline is the AUs au_occurrence_metrics averages.

It averaged every AU, so an AU with 2 positives (outside the point value's ``mean_f1``) pulled
the interval down to [0.36, 0.83] around a point value of 0.81; docs/results.md says the
interval's ``mean_f1`` is over ``headline_aus``.
"""

import numpy as np

from aufeat.evaluation import au_occurrence_metrics, bootstrap_intervals, paired_difference


def _labels():
    rng = np.random.default_rng(0)
    people = np.repeat(np.arange(10), 10)
    truth = np.zeros((100, 2))
    truth[rng.random(100) < 0.4, 0] = 1
    truth[[0, 50], 1] = 1  # AU2: 2 positives, not in the headline
    prediction = truth.copy()
    prediction[::7, 0] = 1 - prediction[::7, 0]
    prediction[:, 1] = 0
    return truth, prediction, people


def test_the_default_interval_averages_the_point_values_aus():
    truth, prediction, people = _labels()
    point = au_occurrence_metrics(truth, prediction, ["AU1", "AU2"], subjects=people)
    assert point["headline_aus"] == ["AU1"]
    default = bootstrap_intervals("au-occurrence", truth, prediction, people,
                                  au_names=["AU1", "AU2"], n_resamples=200)
    given = bootstrap_intervals("au-occurrence", truth, prediction, people,
                                au_names=["AU1", "AU2"], n_resamples=200, headline_aus=["AU1"])
    assert default["mean_f1"] == given["mean_f1"]
    assert default["mean_f1"][0] <= point["mean_f1"] <= default["mean_f1"][1]
    assert default["mean_f1"][0] > 0.6


def test_the_default_paired_difference_is_over_the_same_aus():
    truth, prediction, people = _labels()
    other = prediction.copy()
    other[:, 1] = truth[:, 1]  # better on AU2 alone, which the headline leaves out
    d = paired_difference("au-occurrence", truth, prediction, other, people,
                          au_names=["AU1", "AU2"], n_resamples=100)
    assert d["difference"] == 0.0
