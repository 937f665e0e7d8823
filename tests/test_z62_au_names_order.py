"""A labels frame given with ``au_names`` in another order is read by name, as the predictions are.

Before, ``y_pred`` was put in ``au_names``' order while ``y_true`` kept its own, so each
AU was scored against another AU's predictions (a perfect model got PCC 0.07)."""

import numpy as np
import pandas as pd
import pytest

from aufeat.evaluation import (
    au_intensity_metrics,
    au_occurrence_metrics,
    bootstrap_intervals,
    paired_difference,
)


@pytest.fixture
def truth():
    rng = np.random.default_rng(0)
    return pd.DataFrame({"AU12": rng.integers(0, 6, 40).astype(float),
                         "AU1": rng.integers(0, 6, 40).astype(float)})


def test_intensity_metrics_pair_each_au_with_its_own_predictions(truth):
    rng = np.random.default_rng(1)
    pred = truth + rng.normal(0, 0.5, truth.shape)
    by_name = au_intensity_metrics(truth, pred, au_names=["AU1", "AU12"])
    as_given = au_intensity_metrics(truth, pred)
    assert list(by_name["per_au"]) == ["AU1", "AU12"]
    for au in ("AU1", "AU12"):
        assert by_name["per_au"][au] == pytest.approx(as_given["per_au"][au])
    assert by_name["mean_mae"] == pytest.approx(as_given["mean_mae"])


def test_occurrence_metrics_and_scores_pair_by_name(truth):
    occ = (truth > 2).astype(float)
    by_name = au_occurrence_metrics(occ, occ.copy(), au_names=["AU1", "AU12"], scores=occ.copy())
    as_given = au_occurrence_metrics(occ, occ.copy(), scores=occ.copy())
    for au in ("AU1", "AU12"):
        assert by_name["per_au"][au]["f1"] == pytest.approx(as_given["per_au"][au]["f1"])
        assert by_name["per_au"][au]["roc_auc"] == pytest.approx(as_given["per_au"][au]["roc_auc"])


def test_intervals_and_paired_difference_pair_by_name(truth):
    subjects = np.repeat(np.arange(8), 5)
    pred = truth.copy()
    kw = {"n_resamples": 50, "random_state": 0}
    by_name = bootstrap_intervals("au-intensity", truth, pred, subjects,
                                  au_names=["AU1", "AU12"], **kw)
    as_given = bootstrap_intervals("au-intensity", truth, pred, subjects, **kw)
    assert by_name["mean_pcc"] == pytest.approx(as_given["mean_pcc"])
    worse = pred * 0 + 2.0
    d_name = paired_difference("au-intensity", truth, pred, worse, subjects,
                               au_names=["AU1", "AU12"], metric="mean_mae", **kw)
    d_given = paired_difference("au-intensity", truth, pred, worse, subjects,
                                metric="mean_mae", **kw)
    assert d_name["difference"] == pytest.approx(d_given["difference"])
    assert d_name["difference"] < 0  # the exact model has the lower MAE


def test_au_names_that_do_not_name_the_label_columns_are_refused(truth):
    with pytest.raises(ValueError, match="both name AU1, at other positions"):
        au_intensity_metrics(truth, truth.to_numpy(), au_names=["AU1", "AU6"])


def test_an_unnamed_labels_frame_is_still_read_by_position(truth):
    plain = pd.DataFrame(truth.to_numpy())  # columns 0, 1: no names
    by_position = au_intensity_metrics(plain, truth.to_numpy(), au_names=["AU12", "AU1"])
    as_given = au_intensity_metrics(truth, truth.copy())
    for au in ("AU1", "AU12"):
        assert by_position["per_au"][au] == pytest.approx(as_given["per_au"][au])


def test_array_predictions_with_au_names_in_another_order_are_refused(truth):
    """An array's columns may follow au_names (a model given them) or the labels: unclear.

    An AU model given ``au_names`` reads a labels frame by those names and predicts in
    their order; one fitted without predicts in the labels' order. Named predictions are
    read by name whichever made them.
    """
    import warnings

    from sklearn.linear_model import LinearRegression

    from aufeat.estimators import AURegressor

    X = truth.to_numpy() + 0.0  # the intensities themselves: a linear model is exact
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the columns are read by name (warned about)
        model = AURegressor(LinearRegression(), au_names=["AU1", "AU12"]).fit(X, truth)
    pred = model.predict(X)  # AU1, AU12
    with pytest.raises(ValueError, match="y_pred is an array, read by position"):
        au_intensity_metrics(truth, pred, au_names=model.au_names)
    named = pd.DataFrame(pred, columns=model.au_names)
    metrics = au_intensity_metrics(truth, named, au_names=model.au_names)
    assert metrics["mean_pcc"] == pytest.approx(1.0)
    assert metrics["mean_mae"] == pytest.approx(0.0, abs=1e-9)
    assert au_intensity_metrics(truth, truth.to_numpy())["mean_pcc"] == 1.0  # y_true's order
    same = au_intensity_metrics(truth, truth.to_numpy(), au_names=["AU12", "AU1"])
    assert same["mean_pcc"] == 1.0  # au_names in the labels' order: by position, as before


@pytest.mark.parametrize("au_names", [[1, 2], [2, 4], [0, 1]])
def test_a_frame_built_from_an_array_takes_au_numbers_by_position(truth, au_names):
    plain = pd.DataFrame(truth.to_numpy())  # columns 0, 1: pandas' default, no names
    metrics = au_intensity_metrics(plain, truth.to_numpy(), au_names=au_names)
    assert list(metrics["per_au"]) == au_names
    assert metrics["mean_pcc"] == 1.0
