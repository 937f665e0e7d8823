"""to_manifest refuses, before writing anything, what it could not write faithfully."""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset


def test_a_folder_as_manifest_path_is_refused_before_writing(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    ds = FaceDataset(images=np.zeros((1, 8, 8), np.uint8), subject=["a"])
    with pytest.raises(ValueError, match=r"is a folder.*faces\.csv"):
        ds.to_manifest(folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert list(folder.iterdir()) == []
