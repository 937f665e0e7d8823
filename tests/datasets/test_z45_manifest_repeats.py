"""to_manifest refuses, before writing, rows naming one image file (load_manifest would too)."""

import os

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_image_folder, load_manifest
from tests.datasets.conftest import write_png


@pytest.fixture
def folder(tmp_path):
    for i in range(3):
        write_png(tmp_path / "faces" / ("happy" if i else "sad") / f"p{i}_x.png",
                  np.full((8, 8), 40 * i, np.uint8))
    return load_image_folder(tmp_path / "faces", subject_pattern=r"^(p\d)_")


def test_an_oversampled_data_set_of_files_is_refused_before_writing(tmp_path, folder):
    over = folder[np.array([0, 1, 2, 0, 0, 2])]
    first = os.path.basename(folder.paths[0]).replace(".", r"\.")
    with pytest.raises(ValueError, match=rf"rows 0, 3 and 4 .* name one image file"
                       rf".*{first} \(and 1 more file named.*listed twice.*np\.unique") as info:
        over.to_manifest(tmp_path / "out" / "over.csv")
    assert "rows 2 and 5" not in str(info.value)  # the first repeated file is named
    assert not (tmp_path / "out").exists()  # no CSV, no image


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_one_file_by_a_linked_folder_is_a_repeat_as_for_the_reader(tmp_path, folder):
    os.symlink(tmp_path / "faces", tmp_path / "linked")
    ds = FaceDataset(paths=[folder.paths[2], str(tmp_path / "linked" / "sad" / "p0_x.png")],
                     subject=["p0", "p0"])
    with pytest.raises(ValueError, match="rows 0 and 1 "):
        ds.to_manifest(tmp_path / "m.csv")
    assert not (tmp_path / "m.csv").exists()


def test_unique_rows_and_repeated_rows_held_in_memory_are_written(tmp_path, folder):
    back = load_manifest(folder[np.unique([0, 1, 2, 0])].to_manifest(tmp_path / "a.csv"))
    assert len(back) == 3
    memory = FaceDataset(images=folder.load_images(), subject=folder.subject)[[0, 1, 0]]
    back = load_manifest(memory.to_manifest(tmp_path / "b.csv"))  # one PNG per row
    assert [int(back[i].mean()) for i in range(3)] == [int(folder[i].mean()) for i in (0, 1, 0)]
