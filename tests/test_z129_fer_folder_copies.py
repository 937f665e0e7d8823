"""FER2013's image folders: a converted copy beside a picture is refused, not a second row."""

import numpy as np
import pytest

from aufeat.datasets import DatasetError, load_fer2013
from tests.datasets.conftest import write_png


def test_a_converted_copy_beside_a_picture_is_refused_naming_both_files(tmp_path):
    write_png(tmp_path / "train" / "happy" / "Training_1.png", np.full((48, 48), 10, np.uint8))
    write_png(tmp_path / "train" / "happy" / "Training_1.jpg", np.full((48, 48), 10, np.uint8))
    write_png(tmp_path / "test" / "sad" / "PrivateTest_3.png", np.full((48, 48), 50, np.uint8))
    with pytest.raises(DatasetError, match=r"picture train/happy/Training_1 twice") as info:
        load_fer2013(tmp_path)
    assert str(tmp_path / "train" / "happy" / "Training_1.png") in str(info.value)
    assert str(tmp_path / "train" / "happy" / "Training_1.jpg") in str(info.value)


def test_every_folder_image_is_its_own_subject_named_by_its_path(tmp_path):
    write_png(tmp_path / "train" / "happy" / "Training_1.png", np.full((48, 48), 10, np.uint8))
    write_png(tmp_path / "train" / "sad" / "Training_1.jpg", np.full((48, 48), 20, np.uint8))
    write_png(tmp_path / "test" / "sad" / "PrivateTest_3.png", np.full((48, 48), 50, np.uint8))
    ds = load_fer2013(tmp_path)
    assert ds.subject.tolist() == ["train/happy/Training_1", "train/sad/Training_1",
                                   "test/sad/PrivateTest_3"]
    assert ds.n_subjects == len(ds)
