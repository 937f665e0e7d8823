"""CK+ copies that differ from the corpus as distributed: duplicates, lost frames, odd case."""


import numpy as np
import pytest

from aufeat.datasets import DatasetError, load_ckplus


def test_ckplus_refuses_an_au_listed_twice_in_a_facs_file(ckplus_root):
    facs = ckplus_root / "FACS" / "S005" / "002" / "S005_002_00000003_facs.txt"
    for second in ("0", "4"):  # disagreeing (4 became NaN) or repeated: both refused
        facs.write_text(f"   1.2e+01   4.0e+00\n   6.0e+00   3.0e+00\n   1.2e+01   {second}\n")
        with pytest.raises(DatasetError, match=r"AU 12 is listed twice \(also on line 1\)") \
                as info:
            load_ckplus(ckplus_root, au_values="intensity")
        assert (info.value.path, info.value.line) == (str(facs), 3)


def test_ckplus_reads_label_files_whose_suffix_has_another_case(ckplus_root):
    expected = load_ckplus(ckplus_root, au_values="intensity")
    for part in ("Emotion", "FACS"):
        for label in (ckplus_root / part).rglob("*.txt"):
            label.rename(label.with_name(label.name.replace(f"_{part.lower()}.txt",
                                                            f"_{part}.TXT")))
    ds = load_ckplus(ckplus_root, au_values="intensity")
    assert ds.meta["sequence"].tolist() == expected.meta["sequence"].tolist()
    assert ds.emotion.tolist() == expected.emotion.tolist()
    np.testing.assert_array_equal(ds.aus, expected.aus)
    # both spellings of one label file in one folder: which one is meant is not known
    folder = ckplus_root / "Emotion" / "S005" / "001"
    (folder / "S005_001_00000004_emotion.txt").write_text("   5.0000000e+00\n")
    with pytest.raises(DatasetError, match="2 label files of sequence S005_001"):
        load_ckplus(ckplus_root)
