"""A ``..`` after a linked folder is read as the OS reads it: up from the link's target.

``os.path.abspath`` removes ``link/..`` as text, so the loaders checked one folder
and read another, and ``to_manifest`` named another file than the data set read.
"""

import os

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_disfa, load_image_folder, load_jaffe, load_manifest
from aufeat.io import read_image, resolve_sources
from tests.datasets.conftest import write_disfa_labels, write_frame_video, write_png


def _linked(tmp_path, monkeypatch):
    """``work/link`` -> ``other/deep``, working in ``work``: ``link/..`` is ``other``."""
    (tmp_path / "other" / "deep").mkdir(parents=True)
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "link").symlink_to(tmp_path / "other" / "deep", target_is_directory=True)
    monkeypatch.chdir(tmp_path / "work")


def _gray(value):
    return np.full((8, 8), value, np.uint8)


def test_folder_loaders_read_the_folder_the_os_opens(tmp_path, monkeypatch):
    _linked(tmp_path, monkeypatch)
    write_png(tmp_path / "other" / "faces" / "happy" / "S01_1.png", _gray(200))
    write_png(tmp_path / "work" / "faces" / "sad" / "S99_1.png", _gray(10))  # the text's reading
    write_png(tmp_path / "other" / "jaffe" / "KA.HA1.1.tiff", _gray(200))
    assert sorted(os.listdir("link/../faces")) == ["happy"]  # as the OS lists it
    ds = load_image_folder("link/../faces", subject_pattern=r"^(S\d+)_")
    assert ds.emotion.tolist() == ["happiness"]
    assert ds.subject.tolist() == ["S01"]
    assert ds[0][0, 0] == 200
    jaffe = load_jaffe("link/../jaffe")
    assert [os.path.realpath(p) for p in jaffe.paths] == [
        str((tmp_path / "other" / "jaffe" / "KA.HA1.1.tiff").resolve())]


def test_disfa_reads_the_folder_the_os_opens(tmp_path, monkeypatch):
    _linked(tmp_path, monkeypatch)
    write_disfa_labels(tmp_path / "other" / "disfa", "SN001", 2)
    video = tmp_path / "other" / "disfa" / "Videos_LeftCamera" / "LeftVideoSN001_comp.avi"
    write_frame_video(video, 2)
    ds = load_disfa("link/../disfa")
    assert ds.subject.tolist() == ["SN001", "SN001"]
    assert os.path.realpath(ds.paths[0]) == str(video.resolve())


def test_a_manifest_written_names_the_file_the_data_set_reads(tmp_path, monkeypatch):
    _linked(tmp_path, monkeypatch)
    write_png(tmp_path / "other" / "imgs" / "a.png", _gray(200))  # link/../imgs/a.png
    write_png(tmp_path / "work" / "imgs" / "a.png", _gray(10))
    ds = FaceDataset(paths=["link/../imgs/a.png"], subject=["s1"])
    assert ds[0][0, 0] == 200
    back = load_manifest(ds.to_manifest(tmp_path / "out" / "m.csv"))
    assert back[0][0, 0] == 200
    # two spellings of one file are one file, as load_manifest would tell
    twice = FaceDataset(paths=["link/../imgs/a.png", "../other/imgs/a.png"], subject=["a", "b"])
    with pytest.raises(ValueError, match="name one image file"):
        twice.to_manifest(tmp_path / "out" / "twice.csv")


def test_the_stills_beside_video_frames_are_the_files_the_data_set_reads(tmp_path, monkeypatch):
    _linked(tmp_path, monkeypatch)
    write_png(tmp_path / "other" / "imgs" / "a.png", _gray(200))
    write_png(tmp_path / "work" / "imgs" / "a.png", _gray(10))
    write_frame_video(tmp_path / "work" / "clip.avi", 2)
    ds = FaceDataset(paths=["link/../imgs/a.png", "clip.avi"], subject=["a", "b"],
                     video_frame=[-1, 0])
    sources, _ = resolve_sources(ds)
    assert read_image(sources[0])[0, 0].max() == 200
