"""Corpora as they are distributed or commonly converted: spellings read, damage refused."""

import pytest

from aufeat.datasets import (
    DatasetError,
    DatasetNotFoundError,
    load_ckplus,
    load_disfa,
    load_fer2013,
    load_image_folder,
    load_jaffe,
)
from tests.datasets.conftest import frame_image, write_disfa_labels, write_frame_video, write_png


def test_disfa_reads_the_right_camera_as_distributed(tmp_path):
    # DISFA ships Videos_LeftCamera/LeftVideoSN001_comp.avi beside
    # Video_RightCamera/RightVideoSN001_Comp.avi
    write_disfa_labels(tmp_path, "SN001", 3)
    write_frame_video(tmp_path / "Videos_LeftCamera" / "LeftVideoSN001_comp.avi", 3)
    write_frame_video(tmp_path / "Video_RightCamera" / "RightVideoSN001_Comp.avi", 3)
    left, right = load_disfa(tmp_path), load_disfa(tmp_path, camera="right")
    assert right.paths[0] == str(tmp_path / "Video_RightCamera" / "RightVideoSN001_Comp.avi")
    assert left.paths[0] == str(tmp_path / "Videos_LeftCamera" / "LeftVideoSN001_comp.avi")
    assert right.meta["frame"].tolist() == [1, 2, 3]
    assert abs(float(right[2].mean()) - 60) < 3
    write_frame_video(tmp_path / "Videos_RightCamera" / "RightVideoSN001_comp.avi", 3)
    with pytest.raises(DatasetError, match="2 videos for SN001"):
        load_disfa(tmp_path, camera="right")


def test_disfa_refuses_frame_images_counted_from_0_or_two_of_one_frame(tmp_path):
    write_disfa_labels(tmp_path, "SN001", 3)
    frames = tmp_path / "Images_LeftCamera" / "SN001"
    for k in range(3):  # the usual OpenCV loop: 0000.png is the video's first frame
        write_png(frames / f"{k:04d}.png", frame_image(k + 1))
    with pytest.raises(DatasetError, match="count from 0; DISFA's frames count from 1") as info:
        load_disfa(tmp_path)
    assert info.value.path == str(frames / "0000.png")
    (frames / "0000.png").rename(frames / "0003.png")
    write_png(frames / "aligned_1.png", frame_image(1))
    with pytest.raises(DatasetError, match="two images of frame 1") as info:
        load_disfa(tmp_path)
    assert str(frames / "0001.png") in str(info.value)
    assert str(frames / "aligned_1.png") in str(info.value)
    (frames / "aligned_1.png").unlink()
    assert load_disfa(tmp_path).paths[0] == str(frames / "0001.png")


def test_disfa_names_a_missing_au1_file_instead_of_dropping_the_subject(tmp_path):
    for subject in ("SN001", "SN002"):
        write_disfa_labels(tmp_path, subject, 2)
        for f in (1, 2):
            write_png(tmp_path / "Images_LeftCamera" / subject / f"{f:04d}.png", frame_image(f))
    (tmp_path / "ActionUnit_Labels" / "__MACOSX" / "SN001").mkdir(parents=True)  # skipped
    missing = tmp_path / "ActionUnit_Labels" / "SN002" / "SN002_au1.txt"
    missing.unlink()
    with pytest.raises(DatasetNotFoundError, match="label file not found") as info:
        load_disfa(tmp_path)
    assert info.value.path == str(missing)
    for f in missing.parent.iterdir():  # an empty subject folder is a subject, not a stray
        f.unlink()
    with pytest.raises(DatasetNotFoundError, match="label file not found"):
        load_disfa(tmp_path)
    assert load_disfa(tmp_path, subjects="SN001").subject.tolist() == ["SN001"] * 2


def test_disfa_refuses_a_subject_named_twice(tmp_path):
    # subjects=["SN001", "SN001"] read every frame of SN001 twice, without a word
    for subject in ("SN001", "SN002"):
        write_disfa_labels(tmp_path, subject, 2)
        for f in (1, 2):
            write_png(tmp_path / "Images_LeftCamera" / subject / f"{f:04d}.png", frame_image(f))
    with pytest.raises(ValueError, match=r"subjects: SN001 named more than once"):
        load_disfa(tmp_path, subjects=["SN001", "SN002", "SN001"])
    assert load_disfa(tmp_path, subjects=["SN002", "SN001"]).subject.tolist() == (
        ["SN001"] * 2 + ["SN002"] * 2)


@pytest.mark.parametrize("name", ["valid", "dev", "Validation"])
def test_fer2013_folders_read_every_validation_name(tmp_path, gray48, name):
    # Roboflow-style exports: train/ valid/ test/
    for k, part in enumerate(["train", name, "test"]):
        write_png(tmp_path / part / "happy" / f"{k}.png", gray48[k])
    ds = load_fer2013(tmp_path)
    assert ds.split.tolist() == ["Training", "validation", "Test"]
    assert ds.subject.tolist() == ["train/happy/0", f"{name}/happy/1", "test/happy/2"]


