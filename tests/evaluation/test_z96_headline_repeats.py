"""headline_aus naming an AU twice is refused: the point means count each AU once, while the
intervals and paired differences would weigh it twice (a point outside its own interval)."""

import numpy as np
import pytest

from aufeat.evaluation.intervals import bootstrap_intervals, paired_difference
from aufeat.evaluation.metrics import au_occurrence_metrics

NAMES = ["AU1", "AU2"]
REPEATED = ["AU1", "AU1", "AU2"]  # a copy-paste slip


@pytest.fixture
def occurrence():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, (200, 2)).astype(float)
    pred = truth.copy()
    pred[:, 1] = rng.integers(0, 2, 200)  # AU1 perfect, AU2 at chance
    return truth, pred, np.repeat(np.arange(20), 10)


def test_a_repeated_headline_au_is_refused_by_the_metrics(occurrence):
    truth, pred, _ = occurrence
    with pytest.raises(ValueError, match=r"headline_aus: AU1 named more than once in "
                                         r"\['AU1', 'AU1', 'AU2'\]; name each AU"):
        au_occurrence_metrics(truth, pred, NAMES, headline_aus=REPEATED)


def test_a_repeated_headline_au_is_refused_by_the_intervals(occurrence):
    truth, pred, people = occurrence
    with pytest.raises(ValueError, match=r"headline_aus: AU1 named more than once"):
        bootstrap_intervals("au-occurrence", truth, pred, people, au_names=NAMES,
                            headline_aus=REPEATED, n_resamples=10)
    with pytest.raises(ValueError, match=r"headline_aus: AU1 named more than once"):
        paired_difference("au-occurrence", truth, pred, np.zeros_like(pred), people,
                          au_names=NAMES, headline_aus=REPEATED, n_resamples=10)


def test_each_au_once_keeps_the_point_inside_its_interval(occurrence):
    truth, pred, people = occurrence
    point = au_occurrence_metrics(truth, pred, NAMES, headline_aus=["AU1", "AU2"])["mean_f1"]
    low, high = bootstrap_intervals("au-occurrence", truth, pred, people, au_names=NAMES,
                                    headline_aus=["AU1", "AU2"], n_resamples=200)["mean_f1"]
    assert low <= point <= high
