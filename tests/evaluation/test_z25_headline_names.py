"""headline_aus names that are no AU column are refused, by the metrics and their intervals."""

import numpy as np
import pytest

from aufeat.evaluation.intervals import bootstrap_intervals, paired_difference
from aufeat.evaluation.metrics import au_occurrence_metrics

NAMES = ["AU1", "AU6", "AU12"]


@pytest.fixture
def occurrence():
    rng = np.random.default_rng(0)
    truth = (rng.random((40, 3)) < 0.4).astype(float)
    pred = (rng.random((40, 3)) < 0.4).astype(float)
    return truth, pred, np.repeat(np.arange(8), 5)


def test_a_known_headline_is_averaged_as_given(occurrence):
    truth, pred, _ = occurrence
    got = au_occurrence_metrics(truth, pred, NAMES, headline_aus=["AU12"])
    assert got["headline_aus"] == ["AU12"]
    assert got["mean_f1"] == got["per_au"]["AU12"]["f1"]


@pytest.mark.parametrize("headline", [["AU012"], ["AU12", "AU06"]])
def test_an_unknown_headline_au_is_refused_by_the_metrics(occurrence, headline):
    truth, pred, _ = occurrence
    with pytest.raises(ValueError, match=r"headline_aus: AU0\d+ is no AU .*AU1, AU6, AU12"):
        au_occurrence_metrics(truth, pred, NAMES, headline_aus=headline)


def test_an_unknown_headline_au_is_refused_by_the_intervals(occurrence):
    truth, pred, people = occurrence
    with pytest.raises(ValueError, match=r"headline_aus: AU012 is no AU .*AU1, AU6, AU12"):
        bootstrap_intervals("au-occurrence", truth, pred, people, au_names=NAMES,
                            headline_aus=["AU012"], n_resamples=10)
    with pytest.raises(ValueError, match=r"headline_aus: AU012 is no AU"):
        paired_difference("au-occurrence", truth, pred, truth, people, au_names=NAMES,
                          headline_aus=["AU012"], n_resamples=10)


def test_the_tiny_data_fallback_still_applies_without_a_headline(occurrence):
    truth, pred, _ = occurrence
    rule = au_occurrence_metrics(truth[:10], pred[:10], NAMES)  # no AU has 15 positives
    assert rule["headline_aus"] == [n for n in NAMES if rule["per_au"][n]["support"] > 0]
