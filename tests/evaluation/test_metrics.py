"""Metrics against textbook formulas and published worked examples."""

import numpy as np
import pytest
from sklearn.metrics import f1_score

from aufeat.evaluation.metrics import (
    _icc_3_1_matrix,
    au_intensity_metrics,
    au_occurrence_metrics,
    ccc,
    emotion_metrics,
    icc_3_1,
    pearson,
)

# Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges.
SHROUT_FLEISS = np.array([
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
], dtype=float)


def test_icc_3_1_matches_shrout_fleiss_worked_example():
    # The paper reports ICC(3,1) = .71 for this table.
    assert _icc_3_1_matrix(SHROUT_FLEISS) == pytest.approx(0.7148, abs=5e-4)


def test_icc_3_1_two_raters_from_anova_formula(rng):
    truth = rng.integers(0, 6, 50).astype(float)
    pred = truth + rng.normal(0, 1, 50)
    x = np.column_stack([truth, pred])
    n, k = x.shape
    # textbook two-way ANOVA written out independently
    row_means, col_means, grand = x.mean(1), x.mean(0), x.mean()
    bms = k * np.sum((row_means - grand) ** 2) / (n - 1)
    residual = x - row_means[:, None] - col_means[None, :] + grand
    ems = np.sum(residual ** 2) / ((n - 1) * (k - 1))
    assert icc_3_1(truth, pred) == pytest.approx((bms - ems) / (bms + (k - 1) * ems))


def test_ccc_from_lin_formula(rng):
    x = rng.normal(2, 1, 100)
    y = 0.5 * x + rng.normal(1, 0.5, 100)
    sxy = np.cov(x, y, bias=True)[0, 1]
    expected = 2 * sxy / (x.var() + y.var() + (x.mean() - y.mean()) ** 2)
    assert ccc(x, y) == pytest.approx(expected)
    assert ccc(x, x) == pytest.approx(1.0)
    assert ccc(x, x + 1) < pearson(x, x + 1)  # CCC penalises the offset, r does not


def test_pearson_matches_numpy_and_is_nan_for_constants(rng):
    x, y = rng.random(30), rng.random(30)
    assert pearson(x, y) == pytest.approx(np.corrcoef(x, y)[0, 1])
    assert np.isnan(pearson(x, np.ones(30)))
    assert np.isnan(pearson(np.arange(7.0), np.full(7, 0.1)))  # mean(0.1 x 7) is not 0.1


def test_emotion_metrics_agree_with_sklearn_and_count_correctly():
    y_true = ["happy", "sad", "sad", "anger", "anger", "anger"]
    y_pred = ["happy", "sad", "anger", "anger", "anger", "sad"]
    m = emotion_metrics(y_true, y_pred, labels=["anger", "happy", "sad"])
    assert m["accuracy"] == pytest.approx(4 / 6)
    assert m["macro_f1"] == pytest.approx(f1_score(y_true, y_pred, average="macro"))
    assert m["confusion_matrix"] == [[2, 0, 1], [0, 1, 0], [1, 0, 1]]
    assert m["per_class"]["sad"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert m["balanced_accuracy"] == pytest.approx((2 / 3 + 1 + 1 / 2) / 3)


def test_emotion_roc_auc_perfect_scores():
    y = np.array(["a", "b", "c", "a"])
    scores = np.eye(3)[[0, 1, 2, 0]]
    assert emotion_metrics(y, y, scores=scores, score_labels=["a", "b", "c"])[
        "roc_auc_ovr"] == pytest.approx(1.0)


def test_emotion_roc_auc_columns_are_the_model_s_classes():
    y = np.array(["a", "c", "c", "a"])  # class b is in the model, not in this fold
    scores = np.eye(3)[[0, 2, 2, 0]]
    classes = np.array(["a", "b", "c"])  # model.classes_ as it comes, an array
    assert emotion_metrics(y, y, scores=scores, score_labels=classes)[
        "roc_auc_ovr"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match=r"score_labels=model\.classes_"):
        emotion_metrics(y, y, scores=scores)  # 3 columns, 2 labels seen: which is which?
    integers = emotion_metrics([0, 2, 2, 0], [0, 2, 2, 0], scores=scores, score_labels=[0, 1, 2])
    assert integers["roc_auc_ovr"] == pytest.approx(1.0)


def test_au_occurrence_skips_uncoded_and_absent_aus():
    y_true = np.array([[1, 0, np.nan], [1, 0, 1], [0, 0, 0]])
    y_pred = np.array([[1, 1, 1], [0, 0, 1], [0, 0, 1]])
    m = au_occurrence_metrics(y_true, y_pred, ["AU1", "AU2", "AU4"])
    assert m["per_au"]["AU1"]["f1"] == pytest.approx(2 / 3)
    assert np.isnan(m["per_au"]["AU2"]["f1"])  # never present: F1 undefined
    assert m["per_au"]["AU4"]["support"] == 1  # the NaN row is not counted
    assert m["per_au"]["AU4"]["precision"] == pytest.approx(0.5)
    assert m["n_aus"] == 2
    assert m["mean_f1"] == pytest.approx((2 / 3 + 2 / 3) / 2)


def test_au_intensity_means_and_shape_errors(rng):
    truth = rng.integers(0, 6, (40, 3)).astype(float)
    pred = np.clip(truth + rng.normal(0, 0.5, truth.shape), 0, 5)
    m = au_intensity_metrics(truth, pred, ["AU6", "AU12", "AU25"])
    assert m["mean_mae"] == pytest.approx(np.abs(truth - pred).mean())
    assert m["mean_icc"] == pytest.approx(np.mean([icc_3_1(truth[:, j], pred[:, j])
                                                   for j in range(3)]))
    with pytest.raises(ValueError, match="same shape"):
        au_intensity_metrics(truth, pred[:, :2])
