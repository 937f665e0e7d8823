"""One CK+ sequence is read once, with one emotion: copies in a second folder are refused."""

import numpy as np
import pytest

from aufeat.datasets import DatasetError, load_ckplus
from tests.datasets.conftest import write_png


def _frames(folder, frames, value=0):
    for f in frames:
        write_png(folder / f"S005_001_{f:08d}.png", np.full((8, 8), value + f, np.uint8))


def test_the_frames_of_one_sequence_in_two_folders_are_refused_not_read_twice(tmp_path):
    images = tmp_path / "cohn-kanade-images" / "S005"
    _frames(images / "001", (1, 2, 3))
    _frames(images / "001 (copy)", (1, 2, 3))
    with pytest.raises(DatasetError, match=r"frame 1 of sequence S005_001 twice") as info:
        load_ckplus(tmp_path, require_emotion=False, frames="all")
    assert "001 (copy)" in str(info.value)  # both files named
    assert str(images / "001" / "S005_001_00000001.png") in str(info.value)
    for folder in ("001", "001 (copy)"):  # with the labels copied beside them, too
        label = tmp_path / "Emotion" / "S005" / folder / "S005_001_00000003_emotion.txt"
        label.parent.mkdir(parents=True)
        label.write_text("5.0000000e+00\n")
    with pytest.raises(DatasetError, match=r"frame 1 of sequence S005_001 twice"):
        load_ckplus(tmp_path, frames="peak")


def test_a_sequence_split_over_two_folders_is_refused(tmp_path):
    images = tmp_path / "cohn-kanade-images" / "S005"
    _frames(images / "001", (1, 2))
    _frames(images / "001b", (3,))
    with pytest.raises(DatasetError, match=r"sequence S005_001 in two folders") as info:
        load_ckplus(tmp_path, require_emotion=False, frames="all")
    assert str(images / "001b") in str(info.value)


def test_the_48x48_variant_refuses_a_sequence_in_two_emotion_folders(tmp_path):
    _frames(tmp_path / "happy", (9, 10, 11))
    _frames(tmp_path / "sadness", (8,))  # a mislabelled copy: frame 8 is no peak
    with pytest.raises(DatasetError, match=r"sequence S005_001 in two emotion folders") as info:
        load_ckplus(tmp_path, frames="peak")
    assert str(tmp_path / "happy") in str(info.value)
    assert str(tmp_path / "sadness") in str(info.value)


def test_the_48x48_variant_still_takes_a_neutral_folder_of_first_frames(tmp_path):
    _frames(tmp_path / "happy", (9, 10, 11), value=100)
    _frames(tmp_path / "neutral", (1,), value=100)
    ds = load_ckplus(tmp_path, frames="peak")
    rows = sorted(zip(ds.emotion.tolist(), ds.meta["frame"].tolist(), strict=True))
    assert rows == [("happiness", 11), ("neutral", 1)]
    for row, frame in enumerate(ds.meta["frame"].tolist()):  # each row its own file's pixels
        assert ds[row][0, 0] == 100 + frame
