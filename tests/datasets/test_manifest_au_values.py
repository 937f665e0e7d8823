"""to_manifest refuses AU values load_manifest would refuse, before writing anything."""

import cv2
import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_manifest
from aufeat.datasets.errors import DatasetError


def _dataset(value):
    return FaceDataset(images=np.zeros((3, 8, 8), np.uint8), subject=["a", "b", "c"],
                       aus=np.array([[1.0, 0.0], [2.0, value], [np.nan, 3.0]]),
                       au_names=["AU6", "AU12"])


@pytest.mark.parametrize("value", [9.0, -1.0, 5.5, np.inf])
def test_an_au_value_the_reader_refuses_is_refused_before_writing(tmp_path, value):
    # what load_manifest says of the same value in a hand-written manifest
    cv2.imwrite(str(tmp_path / "x.png"), np.zeros((8, 8), np.uint8))
    (tmp_path / "hand.csv").write_text(f"path,subject,AU12\nx.png,a,{value:.10g}\n")
    with pytest.raises(DatasetError, match="AU12 value"):
        load_manifest(tmp_path / "hand.csv")
    with pytest.raises(ValueError, match=rf"AU12 value '{value:.10g}' is not 0/1 or an intensity "
                       r"0-5 in row 1: .*'not coded'.*NaN"):
        _dataset(value)  # FaceDataset refuses it as the reader does
    ds = _dataset(0.0)
    ds.aus[1, 1] = value  # changed after the checks of FaceDataset
    with pytest.raises(ValueError, match=rf"AU12 value '{value:.10g}' is not 0/1 or an intensity "
                       r"0-5 in row 1 .*load_manifest would refuse.*NaN.*not coded"):
        ds.to_manifest(tmp_path / "out" / "m.csv")
    assert not (tmp_path / "out").exists()  # no image, no CSV


@pytest.mark.parametrize("value", [0.0, 1.0, 4.5, 5.0])
def test_values_in_range_and_uncoded_cells_read_back(tmp_path, value):
    back = load_manifest(_dataset(value).to_manifest(tmp_path / "m.csv"))
    np.testing.assert_array_equal(back.aus, _dataset(value).aus)
