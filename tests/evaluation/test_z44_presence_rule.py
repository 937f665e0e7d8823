"""An AU label is present above 0 (as FaceDataset.targets reads it); a prediction above 0.5."""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset
from aufeat.evaluation import au_occurrence_metrics, bootstrap_intervals, paired_difference

AUS = np.array([[0.0], [0.2], [0.4], [0.6], [0.0], [0.4]])  # intensities on a [0, 1] scale
PEOPLE = list("aabbcc")


def test_fractional_intensities_score_as_the_data_sets_presence():
    data = FaceDataset(images=np.zeros((6, 8, 8), np.uint8), subject=PEOPLE, aus=AUS,
                       au_names=["AU12"])
    presence, _, _ = data.targets("au-occurrence")
    pred = (AUS > 0).astype(float)  # right on every item
    direct = au_occurrence_metrics(AUS, pred, ["AU12"])
    assert direct == au_occurrence_metrics(presence, pred, ["AU12"])
    assert direct["per_au"]["AU12"] == {"f1": 1.0, "precision": 1.0, "recall": 1.0,
                                        "support": 4}
    ci = bootstrap_intervals("au-occurrence", AUS, pred, PEOPLE, au_names=["AU12"],
                             n_resamples=50)
    assert ci["mean_f1"] == [1.0, 1.0]


def test_minus_one_plus_one_labels_and_predictions_above_one_half():
    truth = np.array([[-1.0], [1.0], [1.0], [-1.0], [1.0], [-1.0]])
    pred = np.array([[0.0], [1.0], [0.4], [0.6], [0.9], [0.0]])  # present: 1.0, 0.6, 0.9
    got = au_occurrence_metrics(truth, pred, ["AU6"])["per_au"]["AU6"]
    assert got["support"] == 3
    assert got["precision"] == pytest.approx(2 / 3)
    assert got["recall"] == pytest.approx(2 / 3)
    worse = np.zeros_like(pred)
    d = paired_difference("au-occurrence", truth, pred, worse, PEOPLE, au_names=["AU6"],
                          n_resamples=20)
    assert d["difference"] == pytest.approx(2 / 3)  # no positive predicted: F1 0
