"""folder: data sets read images only, and say so when the folder holds videos."""

import re
import warnings

import cv2
import numpy as np
import pytest

from aufeat.cli._specs import load_dataset_spec
from aufeat.datasets import DatasetError, load_image_folder
from aufeat.exceptions import AufeatWarning
from tests.datasets.conftest import write_png


def _video(path, n=3):
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25, (32, 32))
    for k in range(n):
        writer.write(np.full((32, 32, 3), 40 * k, np.uint8))
    writer.release()
    return path


def test_videos_in_a_folder_data_set_are_named_in_a_warning(tmp_path, faces):
    # aufeat predict and crop read these videos; the folder data set used to drop them
    # without a word, so aufeat train / aufeat-bench folder:PATH trained on 2 of 5 files
    images = faces.load_images()
    write_png(tmp_path / "happy" / "a.png", images[0])
    write_png(tmp_path / "sad" / "b.png", images[1])
    first = _video(tmp_path / "happy" / "clip.avi")
    _video(tmp_path / "sad" / "clip.MP4")
    _video(tmp_path / "sad" / "talk.mpg")
    for load in (lambda: load_image_folder(tmp_path),
                 lambda: load_dataset_spec(f"folder:{tmp_path}")):  # aufeat train, -bench
        with pytest.warns(AufeatWarning) as caught:
            ds = load()
        assert [str(w.message) for w in caught] == [
            f"{tmp_path}: left out 3 video files (first: {first}): a folder data set reads "
            "images only; to use video frames, list them in a manifest with a frame column "
            "(load_manifest)"]
        assert sorted(ds.paths) == [str(tmp_path / "happy" / "a.png"),
                                    str(tmp_path / "sad" / "b.png")]


def test_a_folder_of_videos_only_is_refused_with_the_manifest_advice(tmp_path):
    clip = _video(tmp_path / "happy" / "clip.avi")
    with pytest.raises(DatasetError, match="no image files found, only 1 video file "
                       rf"\(first: {re.escape(str(clip))}\): a folder data set reads "
                       "images only; to use video frames, list them in a manifest with a "
                       "frame column"):
        load_image_folder(tmp_path)


def test_a_folder_of_images_only_does_not_warn(tmp_path, faces):
    write_png(tmp_path / "happy" / "a.png", faces.load_images()[0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(load_image_folder(tmp_path)) == 1


def test_aufeat_extract_on_a_folder_with_videos_says_it_left_them_out(tmp_path, faces):
    import subprocess
    import sys

    write_png(tmp_path / "data" / "happy" / "a.png", faces.load_images()[0])
    first = _video(tmp_path / "data" / "happy" / "clip.avi")
    command = [sys.executable, "-m", "aufeat.cli.main", "extract", "--dataset",
               f"folder:{tmp_path / 'data'}", "--features", "lbp", "--cache",
               str(tmp_path / "cache"), "--no-progress"]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (f"aufeat extract: note: left out 1 video file (first: {first}): a folder data "
            "set reads images only") in proc.stderr
    first.with_name("a.png").unlink()  # only the video left
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert "no image files in it, only 1 video file" in proc.stderr.strip().splitlines()[-1]
