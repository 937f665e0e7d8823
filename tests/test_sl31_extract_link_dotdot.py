"""SL31 2: ``aufeat extract --dataset folder:LINK/..`` names the folder the OS opens.

``LINK/..`` goes up from the link's target: rows.csv's ``subject`` is each image's
name as :func:`load_image_folder` reads that folder, and its ``path`` opens that image.
"""

import os

import cv2
import pytest

from aufeat.datasets import load_image_folder
from tests.cli.crop_helpers import extract_folder_rows, noise


@pytest.mark.parametrize(("images", "target"), [
    (("data/photos/happy/a.png", "data/photos/sad/b.png"), "data/photos/happy"),
    (("photos/happy/a.png", "photos/sad/b.png", "photos/c.png"), "photos/happy"),
])
def test_folder_after_a_link_gives_load_image_folders_subjects_and_paths_that_open(
        tmp_path, monkeypatch, images, target):
    for i, name in enumerate(images):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        assert cv2.imwrite(str(tmp_path / name), noise(i))
    try:
        os.symlink(tmp_path / target, tmp_path / "hl")  # hl/.. is the folder above target
    except OSError:
        pytest.skip("no symbolic links here")
    rows = extract_folder_rows(tmp_path, "hl/..")
    monkeypatch.chdir(tmp_path)
    read = load_image_folder("hl/..", label_from=None)  # what aufeat train reads
    assert [r["subject"] for r in rows] == read.subject.tolist()
    assert len(rows) == len(images)
    for row, path in zip(rows, read.paths, strict=True):
        assert os.path.samefile(tmp_path / row["path"], path)  # opens, and is that image
