"""to_manifest refuses meta fields named like the manifest's own columns, not drops them."""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_manifest


@pytest.mark.parametrize("key", ["path", "Emotion", "SPLIT", "subject"])
def test_a_meta_field_named_like_a_core_column_is_refused_before_writing(tmp_path, key):
    ds = FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=["a", "b"],
                     meta={key: ["orig/001.jpg", "orig/002.jpg"], "age": [20, 30]})
    with pytest.raises(ValueError, match=rf"meta field\(s\) \['{key}'\] .*manifest's own "
                       r"column.*rename"):
        ds.to_manifest(tmp_path / "out" / "m.csv")
    assert not (tmp_path / "out").exists()


def test_the_sequence_field_and_other_meta_are_written(tmp_path):
    ds = FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=["a", "b"],
                     meta={"sequence": ["s1", "s2"], "source_path": ["x.jpg", "y.jpg"]})
    back = load_manifest(ds.to_manifest(tmp_path / "m.csv"))
    assert back.meta["sequence"].tolist() == ["s1", "s2"]
    assert back.meta["source_path"].tolist() == ["x.jpg", "y.jpg"]
