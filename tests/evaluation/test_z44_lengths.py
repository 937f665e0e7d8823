"""Predictions and subjects without one row per y_true row are refused by name."""

import numpy as np
import pytest

from aufeat.evaluation import (
    au_occurrence_metrics,
    bootstrap_intervals,
    emotion_metrics,
    paired_difference,
)

Y = np.array(["a", "b"] * 10)
PEOPLE = np.repeat(np.arange(5), 4)
AUS = np.ones((20, 2))


@pytest.mark.parametrize(("call", "says"), [
    (lambda: bootstrap_intervals("emotion", Y, Y, PEOPLE[:-2]), "subjects has 18 rows"),
    (lambda: bootstrap_intervals("emotion", Y, Y, np.r_[PEOPLE, [9, 9]]), "subjects has 22 rows"),
    (lambda: bootstrap_intervals("emotion", Y, Y[:-2], PEOPLE), "y_pred has 18 rows"),
    (lambda: emotion_metrics(Y, Y[:-2]), "y_pred has 18 rows"),
    (lambda: paired_difference("emotion", Y, Y, Y[:-1], PEOPLE), "pred_b has 19 rows"),
    (lambda: paired_difference("emotion", Y, Y[:-1], Y, PEOPLE), "pred_a has 19 rows"),
    (lambda: paired_difference("emotion", Y, Y, Y, PEOPLE[:-1]), "subjects has 19 rows"),
    (lambda: bootstrap_intervals("au-occurrence", AUS, AUS, PEOPLE[:-3]), "subjects has 17 rows"),
    (lambda: bootstrap_intervals("au-intensity", AUS, AUS[:-1], PEOPLE), "y_pred has 19 rows"),
    (lambda: au_occurrence_metrics(AUS, AUS, subjects=PEOPLE[:-3]), "subjects has 17 rows"),
])
def test_a_length_mismatch_names_the_argument(call, says):
    with pytest.raises(ValueError, match=says + r" but y_true has 20; give one .* per item"):
        call()
