"""Meta columns of only 'none' / 'NA' words stay text; all-NaN number columns stay NaN."""

import numpy as np

from aufeat.datasets import FaceDataset, load_manifest


def test_text_columns_of_missing_words_stay_text(tmp_path):
    ds = FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=["a", "b"],
                     meta={"glasses": ["none", "none"], "country": ["NA", "NA"],
                           "score": [1.5, np.nan]})
    back = load_manifest(ds.to_manifest(tmp_path / "m.csv"))
    assert back.meta["glasses"].tolist() == ["none", "none"]
    assert back.meta["country"].tolist() == ["NA", "NA"]
    assert back.meta["score"][0] == 1.5
    assert np.isnan(back.meta["score"][1])


def test_all_nan_number_columns_stay_numbers(tmp_path):
    ds = FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=["a", "b"],
                     meta={"score": [np.nan, np.nan]})
    back = load_manifest(ds.to_manifest(tmp_path / "m.csv"))
    assert back.meta["score"].dtype.kind == "f"
    assert np.isnan(back.meta["score"]).all()
