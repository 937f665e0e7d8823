"""An AU present in every evaluated image stays out of the AU-occurrence headline.

A model that always says "present" scores F1 1.0 on it: a ``--cross`` target that codes an
AU only where it shows put that AU alone into ``headline_aus`` (mean F1 0.800 where the
six real AUs averaged 0.566), and ``evaluate`` averaged it with the others.
"""

import numpy as np

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
