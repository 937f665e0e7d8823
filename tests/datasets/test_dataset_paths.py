"""Where a loaded data set's files are: valid whatever the working folder later is, in order."""

import os

import numpy as np

from aufeat.datasets import load_image_folder, load_jaffe, load_manifest
from tests.datasets.conftest import write_png


def test_a_manifest_loaded_by_a_relative_path_reads_its_images_after_a_change_of_folder(
        tmp_path, faces, monkeypatch):
    write_png(tmp_path / "data" / "imgs" / "a.png", faces[0])
    write_png(tmp_path / "data" / "imgs" / "b.png", faces[1])
    (tmp_path / "data" / "faces.csv").write_text("path,subject\nimgs/a.png,s1\nimgs/b.png,s2\n")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path)
    ds = load_manifest("data/faces.csv")
    monkeypatch.chdir(tmp_path / "elsewhere")  # a notebook's %cd, a script's os.chdir
    np.testing.assert_array_equal(ds.load_images(), faces.load_images([0, 1]))
    assert ds.paths.tolist() == [str(tmp_path / "data" / "imgs" / n) for n in ("a.png", "b.png")]
    # written elsewhere, a manifest still names the files relative to the new CSV
    csv = ds.to_manifest("copy.csv")
    assert [line.split(",")[0] for line in csv.read_text().splitlines()] == [
        "path", "../data/imgs/a.png", "../data/imgs/b.png"]
    np.testing.assert_array_equal(load_manifest(csv).load_images(), ds.load_images())


def test_folder_loaders_given_a_relative_root_keep_paths_valid_after_a_change_of_folder(
        tmp_path, gray48, monkeypatch):
    write_png(tmp_path / "faces" / "happy" / "a.png", gray48[0])
    write_png(tmp_path / "jaffe" / "KA.AN1.39.tiff", gray48[1])
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path)
    folder, jaffe = load_image_folder("faces"), load_jaffe("jaffe")
    monkeypatch.chdir(tmp_path / "elsewhere")
    np.testing.assert_array_equal(folder[0], gray48[0])
    np.testing.assert_array_equal(jaffe[0], gray48[1])
    assert folder.paths.tolist() == [str(tmp_path / "faces" / "happy" / "a.png")]
    assert folder.subject.tolist() == ["happy/a.png"]  # relative to the root, as before
    assert folder.name == "folder:faces"


def test_paths_keep_a_linked_folders_name(tmp_path, gray48, monkeypatch):
    """Absolute, not resolved: a link stays the path the user gave (abspath, not realpath)."""
    write_png(tmp_path / "real" / "sad" / "a.png", gray48[0])
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "link.csv").write_text("path,subject\nlink/sad/a.png,s1\n")
    monkeypatch.chdir(tmp_path)
    expected = [os.path.join(str(tmp_path), "link", "sad", "a.png")]
    assert load_image_folder("link").paths.tolist() == expected
    assert load_manifest("link.csv").paths.tolist() == expected


def test_image_folder_rows_come_in_sorted_path_order(tmp_path, gray48):
    """As its docstring says, and as ``sorted(glob(..., recursive=True))`` lists them."""
    names = ["m.png", "a/z.png", "a/sub/x.png", "b/a.png", "a-b/c.png"]
    for index, name in enumerate(names):
        write_png(tmp_path / "so" / name, gray48[index])
    ds = load_image_folder(tmp_path / "so", label_from=None)
    assert ds.paths.tolist() == sorted(str(tmp_path / "so" / n) for n in names)
    assert ds.subject.tolist() == ["a-b/c.png", "a/sub/x.png", "a/z.png", "b/a.png", "m.png"]
    for row, name in enumerate(ds.subject):  # each row's pixels are its file's
        np.testing.assert_array_equal(ds[row], gray48[names.index(name)])


def test_disfa_and_ckplus_given_a_relative_root_work_after_a_change_of_folder(
        tmp_path, gray48, monkeypatch):
    import pytest

    from aufeat.datasets import DatasetError, load_ckplus, load_disfa
    from tests.datasets.conftest import write_disfa_labels, write_frame_video

    write_disfa_labels(tmp_path / "disfa", "SN001", 3)
    write_frame_video(tmp_path / "disfa" / "Videos_LeftCamera" / "LeftVideoSN001_comp.avi", 3)
    write_png(tmp_path / "ck" / "happy" / "S005_001_00000004.png", gray48[0])
    write_png(tmp_path / "happy" / "S005_001_00000004.png", gray48[0])  # no emotion folder
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path)
    disfa, ck = load_disfa("disfa"), load_ckplus("ck")
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert disfa[0].shape[:2] == (32, 32)  # its video found from another folder
    np.testing.assert_array_equal(ck[0], gray48[0])
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatasetError, match="unknown emotion folder"):  # images in the root
        load_ckplus("happy")
