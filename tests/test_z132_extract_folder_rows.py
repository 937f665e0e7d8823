"""Z132 F4: ``aufeat extract --dataset folder:`` writes rows.csv's ``subject`` column too."""

import csv
import subprocess
import sys

import cv2

from aufeat.datasets import load_image_folder
from tests.cli.crop_helpers import noise


def test_folder_rows_csv_has_the_subjects_load_image_folder_gives(tmp_path):
    names = ("anger/S1 a.png", "anger/S2/b.png", "happy/c.png")
    for name in names:
        (tmp_path / "photos" / name).parent.mkdir(parents=True, exist_ok=True)
        assert cv2.imwrite(str(tmp_path / "photos" / name), noise(len(name)))
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "extract", "--dataset",
                           "folder:photos", "--features", "lbp", "--cache", "cache",
                           "--out-dir", "out", "--no-progress"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / "out" / "rows.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["row", "path", "subject"]
    assert [r["path"] for r in rows] == [f"photos/{n}" for n in names]  # as the folder was given
    read = load_image_folder(tmp_path / "photos", label_from=None)  # as aufeat train names them
    assert [r["subject"] for r in rows] == read.subject.tolist()
    assert read.subject.tolist() == list(names)
