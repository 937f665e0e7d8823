"""A manifest named by its absolute path loads in a working folder that was removed.

``load_manifest`` asked for the working folder to place the CSV's folder even when its
path was absolute: a bare FileNotFoundError naming no file, where the data sets' loaders
(``absolute``) need none.
"""

import os

import numpy as np
from PIL import Image

from aufeat.datasets import load_manifest


def test_an_absolute_manifest_path_needs_no_working_folder(tmp_path, monkeypatch):
    Image.fromarray(np.full((8, 8), 200, np.uint8)).save(tmp_path / "a.png")
    (tmp_path / "m.csv").write_text("path,subject,emotion\na.png,S1,happy\n")
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    os.rmdir(gone)
    data = load_manifest(tmp_path / "m.csv")
    assert list(data.paths) == [str(tmp_path / "a.png")]
    assert list(data.emotion) == ["happiness"]
