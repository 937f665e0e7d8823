"""load_manifest: '..' after a linked folder is resolved as the OS does."""

import os

import numpy as np
import pytest

from aufeat.datasets import load_manifest
from tests.datasets.conftest import write_png


def _img(path, value):
    return write_png(path, np.full((8, 8), value, np.uint8))


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_dotdot_is_resolved_after_a_linked_folder(tmp_path):
    _img(tmp_path / "disk" / "project" / "imgs" / "a.png", 10)
    real = tmp_path / "disk" / "project" / "manifests"
    real.mkdir()
    (real / "m.csv").write_text("path,subject\n../imgs/a.png,s1\n")
    os.symlink(real, tmp_path / "manifests")
    _img(tmp_path / "imgs" / "a.png", 99)  # a look-alike beside the link
    ds = load_manifest(tmp_path / "manifests" / "m.csv")
    assert int(ds[0].mean()) == 10
    assert os.path.samefile(ds.paths[0], tmp_path / "disk" / "project" / "imgs" / "a.png")


def test_same_file_by_two_spellings_is_listed_twice(tmp_path):
    _img(tmp_path / "imgs" / "a.png", 10)
    (tmp_path / "m.csv").write_text("path,subject\nimgs/a.png,s1\n./imgs/../imgs/a.png,s2\n")
    with pytest.raises(ValueError, match="twice"):
        load_manifest(tmp_path / "m.csv")


def test_paths_stay_plain_without_links(tmp_path):
    _img(tmp_path / "imgs" / "a.png", 10)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "m.csv").write_text("path,subject\n../imgs/./a.png,s1\n")
    ds = load_manifest(tmp_path / "sub" / "m.csv")
    assert ds.paths[0] == os.path.join(os.path.abspath(tmp_path), "imgs", "a.png")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_two_images_linked_to_one_stored_object_are_two_rows(tmp_path):
    # git-annex and DVC keep each image as a link to one object per content: two
    # photos with equal bytes are two rows, not one file listed twice
    _img(tmp_path / ".objects" / "SHA256-abc.png", 10)
    (tmp_path / "imgs").mkdir()
    for name in ("a.png", "b.png"):
        os.symlink(tmp_path / ".objects" / "SHA256-abc.png", tmp_path / "imgs" / name)
    os.symlink(tmp_path / "imgs", tmp_path / "linked")  # the same folder by another name
    (tmp_path / "m.csv").write_text("path,subject\nimgs/a.png,s1\nimgs/b.png,s2\n")
    assert len(load_manifest(tmp_path / "m.csv")) == 2
    (tmp_path / "m.csv").write_text("path,subject\nimgs/a.png,s1\nlinked/a.png,s2\n")
    with pytest.raises(ValueError, match="twice"):  # one file, by a linked folder
        load_manifest(tmp_path / "m.csv")
