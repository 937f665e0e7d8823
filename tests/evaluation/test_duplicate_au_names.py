"""An AU name given twice is refused: results are keyed by AU name, and one column vanished.

FaceDataset(..., au_names=["AU1", "AU12", "AU12"]) was accepted and evaluate then reported
per_au ['AU1', 'AU12'] and n_aus 2 for 3 columns, without a word.
"""

import numpy as np
import pytest

import aufeat
from aufeat.evaluation.intervals import bootstrap_intervals
from aufeat.evaluation.metrics import au_intensity_metrics, au_occurrence_metrics

NAMES = ["AU1", "AU12", "AU12"]


def test_a_face_dataset_refuses_an_au_name_given_twice():
    aus = np.zeros((4, 3))
    with pytest.raises(ValueError, match=r"au_names: AU12 named more than once"):
        aufeat.FaceDataset(images=np.zeros((4, 8, 8, 3), np.uint8), subject=[0, 0, 1, 1],
                           aus=aus, au_names=NAMES)
    ok = aufeat.FaceDataset(images=np.zeros((4, 8, 8, 3), np.uint8), subject=[0, 0, 1, 1],
                            aus=aus, au_names=["AU1", "AU12", "AU15"])
    assert ok.au_names == ("AU1", "AU12", "AU15")


def test_the_au_metrics_and_intervals_refuse_an_au_name_given_twice():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 3, (12, 3)).astype(float)
    pred = truth + rng.normal(scale=0.5, size=truth.shape)
    people = np.repeat(np.arange(4), 3)
    for score in (lambda: au_intensity_metrics(truth, pred, NAMES),
                  lambda: au_occurrence_metrics(truth > 0, pred > 0.5, NAMES),
                  lambda: bootstrap_intervals("au-intensity", truth, pred, people,
                                              au_names=NAMES, n_resamples=10),
                  lambda: bootstrap_intervals("au-occurrence", truth > 0, pred > 0.5, people,
                                              au_names=NAMES, n_resamples=10)):
        with pytest.raises(ValueError, match=r"AU12 named more than once"):
            score()
    assert len(au_intensity_metrics(truth, pred, ["AU1", "AU12", "AU15"])["per_au"]) == 3
