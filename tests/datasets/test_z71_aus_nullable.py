"""FaceDataset(aus=...) reads pandas.NA (nullable Int64 / Float64 columns) as "not coded"."""

import io

import numpy as np
import pandas as pd
import pytest

from aufeat.datasets import FaceDataset


def _labels():
    return pd.read_csv(io.StringIO("subject,emotion,AU1,AU12\ns1,happy,1,\ns2,,0,3\n"),
                       dtype_backend="numpy_nullable")


@pytest.mark.parametrize("dtype", [None, "Float64"])
def test_nullable_au_columns_read_pd_na_as_not_coded(dtype):
    labels = _labels()
    aus = labels[["AU1", "AU12"]] if dtype is None else labels[["AU1", "AU12"]].astype(dtype)
    ds = FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=labels["subject"],
                     emotion=labels["emotion"], aus=aus)
    assert ds.au_names == ("AU1", "AU12")
    np.testing.assert_array_equal(ds.aus, [[1, np.nan], [0, 3]])
    assert ds.emotion.tolist() == ["happy", ""]
    assert ds.labels()["au_coded"] == {"AU1": 2, "AU12": 1}


def test_a_list_with_pd_na_and_none_is_read_the_same():
    ds = FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=["a", "b"],
                     aus=[[1, pd.NA], [None, 2]], au_names=["AU1", "AU2"])
    np.testing.assert_array_equal(ds.aus, [[1, np.nan], [np.nan, 2]])


def test_text_in_the_aus_is_named():
    with pytest.raises(ValueError, match=r"aus: 'x' at \(1, 0\) is not a number"):
        FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=["a", "b"],
                    aus=[[1, pd.NA], ["x", 2]], au_names=["AU1", "AU2"])


def test_values_outside_0_5_are_still_refused():
    labels = _labels()
    labels.loc[1, "AU12"] = 9
    with pytest.raises(ValueError, match=r"AU12 value '9' is not 0/1 or an intensity 0-5"):
        FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=["a", "b"],
                    aus=labels[["AU1", "AU12"]])