def test_fer2013_folders_refuse_a_folder_of_images_that_names_no_split(tmp_path, gray48):
    write_png(tmp_path / "train" / "happy" / "0.png", gray48[0])
    write_png(tmp_path / "test" / "sad" / "1.png", gray48[1])
    (tmp_path / "notes").mkdir()  # no images: no split, no harm
    (tmp_path / "README.txt").write_text("FER2013\n")
    assert len(load_fer2013(tmp_path)) == 2
    write_png(tmp_path / "holdout" / "sad" / "2.png", gray48[2])
    with pytest.raises(DatasetError, match="'holdout' holds images") as info:
        load_fer2013(tmp_path)
    assert info.value.path == str(tmp_path / "holdout")


@pytest.mark.parametrize("text", ["", "\n\n"])
def test_an_empty_label_file_is_refused_not_read_as_no_au(tmp_path, ckplus_root, text):
    # a failed copy: CK+ read it as every AU absent, DISFA as that AU NaN on every frame
    facs = sorted((ckplus_root / "FACS").rglob("*_facs.txt"))[1]
    facs.write_text(text)
    with pytest.raises(DatasetError, match="no 'AU intensity' line") as info:
        load_ckplus(ckplus_root)
    assert info.value.path == str(facs)
    write_disfa_labels(tmp_path, "SN001", 4)
    for f in range(1, 5):
        write_png(tmp_path / "Images_LeftCamera" / "SN001" / f"{f:04d}.png", frame_image(f))
    empty = tmp_path / "ActionUnit_Labels" / "SN001" / "SN001_au12.txt"
    empty.write_text(text)
    with pytest.raises(DatasetError, match="no 'frame,intensity' line") as info:
        load_disfa(tmp_path)
    assert info.value.path == str(empty)


def test_jaffe_refuses_a_picture_twice(tmp_path, gray48):
    # converted to PNG beside its TIFFs (mogrify -format png *.tiff keeps the originals)
    for k, name in enumerate(["KA.AN1.39", "KL.HA1.158"]):
        write_png(tmp_path / f"{name}.tiff", gray48[k])
    assert len(load_jaffe(tmp_path)) == 2
    write_png(tmp_path / "png" / "KA.AN1.39.png", gray48[0])
    with pytest.raises(DatasetError, match=r"picture KA\.AN1\.39 twice") as info:
        load_jaffe(tmp_path)
    assert str(tmp_path / "KA.AN1.39.tiff") in str(info.value)
    assert str(tmp_path / "png" / "KA.AN1.39.png") in str(info.value)
    (tmp_path / "png" / "KA.AN1.39.png").unlink()  # another picture may share a number
    write_png(tmp_path / "KM.SU1.39.tiff", gray48[2])
    assert len(load_jaffe(tmp_path)) == 3


@pytest.mark.parametrize(("pattern", "message"), [
    (r"(S\d+)|(x)", r"subject group \(1\) took no part"),
    (r"^(?P<subject>S\d*)|x", r"subject group \('subject'\) took no part"),
    (r"(\d*)\.png$", r"subject group \(1\) is empty"),
])
def test_image_folder_names_the_file_and_pattern_when_no_subject_is_matched(
        tmp_path, gray48, pattern, message):
    write_png(tmp_path / "happy" / "S01.png", gray48[0])
    write_png(tmp_path / "happy" / "x.png", gray48[1])
    with pytest.raises(DatasetError, match=message) as info:
        load_image_folder(tmp_path, subject_pattern=pattern)
    assert info.value.path == str(tmp_path / "happy" / "x.png")
    assert repr(pattern) in str(info.value)


