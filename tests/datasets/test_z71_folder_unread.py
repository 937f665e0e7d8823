"""load_image_folder says which files it does not read (phone photos .HEIC, .jxl, ...)."""

import warnings

import cv2
import numpy as np
import pytest

from aufeat.datasets import load_image_folder
from aufeat.datasets.errors import DatasetError
from aufeat.exceptions import AufeatWarning


def _folder(root, names):
    for label, files in names.items():
        (root / label).mkdir(parents=True, exist_ok=True)
        for name in files:
            if name.endswith(".jpg"):
                cv2.imwrite(str(root / label / name), np.full((8, 8), 99, np.uint8))
            else:
                (root / label / name).write_bytes(b"\x00\x00\x00\x18ftypheic" + bytes(100))
    return root


def test_files_not_read_are_counted_in_a_warning(tmp_path):
    root = _folder(tmp_path / "photos", {"happy": ["a.jpg", "b.jpg"],
                                         "sad": ["IMG_0001.HEIC", "IMG_0002.heic", "c.jpg",
                                                 "d.jxl", ".hidden"]})
    with pytest.warns(AufeatWarning) as caught:
        ds = load_image_folder(root)
    assert len(ds) == 3
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1, messages
    assert "left out 3 files that are not images or videos by extension (.heic x2, .jxl x1)" \
        in messages[0]
    assert "convert them" in messages[0]
    assert str(root) in messages[0]


def test_a_folder_of_images_only_gives_no_warning(tmp_path):
    root = _folder(tmp_path / "photos", {"happy": ["a.jpg"], "sad": ["c.jpg", ".hidden"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(load_image_folder(root)) == 2


def test_a_folder_without_images_names_what_it_holds(tmp_path):
    root = _folder(tmp_path / "photos", {"sad": ["IMG_0001.HEIC"]})
    with pytest.raises(DatasetError, match=r"no image files found, only 1 file that is not an "
                                           r"image or video by extension \(\.heic x1\)"):
        load_image_folder(root)
