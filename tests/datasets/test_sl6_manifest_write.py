"""write_manifest: what a shorter rewrite leaves, and which meta values are text.

A shorter rewrite of a CSV keeps the PNGs of the rows it drops: another manifest may name
them (a selection of the manifest read back and written elsewhere, or a backup copy of
the CSV), and for images held in memory they are the only copy of the pixels. Numbers
and None in an object meta column are not text: they are written as before.
"""

import shutil
from decimal import Decimal

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_manifest
from tests.datasets.conftest import noise_faces as _faces


def test_a_shorter_rewrite_keeps_the_pngs_another_manifest_names(tmp_path):
    ds = _faces(4)
    csv = tmp_path / "m.csv"
    ds.to_manifest(csv)
    back = load_manifest(csv)
    back[2:].to_manifest(tmp_path / "test.csv")  # names m_images/m-000002/3.png as files
    shutil.copy(csv, tmp_path / "m_backup.csv")
    back[:2].to_manifest(csv)  # rows kept as files: m-000000/1.png
    for name, rows in (("test.csv", slice(2, None)), ("m_backup.csv", slice(None))):
        other = load_manifest(tmp_path / name)  # was: 'm_images/m-000002.png' not found
        np.testing.assert_array_equal(other.load_images(), ds[rows].load_images())
    _faces(2, seed=1).to_manifest(csv)  # in memory: over m-000000/1.png, the others kept
    np.testing.assert_array_equal(load_manifest(tmp_path / "test.csv").load_images(),
                                  ds[2:].load_images())


def test_a_shorter_rewrite_from_memory_keeps_them_too(tmp_path):
    ds = _faces(4)
    csv = tmp_path / "m.csv"
    ds.to_manifest(csv)
    load_manifest(csv)[3:].to_manifest(tmp_path / "other" / "last.csv")
    _faces(1, seed=1).to_manifest(csv)
    np.testing.assert_array_equal(load_manifest(tmp_path / "other" / "last.csv").load_images(),
                                  ds[3:].load_images())


def test_another_csv_of_that_name_in_a_shared_folder_is_refused_and_says_why(tmp_path):
    shared = tmp_path / "shared"
    _faces(2).to_manifest(tmp_path / "n.csv", image_dir=shared)
    with pytest.raises(ValueError, match=r"n-000000\.png already exists and is not an image "
                       r"of .*a leftover of an earlier, longer n\.csv .* or another "
                       r"manifest's in a shared image folder"):
        _faces(1).to_manifest(tmp_path / "other" / "n.csv", image_dir=shared)
    assert len(load_manifest(tmp_path / "n.csv")) == 2


def test_numbers_and_none_in_an_object_meta_column_are_not_text(tmp_path):
    dose = np.array([1, None, 1.0, 2], dtype=object)  # ints and floats decoded from JSON
    ds = FaceDataset(images=np.zeros((4, 8, 8), np.uint8), subject=list("abcd"),
                     meta={"dose": dose})
    back = load_manifest(ds.to_manifest(tmp_path / "m.csv"))
    np.testing.assert_array_equal(back.meta["dose"], [1.0, np.nan, 1.0, 2.0])


def test_text_in_an_object_meta_column_is_still_checked(tmp_path):
    take = np.array(["1.1", 7, "1.10", None], dtype=object)
    ds = FaceDataset(images=np.zeros((4, 8, 8), np.uint8), subject=list("abcd"),
                     meta={"take": take})
    with pytest.raises(ValueError, match=r"the values '1\.1' .* and '1\.10'"):
        ds.to_manifest(tmp_path / "m.csv")
    assert not (tmp_path / "m.csv").exists()


@pytest.mark.parametrize("column", [
    [1733490000123456789, None, 1733490000123456790, 1733490000123456791],  # float64 back
    ["1.0", 1, "2", None],  # text and a number the reader makes one
], ids=["long ints beside a gap", "text beside a number"])
def test_numbers_the_reader_would_merge_are_refused(tmp_path, column):
    ds = FaceDataset(images=np.zeros((4, 8, 8), np.uint8), subject=list("abcd"),
                     meta={"t": np.array(column, dtype=object)})
    with pytest.raises(ValueError, match="would both be read back by load_manifest"):
        ds.to_manifest(tmp_path / "m.csv")
    assert not (tmp_path / "m.csv").exists()


@pytest.mark.parametrize("column", [
    [Decimal("0.5"), 0.5, None, 2], [Decimal("1.0"), Decimal("1"), 2, None],
    [np.float32(0.1), 0.1, 2, None]], ids=["Decimal and float", "two Decimals", "float32"])
def test_equal_numbers_written_differently_are_not_refused(tmp_path, column):
    ds = FaceDataset(images=np.zeros((4, 8, 8), np.uint8), subject=list("abcd"),
                     meta={"t": np.array(column, dtype=object)})
    back = load_manifest(ds.to_manifest(tmp_path / "m.csv")).meta["t"]
    assert back[0] == back[1]
