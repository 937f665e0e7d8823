"""load_manifest: paths written with Windows separators ('imgs\\a.png')."""

import os

import numpy as np
import pytest

from aufeat.datasets import DatasetNotFoundError, load_manifest
from tests.datasets.conftest import write_png


def _img(path, value):
    return write_png(path, np.full((8, 8), value, np.uint8))


@pytest.mark.skipif(os.sep != "/", reason="backslash is a separator on Windows")
def test_windows_separators_are_read(tmp_path):
    _img(tmp_path / "imgs" / "a.png", 10)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "win.csv").write_text("path,subject\n..\\imgs\\a.png,s1\n")
    ds = load_manifest(tmp_path / "sub" / "win.csv")
    assert os.path.samefile(ds.paths[0], tmp_path / "imgs" / "a.png")


@pytest.mark.skipif(os.sep != "/", reason="backslash is a separator on Windows")
def test_missing_backslash_path_says_how_it_was_read(tmp_path):
    (tmp_path / "win.csv").write_text("path,subject\nC:\\data\\a.png,s1\n")
    with pytest.raises(DatasetNotFoundError, match=r"backslash.*'/'"):
        load_manifest(tmp_path / "win.csv")
