"""Corpus loaders refuse what would silently move or lose images.

A FER2013 CSV's ``Usage`` decides the ``split`` protocol's sides, which tests on every split
but training and validation: a typo of ``Training`` moved a training image into the test data.
"""

import pytest

from aufeat.datasets import DatasetError, load_fer2013
from tests.datasets.test_corpus_loaders import _fer_csv


def test_an_unknown_fer2013_usage_is_refused_with_its_line(tmp_path, gray48):
    path = _fer_csv(tmp_path / "fer2013.csv", gray48, [0, 1, 2],
                    ["Training", "Trainig", "PrivateTest"])
    with pytest.raises(DatasetError, match=r"fer2013\.csv:3: unknown Usage 'Trainig'; "
                                           r"FER2013's are Training, PublicTest, PrivateTest"):
        load_fer2013(path)


def test_fer2013_usage_is_read_in_any_case_as_fer2013_spells_it(tmp_path, gray48):
    path = _fer_csv(tmp_path / "fer2013.csv", gray48, [0, 1, 2, 3],
                    ["training ", "PUBLICTEST", "PrivateTest", ""])
    assert load_fer2013(path).split.tolist() == ["Training", "PublicTest", "PrivateTest", ""]


def test_ckplus_labels_of_sequences_without_images_are_named_in_a_warning(ckplus_root):
    """A partly unpacked download (labels whole, images not) loaded fewer sequences silently."""
    from aufeat import AufeatWarning
    from aufeat.datasets import load_ckplus

    whole = load_ckplus(ckplus_root)
    label = next((ckplus_root / "Emotion").rglob("*_emotion.txt"))
    subject, sequence = label.name.split("_")[:2]
    for image in (ckplus_root / "cohn-kanade-images" / subject / sequence).iterdir():
        image.unlink()
    with pytest.warns(AufeatWarning, match=rf"1 of the \d+ labelled sequences have no images in "
                                           rf"cohn-kanade-images \(the first: {subject}_"
                                           rf"{sequence}\) and are left out"):
        part = load_ckplus(ckplus_root)
    assert len(set(part.meta["sequence"])) == len(set(whole.meta["sequence"])) - 1


def test_a_fer2013_csv_without_its_header_says_so_in_one_short_line(tmp_path, gray48):
    """The message quoted the first row as the header: 2304 pixel values, 7 KB of text."""
    path = _fer_csv(tmp_path / "fer2013.csv", gray48, [0, 1], ["Training"] * 2)
    path.write_text("\n".join(path.read_text().splitlines()[1:]) + "\n")
    with pytest.raises(DatasetError, match=r"fer2013\.csv:1: the first row is data: add the "
                                           r"header line emotion,pixels,Usage$") as error:
        load_fer2013(path)
    assert len(str(error.value)) < 300


def test_fer2013_image_folders_are_found_in_any_case(tmp_path, gray48):
    """Train/ and Test/ were 'expected fer2013.csv or train/ and test/ folders here', though
    validation and emotion folders were already matched in any case."""
    from tests.datasets.conftest import write_png

    write_png(tmp_path / "Train" / "happy" / "Training_1.png", gray48[0])
    write_png(tmp_path / "TEST" / "sad" / "PrivateTest_2.png", gray48[1])
    write_png(tmp_path / "Validation" / "sad" / "x.png", gray48[2])
    data = load_fer2013(tmp_path)
    assert data.split.tolist() == ["Training", "validation", "PrivateTest"]
    assert data.emotion.tolist() == ["happiness", "sadness", "sadness"]


def test_disfa_subjects_are_matched_without_case_and_an_unknown_one_lists_those_there(tmp_path):
    """subjects='sn001' beside a folder SN001 said 'label file not found .../sn001/sn001_au1.txt',
    and an unknown subject's message did not say which subjects there are."""
    from aufeat.datasets import DatasetNotFoundError, load_disfa
    from tests.datasets.conftest import frame_image, write_disfa_labels, write_png

    for subject in ("SN001", "SN002"):
        write_disfa_labels(tmp_path, subject, 2)
        for frame in (1, 2):
            write_png(tmp_path / "Images_LeftCamera" / subject / f"{frame:04d}.png",
                      frame_image(frame))
    assert load_disfa(tmp_path, subjects="sn001").subject.tolist() == ["SN001"] * 2
    with pytest.raises(DatasetNotFoundError, match="no folder of subject SN01 in "
                                                   "ActionUnit_Labels; it holds SN001, SN002"):
        load_disfa(tmp_path, subjects=["SN01"])
    with pytest.raises(ValueError, match="named more than once"):
        load_disfa(tmp_path, subjects=["SN001", "sn001"])


def test_a_manifest_image_whose_name_differs_in_case_alone_is_named(tmp_path, gray48):
    """A manifest written on Windows or macOS may spell b.PNG as b.png: 'not found' alone."""
    from aufeat.datasets import DatasetNotFoundError, load_manifest
    from tests.datasets.conftest import write_png

    write_png(tmp_path / "imgs" / "b.PNG", gray48[0])
    (tmp_path / "m.csv").write_text("path,subject\nimgs/b.png,p1\n")
    with pytest.raises(DatasetNotFoundError, match=r"m\.csv:2: image 'imgs/b\.png' not found "
                                                   r".*; the folder holds 'b\.PNG': names "
                                                   r"differ in case here"):
        load_manifest(tmp_path / "m.csv")


def test_a_manifest_starting_with_a_spreadsheet_separator_line_says_so(tmp_path):
    (tmp_path / "m.csv").write_text("sep=,\npath,subject\na.png,p1\n")
    from aufeat.datasets import load_manifest

    with pytest.raises(DatasetError, match=r"the first line is a spreadsheet's separator line "
                                           r"\(sep=\.\.\.\): delete it"):
        load_manifest(tmp_path / "m.csv")
