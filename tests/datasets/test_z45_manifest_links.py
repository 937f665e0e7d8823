"""to_manifest writes paths that load_manifest, reading '..' after a link as the OS does, finds."""

import os

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_image_folder, load_manifest
from tests.datasets.conftest import write_png

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")


def _img(path, value):
    return write_png(path, np.full((8, 8), value, np.uint8))


@pytest.fixture
def linked(tmp_path):
    """``tmp_path/manifests``: a link to ``tmp_path/store/deep/manifests``."""
    (tmp_path / "store" / "deep" / "manifests").mkdir(parents=True)
    os.symlink(tmp_path / "store" / "deep" / "manifests", tmp_path / "manifests")
    return tmp_path / "manifests"


def test_image_files_are_found_through_a_linked_csv_folder(tmp_path, linked):
    _img(tmp_path / "faces" / "happy" / "p1.png", 10)
    ds = load_image_folder(tmp_path / "faces")
    csv = ds.to_manifest(linked / "m.csv")
    assert csv.read_text().splitlines()[1].startswith("../../../faces/happy/p1.png,")
    _img(tmp_path / "store" / "deep" / "faces" / "happy" / "p1.png", 200)  # a look-alike
    back = load_manifest(csv)
    assert os.path.samefile(back.paths[0], ds.paths[0])
    assert int(back[0].mean()) == 10
    assert os.path.samefile(load_manifest(tmp_path / "store" / "deep" / "manifests" / "m.csv")
                            .paths[0], ds.paths[0])  # by the real folder too


def test_pngs_in_an_image_dir_outside_a_linked_csv_folder_read_back_and_rewrite(tmp_path,
                                                                                 linked):
    ds = FaceDataset(images=np.stack([np.full((8, 8), v, np.uint8) for v in (10, 60)]),
                     subject=["a", "b"])
    for _ in range(2):  # the rerun finds its own PNGs named by the CSV: not refused
        csv = ds.to_manifest(linked / "m.csv", image_dir=tmp_path / "pngs")
    assert csv.read_text().splitlines()[1].startswith("../../../pngs/m-000000.png,")
    back = load_manifest(csv)
    assert [int(back[i].mean()) for i in range(2)] == [10, 60]
    assert all(os.path.samefile(p, tmp_path / "pngs" / f"m-{i:06d}.png")
               for i, p in enumerate(back.paths))


def test_a_linked_image_folder_keeps_its_name_in_the_manifest(tmp_path):
    _img(tmp_path / "disk" / "happy" / "p1.png", 10)
    os.symlink(tmp_path / "disk", tmp_path / "faces")
    csv = load_image_folder(tmp_path / "faces").to_manifest(tmp_path / "m.csv")
    assert csv.read_text().splitlines()[1].startswith("faces/happy/p1.png,")
    assert int(load_manifest(csv)[0].mean()) == 10
