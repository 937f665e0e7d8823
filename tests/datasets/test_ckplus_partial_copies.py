"""CK+ copies that differ from the corpus as distributed: duplicates, lost frames, odd case."""

import shutil

import numpy as np
import pytest

from aufeat.datasets import DatasetError, load_ckplus
from tests.datasets.conftest import write_png


def test_ckplus_refuses_two_files_of_one_frame(ckplus_root, gray48):
    # a converted copy beside the original: 'last:2' gave the peak twice
    seq = ckplus_root / "cohn-kanade-images" / "S005" / "001"
    png = seq / "S005_001_00000004.png"
    jpg = write_png(seq / "S005_001_00000004.jpg", gray48[0])
    with pytest.raises(DatasetError, match=r"frame 4 of sequence S005_001 twice") as info:
        load_ckplus(ckplus_root, frames="last:2")
    assert str(png) in str(info.value)
    assert str(jpg) in str(info.value)
    jpg.unlink()
    copy = write_png(seq / "S005_001_00000002 (1).png", gray48[0])  # a browser's download
    with pytest.raises(DatasetError, match=r"frame 2 of sequence S005_001 twice") as info:
        load_ckplus(ckplus_root)
    assert str(copy) in str(info.value)
    assert str(seq / "S005_001_00000002.png") in str(info.value)
    copy.unlink()
    assert load_ckplus(ckplus_root, frames="last:2").meta["frame"].tolist()[:2] == [3, 4]


def test_ckplus_48_variant_refuses_two_files_of_one_frame(tmp_path, gray48):
    for k, name in enumerate(("S005_001_00000010.png", "S005_001_00000011.png",
                              "S005_001_00000011.jpg")):
        write_png(tmp_path / "happy" / name, gray48[k])
    with pytest.raises(DatasetError, match=r"frame 11 of sequence S005_001 twice") as info:
        load_ckplus(tmp_path, frames="last:2")
    assert "S005_001_00000011.png" in str(info.value)
    assert "S005_001_00000011.jpg" in str(info.value)
    (tmp_path / "happy" / "S005_001_00000011.jpg").unlink()
    assert load_ckplus(tmp_path, frames="last:2").meta["frame"].tolist() == [10, 11]


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


def test_ckplus_refuses_a_copy_that_lost_the_peak_frame(ckplus_root):
    # the label file names frame 4 as the peak; without it frame 3 took the peak's labels
    seq = ckplus_root / "cohn-kanade-images" / "S005" / "001"
    peak = seq / "S005_001_00000004.png"
    moved = peak.rename(ckplus_root / peak.name)
    with pytest.raises(DatasetError, match=r"peak frame 4, which has no image.*last image "
                                           r"is frame 3") as info:
        load_ckplus(ckplus_root)
    assert info.value.path == str(seq)
    assert "S005_001_00000004_emotion.txt" in str(info.value)
    # the FACS file names the peak too: unlabelled sequences are checked against it
    shutil.rmtree(ckplus_root / "Emotion" / "S005" / "001")
    with pytest.raises(DatasetError, match=r"S005_001_00000004_facs.txt"):
        load_ckplus(ckplus_root, require_emotion=False)
    assert len(load_ckplus(ckplus_root)) == 2  # without its labels the sequence is skipped
    # frames after the named peak: the labels do not belong to the last image either
    moved.rename(peak)
    write_png(seq / "S005_001_00000005.png", np.zeros((8, 8), np.uint8))
    with pytest.raises(DatasetError, match=r"peak frame 4, but .* frames after it \(last: 5\)"):
        load_ckplus(ckplus_root, require_emotion=False)


def test_the_peak_of_a_label_file_named_in_another_case_is_checked_too(ckplus_root):
    seq = ckplus_root / "cohn-kanade-images" / "S005" / "001"
    (seq / "S005_001_00000004.png").unlink()  # the peak lost
    for folder, suffix in (("Emotion", "emotion"), ("FACS", "facs")):
        label = ckplus_root / folder / "S005" / "001" / f"S005_001_00000004_{suffix}.txt"
        label.rename(label.with_name(f"s005_001_00000004_{suffix.upper()}.TXT"))
    with pytest.raises(DatasetError, match=r"peak frame 4, which has no image"):
        load_ckplus(ckplus_root)


def test_ckplus_given_its_image_folder_names_the_parent(ckplus_root):
    images = ckplus_root / "cohn-kanade-images"
    with pytest.raises(DatasetError, match=r"CK\+'s image folder itself.*pass the folder "
                                           r"that holds cohn-kanade-images") as info:
        load_ckplus(images)
    assert str(ckplus_root) in str(info.value)
    assert "unknown emotion folder" not in str(info.value)
    images.rename(ckplus_root / "images")  # renamed: the Sxxx/yyy/ folders still tell
    with pytest.raises(DatasetError, match=r"Sxxx/yyy/.*cohn-kanade-images"):
        load_ckplus(ckplus_root / "images")
