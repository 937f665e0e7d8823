"""to_manifest writes all or nothing: an empty data set is refused, images a PNG cannot hold
are refused before the first PNG, and a failure while writing leaves no PNG behind."""

import os

import cv2
import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_manifest, make_synthetic_faces
from aufeat.exceptions import InvalidImageError


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_an_empty_selection_is_refused_and_the_old_manifest_kept(tmp_path):
    ds = make_synthetic_faces(2, 3, size=32, emotions=["happiness", "neutral"])
    csv = ds.to_manifest(tmp_path / "faces.csv")
    before = csv.read_bytes()
    with pytest.raises(ValueError, match=r"has no rows .*load_manifest refuses a manifest "
                                         r"without rows"):
        ds[ds.emotion == "contempt"].to_manifest(csv)
    assert csv.read_bytes() == before
    assert len(load_manifest(csv)) == 6
    ds.to_manifest(csv)  # the full set again: its own images


def test_an_empty_data_set_writes_nothing(tmp_path):
    empty = FaceDataset(images=np.zeros((0, 8, 8), np.uint8), subject=[])
    with pytest.raises(ValueError, match="has no rows"):
        empty.to_manifest(tmp_path / "out" / "faces.csv")
    assert _files(tmp_path) == []


@pytest.mark.parametrize(("bad", "fragment"), [
    (np.full((8, 8, 2), 120, np.uint8), r"row 2 of the data set has shape \(8, 8, 2\) "
                                        r"\(grey\+alpha"),
    (np.full((8, 8, 5), 120, np.uint8), r"row 2 of the data set has shape \(8, 8, 5\)"),
    (np.full((8, 8), -3, np.int16), r"row 2 of the data set: int16 pixels from -3"),
])
def test_an_image_a_png_cannot_hold_is_refused_before_any_png(tmp_path, bad, fragment):
    images = [np.full((8, 8), 50, np.uint8), np.full((8, 8, 3), 90, np.uint8), bad]
    ds = FaceDataset(images=images, subject=["a", "b", "c"])
    with pytest.raises(ValueError, match=fragment):
        ds.to_manifest(tmp_path / "faces.csv")
    assert _files(tmp_path) == []
    back = load_manifest(ds[:2].to_manifest(tmp_path / "faces.csv"))  # the good rows
    assert len(back) == 2


def test_a_failure_while_writing_removes_the_pngs_it_wrote(tmp_path):
    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (16, 16))
    for value in (40, 120, 200):
        writer.write(np.full((16, 16, 3), value, np.uint8))
    writer.release()
    ds = FaceDataset(paths=[video, video], subject=["a", "b"], video_frame=[0, 50])
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InvalidImageError, match="frame 50 could not be read"):
        ds.to_manifest(out / "faces.csv")
    assert _files(out) == []
    ds[:1].to_manifest(out / "faces.csv")  # not blocked by a PNG left behind
    assert len(load_manifest(out / "faces.csv")) == 1


def test_a_failed_rewrite_keeps_the_pngs_of_the_old_manifest(tmp_path):
    pixels = np.arange(3 * 64, dtype=np.uint8).reshape(3, 8, 8)
    csv = FaceDataset(images=pixels[:1], subject=["a"]).to_manifest(tmp_path / "faces.csv")
    old = _files(tmp_path)
    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (16, 16))
    writer.write(np.full((16, 16, 3), 9, np.uint8))
    writer.release()
    ds = FaceDataset(paths=[video, video], subject=["a", "b"], video_frame=[0, 50])
    with pytest.raises(InvalidImageError, match="frame 50 could not be read"):
        ds.to_manifest(csv)
    assert _files(tmp_path) == sorted([*old, "clip.avi"])
    assert os.path.isfile(tmp_path / "faces_images" / "faces-000000.png")


def test_bool_images_are_written_as_0_255(tmp_path):
    pixels = np.zeros((1, 8, 8), bool)
    pixels[0, :4] = True
    ds = FaceDataset(images=pixels, subject=["a"])
    back = load_manifest(ds.to_manifest(tmp_path / "m.csv"))
    np.testing.assert_array_equal(back.load_images(), ds.load_images())


def test_load_images_names_grey_alpha_beside_rgb():
    ds = FaceDataset(images=[np.zeros((8, 8, 3), np.uint8), np.zeros((8, 8, 2), np.uint8)],
                     subject=["a", "b"])
    with pytest.raises(ValueError, match=r"mix 2 and 3 colour channels \(grey\+alpha and RGB\)"):
        ds.load_images()