def test_files_that_are_no_utf8_text_are_named_not_a_decode_traceback(tmp_path, gray48):
    import tarfile
    import zipfile

    from aufeat.datasets._labels import parse_label_map

    pixels = " ".join(map(str, gray48[0].ravel()))
    csv_file = tmp_path / "fer2013.csv"
    csv_file.write_text("emotion,pixels,Usage\n" + f"3,{pixels},Training\n" * 60)
    with tarfile.open(tmp_path / "fer2013.tar.gz", "w:gz") as tar:  # Kaggle's download
        tar.add(csv_file, arcname="fer2013/fer2013.csv")
    with zipfile.ZipFile(tmp_path / "fer2013.zip", "w") as archive:
        archive.write(csv_file, "fer2013.csv")
    for name, kind in (("fer2013.tar.gz", "gzip"), ("fer2013.zip", "zip")):
        with pytest.raises(DatasetError, match=f"this is a {kind} archive.*unpack it") as info:
            load_fer2013(tmp_path / name)
        assert info.value.path == str(tmp_path / name)
    lines = csv_file.read_text().splitlines()
    (tmp_path / "latin1.csv").write_bytes(("\n".join(lines[:3]) + "\n3,é\n").encode("latin-1"))
    with pytest.raises(DatasetError, match="byte 0xe9 is not UTF-8 text; save the FER2013 CSV "
                                           "as UTF-8") as info:
        load_fer2013(tmp_path / "latin1.csv")
    assert info.value.line == 4
    lines[5] = lines[5].replace("3,", '3,"', 1)  # the rest of the file becomes one field
    (tmp_path / "quote.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(DatasetError, match=r"not a readable CSV.*quoted field") as info:
        load_fer2013(tmp_path / "quote.csv")
    assert info.value.line == 6
    write_disfa_labels(tmp_path / "disfa", "SN001", 2)
    utf16 = tmp_path / "disfa" / "ActionUnit_Labels" / "SN001" / "SN001_au4.txt"
    utf16.write_bytes("1,0\n2,3\n".encode("utf-16"))  # Notepad's 'Unicode'
    with pytest.raises(DatasetError, match="byte 0xff is not UTF-8 text") as info:
        load_disfa(tmp_path / "disfa")
    assert (info.value.path, info.value.line) == (str(utf16), 1)
    (tmp_path / "map.txt").write_bytes("hapy=happiness\n".encode("utf-16"))
    with pytest.raises(DatasetError, match=r"map\.txt:1: byte 0xff is not UTF-8 text"):
        parse_label_map(str(tmp_path / "map.txt"))


def test_fer2013_folders_keep_kaggle_s_publictest_files_out_of_the_test_side(tmp_path, gray48):
    # Kaggle's image copy: train/<emotion>/Training_*.jpg, test/ holds PublicTest_ and
    # PrivateTest_ files; the CSV keeps PublicTest apart as validation, so must the folders
    write_png(tmp_path / "train" / "happy" / "Training_10.jpg", gray48[0])
    write_png(tmp_path / "test" / "happy" / "PublicTest_11.jpg", gray48[1])
    write_png(tmp_path / "test" / "happy" / "PrivateTest_12.jpg", gray48[2])
    write_png(tmp_path / "test" / "sad" / "publictest_13.png", gray48[3])
    write_png(tmp_path / "test" / "sad" / "im14.png", gray48[4])  # no prefix: the folder's split
    ds = load_fer2013(tmp_path)
    split = dict(zip([p.rsplit("/", 1)[-1] for p in ds.subject], ds.split.tolist(), strict=True))
    assert split == {"Training_10": "Training", "PrivateTest_12": "PrivateTest",
                     "PublicTest_11": "PublicTest", "publictest_13": "PublicTest",
                     "im14": "Test"}
    from aufeat.evaluation.protocols import make_splits, validation_fold

    [(_, test)] = make_splits("split", ds.subject, split=ds.split)
    assert sorted(ds.subject[test].tolist()) == ["test/happy/PrivateTest_12", "test/sad/im14"]
    assert len(validation_fold(ds.subject, ds.split)[1]) == 2
    write_png(tmp_path / "test" / "sad" / "Training_15.jpg", gray48[5])
    with pytest.raises(DatasetError, match=r"a Training image .* in test/; move it to train/"):
        load_fer2013(tmp_path)


def test_ckplus_refuses_sequences_mixed_in_one_folder_or_a_label_of_another(ckplus_root):
    # flattened copies: cohn-kanade-images/S005/ holding S005_001_* and S005_002_* frames;
    # read as one sequence, S005_002's happy frames came back as S005_001's disgust
    images, emotion = ckplus_root / "cohn-kanade-images" / "S005", ckplus_root / "Emotion" / "S005"
    for seq in ("001", "002"):
        for frame in (images / seq).iterdir():
            frame.rename(images / frame.name)
        for label in (emotion / seq).iterdir():
            label.rename(emotion / label.name)
    with pytest.raises(DatasetError, match=r"frames of 2 sequences \(S005_001, S005_002\).*"
                                           r"cohn-kanade-images/Sxxx/yyy/") as info:
        load_ckplus(ckplus_root)
    assert info.value.path == str(images)
    for frame in images.glob("S005_00*.png"):  # frames apart again, one label misplaced
        frame.rename(images / frame.name[5:8] / frame.name)
    (emotion / "S005_002_00000003_emotion.txt").rename(emotion / "001" / "S005_002_emotion.txt")
    (emotion / "S005_001_00000004_emotion.txt").unlink()
    with pytest.raises(DatasetError, match="not one of sequence S005_001") as info:
        load_ckplus(ckplus_root)
    assert info.value.path == str(emotion / "001" / "S005_002_emotion.txt")
