"""A DataFrame of AU predictions is paired with the labels by its column names, not by position."""

import numpy as np
import pandas as pd
import pytest

from aufeat.evaluation.intervals import bootstrap_intervals, paired_difference
from aufeat.evaluation.metrics import au_intensity_metrics, au_occurrence_metrics


@pytest.fixture
def truth():
    return pd.DataFrame({"AU1": [0, 1, 2, 3, 4, 5], "AU12": [5, 4, 3, 2, 1, 0]}, dtype=float)


PEOPLE = [0, 0, 0, 1, 1, 1]


def test_reordered_prediction_columns_are_scored_by_name(truth):
    got = au_intensity_metrics(truth, truth[["AU12", "AU1"]])
    assert list(got["per_au"]) == ["AU1", "AU12"]
    assert got["mean_mae"] == 0.0
    assert [m["pcc"] for m in got["per_au"].values()] == pytest.approx([1.0, 1.0])


def test_reordered_occurrence_predictions_are_scored_by_name(truth):
    occurrence = (truth > 2).astype(float)
    got = au_occurrence_metrics(occurrence, occurrence[["AU12", "AU1"]])
    assert {name: m["f1"] for name, m in got["per_au"].items()} == {"AU1": 1.0, "AU12": 1.0}


def test_the_intervals_read_the_prediction_columns_by_name(truth):
    direct = bootstrap_intervals("au-intensity", truth, truth, PEOPLE, n_resamples=20)
    reordered = bootstrap_intervals("au-intensity", truth, truth[["AU12", "AU1"]], PEOPLE,
                                    n_resamples=20)
    assert reordered["mean_pcc"] == direct["mean_pcc"]
    d = paired_difference("au-intensity", truth, truth[["AU12", "AU1"]], truth.to_numpy(),
                          PEOPLE, metric="mean_mae", n_resamples=20)
    assert d["difference"] == 0.0


def test_names_given_for_array_labels_order_the_prediction_frame(truth):
    got = au_intensity_metrics(truth.to_numpy(), truth[["AU12", "AU1"]], ["AU1", "AU12"])
    assert got["mean_mae"] == 0.0


def test_prediction_columns_of_other_aus_are_refused(truth):
    with pytest.raises(ValueError, match=r"lacks AU12.*holds AU25"):
        au_intensity_metrics(truth, truth.rename(columns={"AU12": "AU25"}))
    with pytest.raises(ValueError, match=r"lacks AU12"):
        bootstrap_intervals("au-intensity", truth, truth[["AU1"]], PEOPLE, n_resamples=5)


def test_an_unnamed_prediction_frame_is_read_by_position(truth):
    got = au_intensity_metrics(truth, pd.DataFrame(truth.to_numpy()))
    assert got["mean_mae"] == 0.0


def test_a_prediction_frame_of_array_labels_without_names_is_read_by_position(truth):
    got = au_intensity_metrics(truth.to_numpy(), truth)
    assert list(got["per_au"]) == ["output0", "output1"]
    assert got["mean_mae"] == 0.0


def test_a_score_frame_is_read_by_name_as_the_predictions_are():
    rng = np.random.default_rng(0)
    truth = pd.DataFrame({"AU6": rng.integers(0, 2, 60), "AU12": rng.integers(0, 2, 60)})
    # perfect for AU6, inverted for AU12; the model's CSV holds AU12 first
    score = pd.DataFrame({"AU12": -truth["AU12"] + rng.normal(0, 0.1, 60),
                          "AU6": truth["AU6"] + rng.normal(0, 0.1, 60)})
    got = au_occurrence_metrics(truth, (score > 0.5).astype(int), scores=score)
    in_order = au_occurrence_metrics(truth, (score > 0.5).astype(int)[["AU6", "AU12"]],
                                     scores=score[["AU6", "AU12"]].to_numpy())
    assert got["per_au"] == in_order["per_au"]
    assert got["per_au"]["AU6"]["roc_auc"] == 1.0
    assert got["per_au"]["AU12"]["roc_auc"] == 0.0
    with pytest.raises(ValueError, match=r"lacks AU6"):
        au_occurrence_metrics(truth, truth, scores=score.rename(columns={"AU6": "AU25"}))


def test_predictions_named_as_the_given_au_names_are_read_by_them(truth):
    occurrence = (truth > 2).astype(float)
    renamed = occurrence.rename(columns={"AU1": "brow", "AU12": "smile"})
    got = au_occurrence_metrics(occurrence, renamed[["smile", "brow"]],
                                au_names=["brow", "smile"])
    assert {name: m["f1"] for name, m in got["per_au"].items()} == {"brow": 1.0, "smile": 1.0}
    intervals = bootstrap_intervals("au-intensity", truth, truth.set_axis(
        ["a", "b"], axis=1)[["b", "a"]], PEOPLE, au_names=["a", "b"], n_resamples=5)
    assert intervals["mean_mae"] == [0.0, 0.0]


def test_unnamed_label_frames_read_named_predictions_by_position(truth):
    occurrence = (truth > 2).astype(float)
    got = au_occurrence_metrics(pd.DataFrame(occurrence.to_numpy()), occurrence)
    assert {name: m["f1"] for name, m in got["per_au"].items()} == {0: 1.0, 1: 1.0}
