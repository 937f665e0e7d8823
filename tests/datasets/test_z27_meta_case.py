"""Meta columns named like source / frame in another case round-trip through a manifest."""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_manifest
from tests.datasets.conftest import write_png


def test_frame_meta_in_another_case_is_the_frame_field(tmp_path):
    ds = FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=["a", "b"],
                     meta={"Frame": [3, 4], "Source": ["x", "y"]})
    assert ds.meta["frame"].tolist() == [3, 4]
    assert ds.meta["source"].tolist() == ["x", "y"]
    assert ds.meta["Frame"].tolist() == [3, 4]  # still under the user's own name
    assert ds.meta["Source"].tolist() == ["x", "y"]
    back = load_manifest(ds.to_manifest(tmp_path / "mem.csv"))
    assert back.meta["frame"].tolist() == [3, 4]
    assert back.meta["source"].tolist() == ["x", "y"]
    assert back.meta["Source"].tolist() == ["x", "y"]  # one column, as it was named
    part = back.subset(np.array([False, True]))  # both names again, one field
    assert part.meta["Frame"].tolist() == part.meta["frame"].tolist() == [4]


def test_sequence_meta_in_another_case_is_the_sequence_field(tmp_path):
    ds = FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=["a", "b"],
                     meta={"Sequence": ["q1", "q2"]})
    back = load_manifest(ds.to_manifest(tmp_path / "m.csv"))
    assert back.meta["sequence"].tolist() == ["q1", "q2"]


def test_hand_written_source_frame_columns_round_trip(tmp_path):
    write_png(tmp_path / "a.png", np.zeros((8, 8), np.uint8))
    (tmp_path / "m.csv").write_text("path,subject,Source,Frame\na.png,s1,cam,7\n")
    ds = load_manifest(tmp_path / "m.csv")
    assert ds.meta["frame"].tolist() == [7]
    assert ds.meta["source"].tolist() == ["cam"]
    assert ds.meta["Source"].tolist() == ["cam"]  # as the CSV names the column
    copy = ds.to_manifest(tmp_path / "copy.csv")
    assert copy.read_text().splitlines()[0] == "path,subject,sequence,Source,Frame"
    back = load_manifest(copy)
    assert back.meta["frame"].tolist() == [7]


def test_meta_keys_equal_ignoring_case_are_refused(tmp_path):
    with pytest.raises(ValueError, match="Frame"):
        FaceDataset(images=np.zeros((1, 8, 8), np.uint8), subject=["a"],
                    meta={"Frame": [1], "frame": [2]})
    ds = FaceDataset(images=np.zeros((1, 8, 8), np.uint8), subject=["a"],
                     meta={"Glasses": ["y"], "glasses": ["n"]})
    with pytest.raises(ValueError, match="Glasses"):
        ds.to_manifest(tmp_path / "m.csv")
    assert not (tmp_path / "m.csv").exists()
