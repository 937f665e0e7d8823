"""paired_difference's share_a_better: over the draws where the metric exists, as its interval."""

import numpy as np
import pytest

from aufeat.evaluation.intervals import paired_difference, subject_resample_weights


def _one_person_shows_the_au():
    people = np.repeat(["p0", "p1", "p2", "p3"], 5)
    truth = np.zeros((20, 1))
    truth[:3, 0] = 1  # only p0 shows the AU: a draw without p0 has no F1
    better = truth.copy()
    worse = truth.copy()
    worse[0, 0] = 0
    return people, truth, better, worse


def test_share_a_better_counts_only_draws_where_the_metric_exists():
    people, truth, better, worse = _one_person_shows_the_au()
    got = paired_difference("au-occurrence", truth, better, worse, people, au_names=["AU12"],
                            n_resamples=500, random_state=3)
    weights = np.vstack(list(subject_resample_weights(4, 500, random_state=3)))
    with_p0 = int((weights[:, 0] > 0).sum())  # p0 is people[0] after sorting
    assert 0 < with_p0 < 500
    assert got["n_defined"] == with_p0
    assert got["interval"][0] > 0  # A is better on every draw that has an F1 ...
    assert got["share_a_better"] == 1.0  # ... so its share is 1, not with_p0 / 500
    swapped = paired_difference("au-occurrence", truth, worse, better, people,
                                au_names=["AU12"], n_resamples=500, random_state=3)
    assert swapped["share_a_better"] == 0.0


def test_share_a_better_is_unchanged_when_every_draw_is_defined():
    rng = np.random.default_rng(1)
    truth = np.array(["happy", "sad"] * 30)
    a = np.where(rng.random(60) < 0.8, truth, "sad")
    b = np.where(rng.random(60) < 0.6, truth, "happy")
    people = np.repeat(np.arange(12), 5)  # ids sorted as text: 0, 1, 10, 11, 2, ...
    got = paired_difference("emotion", truth, a, b, people, n_resamples=300, random_state=0)
    _, people = np.unique(people.astype(str), return_inverse=True)
    weights = np.vstack(list(subject_resample_weights(12, 300, random_state=0)))
    per_person = np.zeros((12, 2))
    np.add.at(per_person, people, np.column_stack([a == truth, b == truth]))
    accuracy = weights @ per_person / weights.sum(axis=1, keepdims=True) / 5
    assert got["n_defined"] == 300
    assert got["share_a_better"] == pytest.approx(np.mean(accuracy[:, 0] > accuracy[:, 1]))


def test_share_a_better_is_nan_when_no_draw_defines_the_metric():
    people = np.repeat(["p0", "p1"], 3)
    truth = np.zeros((6, 1))  # no positive anywhere: no F1 on any draw
    got = paired_difference("au-occurrence", truth, truth, truth, people, au_names=["AU1"],
                            n_resamples=50)
    assert got["n_defined"] == 0
    assert np.isnan(got["share_a_better"])
