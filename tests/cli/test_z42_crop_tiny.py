"""``aufeat crop``: an image that decodes but is too small to hold a face gets a row.

A 1x1 tracking pixel or a 3x2000 strip is a picture without a face (success=0, as
``aufeat predict`` writes it), not an unreadable file (exit 1, no row); an earlier
run's crop of that input is removed, as for any input without a face.
"""

from pathlib import Path

import cv2
import numpy as np

from .crop_helpers import landmark_rows, run_crop


def test_tiny_images_get_a_row_without_a_face(tmp_path, astronaut):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    head = cv2.cvtColor(astronaut[20:260, 100:340], cv2.COLOR_RGB2BGR)
    cv2.imwrite(str(folder / "face.png"), head)
    cv2.imwrite(str(folder / "pixel.png"), np.zeros((1, 1, 3), np.uint8))
    cv2.imwrite(str(folder / "strip.png"), np.zeros((3, 2000), np.uint8))
    cv2.imwrite(str(folder / "unreadable.png"), head)
    (folder / "unreadable.png").write_bytes(b"not an image")
    run = run_crop(folder, "--out", out, "--quiet", "--detector", "hog", "--size", "48")
    assert run.returncode == 1, run.stderr  # the unreadable file only
    assert "unreadable.png" in run.stderr
    assert "pixel.png" not in run.stderr
    assert "strip.png" not in run.stderr
    rows = {Path(r["input"]).name: r for r in landmark_rows(out)}
    assert sorted(rows) == ["face.png", "pixel.png", "strip.png"]
    assert rows["face.png"]["success"] == "1"
    for name in ("pixel.png", "strip.png"):
        assert rows[name]["success"] == "0"
        assert rows[name]["output"] == ""
        assert rows[name]["x0"] == ""


def test_an_earlier_crop_of_an_input_now_tiny_is_removed(tmp_path, astronaut):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    head = cv2.cvtColor(astronaut[20:260, 100:340], cv2.COLOR_RGB2BGR)
    cv2.imwrite(str(folder / "face.png"), head)
    assert run_crop(folder, "--out", out, "--quiet", "--detector", "hog").returncode == 0
    assert (out / "face.png").is_file()
    cv2.imwrite(str(folder / "face.png"), head[:4])  # replaced by a 4-pixel strip
    run = run_crop(folder, "--out", out, "--quiet", "--detector", "hog")
    assert run.returncode == 0, run.stderr
    assert {Path(r["input"]).name: r for r in landmark_rows(out)}["face.png"]["success"] == "0"
    assert not (out / "face.png").exists()
