"""Rewriting a manifest with fewer rows, then its longer version again.

The PNGs of the dropped rows stay in its image folder (another manifest may name them),
and used to block writing the longer version again, as "another manifest's" images: they
are its own leftovers, written over.
"""

import os

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_manifest
from tests.datasets.conftest import write_png


def _faces(n, seed=0):
    images = np.random.default_rng(seed).integers(0, 256, (n, 8, 8)).astype(np.uint8)
    return FaceDataset(images=images, subject=[f"s{i}" for i in range(n)])


def test_a_shorter_rewrite_leaves_no_png_that_blocks_the_longer_one(tmp_path):
    ds = _faces(4)
    csv = tmp_path / "m.csv"
    ds.to_manifest(csv)
    _faces(2, seed=3).to_manifest(csv)
    assert len(load_manifest(csv)) == 2
    assert len(os.listdir(tmp_path / "m_images")) == 4  # m-000002/3.png kept
    ds.to_manifest(csv)  # was refused: m-000002.png "is not an image of m.csv"
    back = load_manifest(csv)
    np.testing.assert_array_equal(back.load_images(), ds.load_images())


def test_other_manifests_and_kept_files_in_the_folder_stay(tmp_path):
    shared = tmp_path / "shared"
    _faces(3, seed=1).to_manifest(tmp_path / "n.csv", image_dir=shared)
    own = write_png(shared / "photo.png", np.full((8, 8), 7, np.uint8))
    csv = tmp_path / "m.csv"
    FaceDataset(paths=[str(own)], subject=["p"]).to_manifest(csv, image_dir=shared)
    _faces(3).to_manifest(csv, image_dir=shared)  # m-000000..2; photo.png no longer named
    _faces(1).to_manifest(csv, image_dir=shared)
    _faces(3, seed=2).to_manifest(csv, image_dir=shared)  # over its own m-000001/2.png
    assert sorted(os.listdir(shared)) == ["m-000000.png", "m-000001.png", "m-000002.png",
                                          "n-000000.png", "n-000001.png", "n-000002.png",
                                          "photo.png"]
    np.testing.assert_array_equal(load_manifest(csv).load_images(),
                                  _faces(3, seed=2).load_images())
    assert len(load_manifest(tmp_path / "n.csv")) == 3
    with pytest.raises(ValueError, match=r"n-000000\.png already exists and is not an image"):
        _faces(1).to_manifest(tmp_path / "other" / "n.csv", image_dir=shared)  # still refused


def test_a_refused_rewrite_removes_nothing(tmp_path):
    csv = tmp_path / "m.csv"
    _faces(3).to_manifest(csv)
    short = FaceDataset(images=np.full((1, 8, 8), 2.0), subject=["a"])  # floats over [0, 1]
    with pytest.raises(ValueError, match="float pixels"):
        short.to_manifest(csv)
    assert len(os.listdir(tmp_path / "m_images")) == 3
    assert len(load_manifest(csv)) == 3
