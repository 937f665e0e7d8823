"""FaceDataset(aus=...): codes outside 0/1 and 0-5 (9 or -1 for "not coded") are refused."""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_manifest


def _faces(n):
    return {"images": np.zeros((n, 8, 8), np.uint8), "subject": [f"s{i}" for i in range(n)]}


@pytest.mark.parametrize(("code", "shown"), [(9, "9"), (-1, "-1"), (5.5, "5.5"),
                                             (np.inf, "inf"), (-np.inf, "-inf")])
def test_codes_outside_0_to_5_are_refused_naming_the_au_and_row(code, shown):
    aus = np.array([[1, 0], [0, 0], [code, 1], [0, code]], float)
    with pytest.raises(ValueError, match=rf"AU1 value {shown!r}.*row 2 \(and 1 more.*NaN"):
        FaceDataset(**_faces(4), aus=aus, au_names=["AU1", "AU12"])


def test_nan_and_codes_0_to_5_are_kept_as_given(tmp_path):
    aus = np.array([[1, np.nan], [0, 5], [2.5, 0]])
    ds = FaceDataset(**_faces(3), aus=aus, au_names=["AU1", "AU12"])
    np.testing.assert_array_equal(ds.aus, aus)
    assert ds.labels()["au_coded"] == {"AU1": 3, "AU12": 2}
    np.testing.assert_array_equal(load_manifest(ds.to_manifest(tmp_path / "m.csv")).aus, aus)
