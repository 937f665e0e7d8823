"""AU labels as pandas nullable columns (pd.NA = not coded), as AURegressor.fit takes them."""

import numpy as np
import pandas as pd
import pytest

from aufeat.estimators import AURegressor
from aufeat.evaluation.intervals import bootstrap_intervals
from aufeat.evaluation.metrics import au_intensity_metrics, au_occurrence_metrics

PEOPLE = list("aabbccddee")


@pytest.fixture
def nullable():
    table = pd.DataFrame({"AU1": [0, 1, 2, None, 4, 5, 1, 2, 3, 0],
                          "AU12": [1, 2, 3, 4, 5, 0, 1, 2, None, 3]}).convert_dtypes()
    assert str(table.dtypes["AU1"]) == "Int64"
    return table, table.to_numpy(float, na_value=np.nan)


def test_intensity_metrics_read_pandas_na_as_not_coded(rng, nullable):
    table, floats = nullable
    X = floats[:, :1].copy()
    X[np.isnan(X)] = 0
    X = X + rng.normal(0, 1, X.shape)
    pred = AURegressor().fit(X, table).predict(X)
    got = au_intensity_metrics(table, pred)
    assert list(got["per_au"]) == ["AU1", "AU12"]  # named by the DataFrame's columns
    assert got == au_intensity_metrics(floats, pred, ["AU1", "AU12"])
    assert got["per_au"]["AU1"]["support"] == 9
    ci = bootstrap_intervals("au-intensity", table, pred, PEOPLE, n_resamples=30)
    assert ci == bootstrap_intervals("au-intensity", floats, pred, PEOPLE,
                                     au_names=["AU1", "AU12"], n_resamples=30)


def test_occurrence_metrics_read_pandas_na_as_not_coded(nullable):
    table, floats = nullable
    table, floats = (table > 1), (floats > 1).astype(float)
    floats[table.isna().to_numpy()] = np.nan
    assert str(table.dtypes["AU1"]) == "boolean"
    pred = np.nan_to_num(floats)[::-1]
    got = au_occurrence_metrics(table, pred)
    assert list(got["per_au"]) == ["AU1", "AU12"]
    assert got == au_occurrence_metrics(floats, pred, ["AU1", "AU12"])
    ci = bootstrap_intervals("au-occurrence", table, pred, PEOPLE, n_resamples=30)
    assert ci == bootstrap_intervals("au-occurrence", floats, pred, PEOPLE,
                                     au_names=["AU1", "AU12"], n_resamples=30)
