"""``aufeat crop`` / ``predict`` / ``extract`` name a folder's files as the folder was given."""

import csv
import subprocess
import sys

import cv2

from tests.cli.crop_helpers import extract_folder_rows, noise


def test_landmarks_csv_names_a_relative_folders_files_relatively(tmp_path):
    (tmp_path / "photos" / "sub").mkdir(parents=True)
    for name in ("b.png", "sub/a.png"):
        assert cv2.imwrite(str(tmp_path / "photos" / name), noise(len(name)))
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", "photos", "--out",
                           "out", "--detect", "no", "--size", "16", "--quiet"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / "out" / "landmarks.csv", newline="") as f:
        sources = [row["input"] for row in csv.DictReader(f)]
    assert sources == ["photos/b.png", "photos/sub/a.png"]  # as given, not absolute


def test_extract_rows_csv_names_a_relative_folders_files_relatively(tmp_path):
    (tmp_path / "photos" / "sub").mkdir(parents=True)
    for name in ("b.png", "sub/a.png"):
        assert cv2.imwrite(str(tmp_path / "photos" / name), noise(len(name)))
    rows = extract_folder_rows(tmp_path)
    assert [row["path"] for row in rows] == ["photos/b.png", "photos/sub/a.png"]


def test_a_folder_given_with_dotdot_is_read_and_named_as_given(tmp_path):
    (tmp_path / "photos").mkdir()
    (tmp_path / "work").mkdir()
    assert cv2.imwrite(str(tmp_path / "photos" / "b.png"), noise(1))
    for argv, listing in ((["crop", "../photos", "--out", "out", "--detect", "no", "--size",
                            "16", "--quiet"], ("out/landmarks.csv", "input")),
                          (["extract", "--dataset", "folder:../photos", "--features", "lbp",
                            "--cache", "cache", "--out-dir", "x", "--no-progress"],
                           ("x/rows.csv", "path"))):
        proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", *argv],
                              capture_output=True, text=True, timeout=120, cwd=tmp_path / "work")
        assert proc.returncode == 0, proc.stderr
        with open(tmp_path / "work" / listing[0], newline="") as f:
            assert [row[listing[1]] for row in csv.DictReader(f)] == ["../photos/b.png"]
