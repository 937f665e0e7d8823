"""FaceDataset(au_names=...) as an array or DataFrame columns, or taken from a DataFrame."""

import numpy as np
import pandas as pd
import pytest

from aufeat.datasets import FaceDataset


def _faces(n):
    return {"images": np.zeros((n, 8, 8), np.uint8), "subject": [f"s{i}" for i in range(n)]}


@pytest.mark.parametrize("names", [lambda df: df.columns, lambda df: np.array(df.columns),
                                   lambda df: list(df.columns), lambda df: None])
def test_au_names_as_an_array_or_the_dataframe_s_columns(names):
    aus = pd.DataFrame({"AU6": [0, 2.0], "AU12": [1, 3.0]})
    ds = FaceDataset(**_faces(2), aus=aus, au_names=names(aus))
    assert ds.au_names == ("AU6", "AU12")
    np.testing.assert_array_equal(ds.aus, aus.to_numpy())


def test_au_names_still_required_with_an_array_of_aus():
    with pytest.raises(ValueError, match=r"au_names: expected 2 names.*got 0"):
        FaceDataset(**_faces(2), aus=np.zeros((2, 2)))
