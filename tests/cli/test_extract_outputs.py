"""``aufeat extract --out-dir``: what it writes beside the cache."""

import csv
import os
import shutil

import numpy as np
import pytest

from aufeat.cli.main import main
from tests.cache.conftest import write_pngs


def test_rows_csv_names_a_file_whose_name_is_not_utf8(tmp_path, capsys):
    """A Latin-1 'café.png' (unzipped from an old archive) is listed by its bytes."""
    folder = tmp_path / "images"
    first, second = write_pngs(folder, 2)
    latin1 = os.fsencode(folder) + b"/caf\xe9.png"
    try:
        shutil.move(first, os.fsdecode(latin1))
    except (OSError, UnicodeError):  # pragma: no cover - a file system of UTF-8 names only
        pytest.skip("this file system refuses names that are not UTF-8")
    out = tmp_path / "out"
    status = main(["extract", "--dataset", f"folder:{folder}", "--features", "lbp",
                   "--cache", str(tmp_path / "cache"), "--no-progress", "--out-dir", str(out)])
    assert status == 0, capsys.readouterr().err
    assert np.load(out / "lbp.npy").shape[0] == 2
    with open(out / "rows.csv", newline="", encoding="utf-8", errors="surrogateescape") as f:
        rows = list(csv.DictReader(f))
    assert [os.fsencode(r["path"]) for r in rows] == sorted([latin1, os.fsencode(second)])
