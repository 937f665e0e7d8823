"""FaceDataset field checks: 0-d array sizes, DataFrame AUs without text column names."""
import numpy as np
import pandas as pd
import pytest

from aufeat.datasets import FaceDataset


def _ds(**kw):
    return FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=["a", "b"], **kw)


def test_load_images_takes_a_0d_array_size():
    ds = _ds()
    assert ds.load_images(size=np.array(5)).shape == ds.load_images(size=5).shape == (2, 5, 5)
    assert ds.load_images(size=np.array(6.0)).shape == (2, 6, 6)
    with pytest.raises(ValueError, match="positive whole number"):
        ds.load_images(size=np.array(4.5))


def test_dataframe_aus_with_integer_columns_need_au_names():
    aus = pd.DataFrame([[1.0, 0.0], [0.0, 2.0]])  # pd.read_csv(..., header=None)
    with pytest.raises(ValueError, match="au_names"):
        _ds(aus=aus)
    assert _ds(aus=aus, au_names=["AU1", "AU2"]).au_names == ("AU1", "AU2")
    named = pd.DataFrame({"AU1": [1.0, 0.0], "AU12": [0.0, 2.0]})
    assert _ds(aus=named).au_names == ("AU1", "AU12")
