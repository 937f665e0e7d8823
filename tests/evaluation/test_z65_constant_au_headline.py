"""An AU present in every evaluated image stays out of the AU-occurrence headline.

A model that always says "present" scores F1 1.0 on it: a ``--cross`` target that codes an
AU only where it shows put that AU alone into ``headline_aus`` (mean F1 0.800 where the
six real AUs averaged 0.566), and ``evaluate`` averaged it with the others.
"""

import numpy as np
import pytest

from aufeat.evaluation.metrics import au_occurrence_metrics


def _labels(n=60, seed=0):
    rng = np.random.default_rng(seed)
    subjects = np.repeat([f"s{i}" for i in range(6)], n // 6)
    au1 = (rng.random(n) < 0.5).astype(float)
    return subjects, au1, rng


def test_an_au_present_in_every_image_is_reported_apart():
    subjects, au1, rng = _labels()
    y_true = np.column_stack([au1, np.ones_like(au1)])
    y_pred = np.column_stack([np.where(rng.random(len(au1)) < 0.8, au1, 1 - au1),
                              np.ones_like(au1)])  # AU43: "present", always right
    m = au_occurrence_metrics(y_true, y_pred, ["AU1", "AU43"], subjects=subjects)
    assert m["per_au"]["AU43"]["f1"] == 1.0
    assert m["headline_aus"] == ["AU1"]
    assert m["mean_f1"] == m["per_au"]["AU1"]["f1"] < 1.0
    assert m["mean_f1_all"] == np.mean([m["per_au"]["AU1"]["f1"], 1.0])  # reported apart


def test_fewer_than_15_images_without_it_keep_an_au_out():
    subjects, au1, _ = _labels()
    au5 = np.ones_like(au1)
    au5[:14] = 0  # 46 present, 14 absent
    y_true = np.column_stack([au1, au5])
    m = au_occurrence_metrics(y_true, y_true, ["AU1", "AU5"], subjects=subjects)
    assert m["headline_aus"] == ["AU1"]
    au5[14] = 0  # 15 absent: measured
    m = au_occurrence_metrics(np.column_stack([au1, au5]), np.column_stack([au1, au5]),
                              ["AU1", "AU5"], subjects=subjects)
    assert m["headline_aus"] == ["AU1", "AU5"]


def test_tiny_data_averages_the_aus_both_present_and_absent():
    y_true = np.array([[1, 1], [0, 1], [1, 1], [0, 1]], float)
    m = au_occurrence_metrics(y_true, np.ones_like(y_true), ["AU1", "AU43"])
    assert m["headline_aus"] == ["AU1"]
    assert m["mean_f1"] == m["per_au"]["AU1"]["f1"] < 1.0
    only = au_occurrence_metrics(y_true[:, 1:], y_true[:, 1:], ["AU43"])  # nothing else
    assert only["headline_aus"] == ["AU43"]


def _au_data(n_subjects, per_subject):
    from aufeat.datasets import FaceDataset

    rng = np.random.default_rng(1)
    n = n_subjects * per_subject
    aus = (rng.random((n, 2)) < 0.5).astype(float)
    X = rng.normal(size=(n, 6)) + aus[:, :1]
    return FaceDataset(images=np.zeros((n, 8, 8), np.uint8), aus=aus, au_names=["AU1", "AU2"],
                       subject=np.repeat([f"s{i}" for i in range(n_subjects)], per_subject),
                       name="tiny"), X


LOOSE = "no AU has 15 tested images with it from 3 people (and 15 without it)"


def test_a_headline_of_aus_below_the_rule_is_said_to_be_loose():
    """With no AU measurable, mean_f1 averaged what there was with nothing to say so."""
    from aufeat import evaluate

    data, X = _au_data(4, 4)  # 16 images: no AU has 15 positives
    with pytest.warns(UserWarning, match=r"no AU has 15 tested images"):
        result = evaluate(data, X, model="logreg", task="au-occurrence",
                          protocol="group-kfold:2", n_bootstrap=0)
    note = next(w for w in result.warnings if LOOSE in w)
    assert "2 of them with fewer (AU1, AU2)" in note
    data, X = _au_data(6, 10)  # 60 images, about 30 with each AU from 6 people
    result = evaluate(data, X, model="logreg", task="au-occurrence",
                      protocol="group-kfold:2", n_bootstrap=0)
    assert result.metrics["headline_aus"] == ["AU1", "AU2"]
    assert not any(LOOSE in w for w in result.warnings)
