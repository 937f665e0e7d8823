"""Rewriting a manifest with fewer rows, then its longer version again.

The PNGs of the dropped rows stay in its image folder (another manifest may name them).
Writing the longer version again is refused, as writing over them would change what
another manifest shows (TL4 f04); the message says they may be its own leftovers, which
the user deletes when nothing uses them (the first message named only "another
manifest's" images).
"""

import os

import numpy as np
import pytest

from aufeat.datasets import FaceDataset, load_manifest
from tests.datasets.conftest import noise_faces as _faces
from tests.datasets.conftest import write_png


def test_a_longer_rewrite_over_leftovers_is_refused_saying_they_may_be_leftovers(tmp_path):
    ds = _faces(4)
    csv = tmp_path / "m.csv"
    ds.to_manifest(csv)
    _faces(2, seed=3).to_manifest(csv)
    assert len(load_manifest(csv)) == 2
    assert len(os.listdir(tmp_path / "m_images")) == 4  # m-000002/3.png kept
    with pytest.raises(ValueError, match=r"m-000002\.png already exists and is not an image "
                                         r"of .*m\.csv: a leftover of an earlier, longer m\.csv"):
        ds.to_manifest(csv)
    assert len(load_manifest(csv)) == 2  # nothing written
    for name in ("m-000002.png", "m-000003.png"):  # nothing else uses them: the user deletes
        os.remove(tmp_path / "m_images" / name)
    ds.to_manifest(csv)
    np.testing.assert_array_equal(load_manifest(csv).load_images(), ds.load_images())


def test_other_manifests_and_kept_files_in_the_folder_stay(tmp_path):
    shared = tmp_path / "shared"
    _faces(3, seed=1).to_manifest(tmp_path / "n.csv", image_dir=shared)
    own = write_png(shared / "photo.png", np.full((8, 8), 7, np.uint8))
    csv = tmp_path / "m.csv"
    FaceDataset(paths=[str(own)], subject=["p"]).to_manifest(csv, image_dir=shared)
    _faces(3).to_manifest(csv, image_dir=shared)  # m-000000..2; photo.png no longer named
    _faces(1).to_manifest(csv, image_dir=shared)
    with pytest.raises(ValueError, match=r"m-000001\.png already exists"):
        _faces(3, seed=2).to_manifest(csv, image_dir=shared)  # over m-000001/2.png: refused
    assert sorted(os.listdir(shared)) == ["m-000000.png", "m-000001.png", "m-000002.png",
                                          "n-000000.png", "n-000001.png", "n-000002.png",
                                          "photo.png"]
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


def test_a_csv_of_the_same_name_never_writes_over_anothers_images(tmp_path):
    shared = tmp_path / "shared"
    a = _faces(4, seed=2)
    a.to_manifest(tmp_path / "a" / "m.csv", image_dir=shared)
    load_manifest(tmp_path / "a" / "m.csv")[1:2].to_manifest(tmp_path / "b" / "m.csv",
                                                               image_dir=shared)
    with pytest.raises(ValueError, match=r"m-000000\.png already exists"):
        _faces(4, seed=3).to_manifest(tmp_path / "b" / "m.csv", image_dir=shared)
    np.testing.assert_array_equal(load_manifest(tmp_path / "a" / "m.csv").load_images(),
                                  a.load_images())
