"""to_manifest refuses, before writing anything, what it could not write faithfully."""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_manifest


def test_float_pixels_on_the_255_scale_are_refused(tmp_path):
    pixels = np.random.default_rng(0).integers(0, 256, (2, 8, 8)).astype(float)
    ds = FaceDataset(images=pixels, subject=["a", "b"])
    with pytest.raises(ValueError, match=r"row 0.*255"):
        ds.to_manifest(tmp_path / "m.csv")
    assert list(tmp_path.iterdir()) == []


def test_float_pixels_in_unit_range_are_written(tmp_path):
    ds = FaceDataset(images=np.full((1, 8, 8), 0.5), subject=["a"])
    assert int(load_manifest(ds.to_manifest(tmp_path / "m.csv"))[0].mean()) == 128


def test_a_folder_as_manifest_path_is_refused_before_writing(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    ds = FaceDataset(images=np.zeros((1, 8, 8), np.uint8), subject=["a"])
    with pytest.raises(ValueError, match=r"is a folder.*faces\.csv"):
        ds.to_manifest(folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert list(folder.iterdir()) == []
