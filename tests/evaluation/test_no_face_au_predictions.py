"""A NaN AU prediction (FaceModel's answer for an image without a face) is scored as evaluate
scores such an item: intensity 0, AU absent, its score ranked last.

One faceless test image once made every intensity metric of the AU metrics and of their
intervals NaN (mean ICC, r and MAE NaN, n_aus 0), while the occurrence metrics read the
same NaN as 'absent' and roc_auc refused it ('Input contains NaN').
"""

import numpy as np
import pytest

from aufeat import AURegressor, FaceModel
from aufeat.evaluation.intervals import bootstrap_intervals, paired_difference
from aufeat.evaluation.metrics import au_intensity_metrics, au_occurrence_metrics

NAMES = ["AU6", "AU12"]


@pytest.fixture(scope="module")
def faceless():
    """Labels and FaceModel predictions of 10 test images, the first without a face."""
    rng = np.random.default_rng(0)
    y = rng.integers(0, 6, (40, 2)).astype(float)
    X = y @ rng.normal(size=(2, 5)) + rng.normal(scale=0.3, size=(40, 5))
    model = FaceModel(AURegressor("ridge"), normalize="none").fit(X[:30], y[:30])
    X_test = X[30:].copy()
    X_test[0] = np.nan  # no face found: FaceModel predicts NaN for it
    pred = model.predict(X_test)
    assert np.isnan(pred[0]).all()
    assert not np.isnan(pred[1:]).any()
    return y[30:], pred


def test_intensity_metrics_score_no_face_as_intensity_0(faceless):
    truth, pred = faceless
    m = au_intensity_metrics(truth, pred, NAMES)
    zero = au_intensity_metrics(truth, np.nan_to_num(pred), NAMES)
    assert m["n_aus"] == 2
    assert np.isfinite([m["mean_icc"], m["mean_pcc"], m["mean_mae"]]).all()
    assert m == zero
    assert m["per_au"]["AU12"]["support"] == 10  # the faceless image counts


def test_intensity_intervals_score_no_face_as_intensity_0(faceless):
    truth, pred = faceless
    people = np.repeat(np.arange(5), 2)
    ci = bootstrap_intervals("au-intensity", truth, pred, people, au_names=NAMES,
                             n_resamples=200)
    zero = bootstrap_intervals("au-intensity", truth, np.nan_to_num(pred), people,
                               au_names=NAMES, n_resamples=200)
    assert np.isfinite(ci["mean_icc"]).all()
    assert ci == zero
    d = paired_difference("au-intensity", truth, pred, np.nan_to_num(pred), people,
                          au_names=NAMES, n_resamples=50)
    assert d["difference"] == 0
    assert d["interval"] == [0.0, 0.0]


def test_occurrence_metrics_score_no_face_as_absent_and_rank_its_score_last():
    truth = np.array([[1, 0], [1, 1], [0, 1], [0, 0]], float)
    pred = np.array([[np.nan, np.nan], [1, 1], [0, 1], [0, 0]])
    scores = np.array([[np.nan, np.nan], [0.9, 0.8], [0.2, 0.7], [0.1, 0.3]])
    m = au_occurrence_metrics(truth, pred, NAMES, scores=scores)
    assert m["per_au"]["AU6"]["recall"] == 0.5  # the faceless positive is missed
    # AU6: the faceless positive ranks below both negatives, AU12: its negative ranks last
    assert m["per_au"]["AU6"]["roc_auc"] == 0.5
    assert m["per_au"]["AU12"]["roc_auc"] == 1.0
    ci = bootstrap_intervals("au-occurrence", truth, pred, [0, 0, 1, 1], au_names=NAMES,
                             n_resamples=20)
    assert ci == bootstrap_intervals("au-occurrence", truth, np.nan_to_num(pred), [0, 0, 1, 1],
                                     au_names=NAMES, n_resamples=20)
