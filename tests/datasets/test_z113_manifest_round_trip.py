"""Review Z113: to_manifest -> load_manifest gives back bool meta (as 1/0), bytes meta (as
its UTF-8 text) and fractional AU values (bit for bit)."""

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_manifest


def _back(tmp_path, ds):
    return load_manifest(ds.to_manifest(tmp_path / "m.csv"))


def test_bool_meta_comes_back_as_0_1_that_selects_the_same_rows(tmp_path):
    glasses = np.array([True, False, True, False])
    ds = FaceDataset(images=np.zeros((4, 8, 8), np.uint8), subject=["a", "b", "c", "d"],
                     meta={"glasses": glasses})
    back = _back(tmp_path, ds).meta["glasses"]
    assert back.dtype.kind == "i"
    assert back.tolist() == [1, 0, 1, 0]
    np.testing.assert_array_equal(back.astype(bool), glasses)


def test_bytes_meta_comes_back_as_its_utf8_text(tmp_path):
    # h5py reads text datasets as bytes ('S' arrays); str() wrote "b'T1'"
    take = np.array([b"T1", "Mü".encode()])
    ds = FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=[b"s1", b"s2"],
                     meta={"take": take})
    back = _back(tmp_path, ds)
    assert back.meta["take"].tolist() == ["T1", "Mü"]
    assert back.subject.tolist() == ["s1", "s2"]


def test_bytes_meta_that_is_not_utf8_is_refused_before_writing(tmp_path):
    ds = FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=["a", "b"],
                     meta={"take": np.array([b"T1", "Mü".encode("latin-1")])})
    with pytest.raises(ValueError, match=r"meta column 'take': row 1's value b'M\\xfc' is bytes "
                                         r"that are not UTF-8 text.*decode the column"):
        ds.to_manifest(tmp_path / "out" / "m.csv")
    assert not (tmp_path / "out").exists()


def test_fractional_au_values_read_back_equal(tmp_path):
    coders = np.array([[1, 0, 0], [2, 2, 3], [4, 3, 3]], float)
    aus = np.column_stack([coders.mean(axis=1), [0.0, 1.0, np.nan]])  # 1/3, 7/3, 10/3
    ds = FaceDataset(images=np.zeros((3, 8, 8), np.uint8), subject=["a", "b", "c"], aus=aus,
                     au_names=["AU12", "AU6"])
    back = _back(tmp_path, ds)
    np.testing.assert_array_equal(back.aus, ds.aus)  # bit for bit, NaN where not coded
    rows = (tmp_path / "m.csv").read_text().splitlines()[1:]
    assert [row.split(",")[4] for row in rows] == ["0", "1", ""]  # whole numbers as before
