"""to_manifest never writes a PNG over an image another row or another manifest uses."""

import cv2
import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_manifest
from aufeat.io import read_image


def _clip(path, values):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (16, 16))
    for v in values:
        writer.write(np.full((16, 16, 3), v, np.uint8))
    writer.release()


def test_resaving_in_place_refuses_to_overwrite_a_kept_still(tmp_path):
    mem = FaceDataset(images=np.stack([np.full((16, 16), v, np.uint8) for v in (10, 20)]),
                      subject=["s1", "s2"])
    csv_path = mem.to_manifest(tmp_path / "faces.csv")
    _clip(tmp_path / "clip.avi", (200, 210, 220))
    with open(csv_path, "a") as f:
        f.write("clip.avi,s3,,,2\n")
    before = csv_path.read_text()
    keep = load_manifest(csv_path)
    keep = keep[keep.subject != "s1"]
    with pytest.raises(ValueError, match=r"faces-000001\.png") as info:
        keep.to_manifest(csv_path)
    assert "image_dir" in str(info.value)
    assert csv_path.read_text() == before  # nothing written
    assert int(read_image(str(tmp_path / "faces_images" / "faces-000001.png")).mean()) == 20
    back = keep.to_manifest(tmp_path / "kept.csv")  # another name: its own PNGs
    assert int(load_manifest(back)[0].mean()) == 20


def test_two_manifests_sharing_an_image_dir_do_not_overwrite_each_other(tmp_path):
    shared = tmp_path / "shared"
    alice = FaceDataset(images=np.full((1, 8, 8), 10, np.uint8), subject=["alice"])
    bob = FaceDataset(images=np.full((1, 8, 8), 200, np.uint8), subject=["bob"])
    first = alice.to_manifest(tmp_path / "fold1" / "faces.csv", image_dir=shared)
    with pytest.raises(ValueError, match="already exists"):
        bob.to_manifest(tmp_path / "fold2" / "faces.csv", image_dir=shared)
    assert not (tmp_path / "fold2" / "faces.csv").exists()
    back = load_manifest(first)
    assert back.subject.tolist() == ["alice"]
    assert int(back[0].mean()) == 10


def test_rewriting_the_same_manifest_overwrites_its_own_pngs(tmp_path):
    ds = FaceDataset(images=np.full((2, 8, 8), 10, np.uint8), subject=["a", "b"])
    csv_path = ds.to_manifest(tmp_path / "faces.csv")
    ds2 = FaceDataset(images=np.full((2, 8, 8), 50, np.uint8), subject=["a", "b"])
    ds2.to_manifest(csv_path)  # a script run again: the manifest's own images
    assert int(load_manifest(csv_path)[1].mean()) == 50
