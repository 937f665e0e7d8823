"""Z133 F3, F4, F5: ``aufeat crop`` with long names, a pipe in OUT, two OUTs in one folder.

Real image files, real named pipes, the command in real subprocesses.
"""

import os
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

from aufeat.cli._crop_outputs import unique_path

from .crop_helpers import crop, landmark_rows, noise


def test_two_inputs_with_one_250_byte_name_are_both_cropped_in_every_run(tmp_path):
    """F3: the second one's `_1` name was 256 bytes: ENAMETOOLONG stopped every run."""
    name = "x" * 250 + ".jpeg"  # 255 bytes, the most a name may have
    for i, sub in enumerate(("a", "b")):
        (tmp_path / "in" / sub).mkdir(parents=True)
        assert cv2.imwrite(str(tmp_path / "in" / sub / name), noise(i))
    for _ in range(2):  # the rerun too
        crop(tmp_path / "in", "--out", tmp_path / "out")
        rows = landmark_rows(tmp_path / "out")
        outputs = [Path(r["output"]) for r in rows]
        assert len(rows) == 2, rows
        assert len(set(outputs)) == 2, rows
        assert all(p.is_file() and len(os.fsencode(p.name)) <= 255 for p in outputs)


def test_unique_names_are_cut_by_whole_utf8_characters_to_fit_255_bytes(tmp_path):
    """F3: 83 CJK characters (249 bytes) + `_10.png` is 256 bytes: a character goes."""
    path, used = tmp_path / ("顔" * 83 + ".png"), set()
    names = [unique_path(path, used).name for _ in range(12)]
    assert len(set(names)) == 12
    assert all(len(os.fsencode(n)) <= 255 for n in names)
    assert names[:2] == ["顔" * 83 + ".png", "顔" * 83 + "_1.png"]
    assert names[10] == "顔" * 82 + "_10.png"


@pytest.mark.parametrize("listing", ["landmarks.csv", "landmarks.csv.incomplete"])
def test_a_named_pipe_where_crop_lists_its_crops_is_refused_not_waited_on(tmp_path, listing):
    """F4: crop opened OUT/landmarks.csv (a FIFO) to read it and waited for ever."""
    assert cv2.imwrite(str(tmp_path / "a.png"), noise(0))
    (tmp_path / "out").mkdir()
    os.mkfifo(tmp_path / "out" / listing)
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop",
                           str(tmp_path / "a.png"), "--out", str(tmp_path / "out"),
                           "--detect", "no", "--size", "16", "--quiet"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert f"{listing} is a named pipe" in lines[0]
    assert (tmp_path / "out" / listing).is_fifo()  # left as it was
    assert not (tmp_path / "out" / "a.png").exists()


def test_a_second_out_inside_the_photo_folder_notes_the_first_outs_crops(tmp_path):
    """F5: the crops of photos/crops_a were cropped again into photos/crops_b, unnoted.

    They are still read (a list cannot tell crops from photos for sure: TL16), with a note.
    """
    photos = tmp_path / "photos"
    photos.mkdir()
    for i, name in enumerate(("p1.jpg", "p2.jpg")):
        assert cv2.imwrite(str(photos / name), noise(i))
    crop(photos, "--out", photos / "crops_a")
    proc = crop(photos, "--out", photos / "crops_b")
    assert sorted(Path(r["input"]).name for r in landmark_rows(photos / "crops_b")) \
        == ["p1.jpg", "p1.png", "p2.jpg", "p2.png"]
    assert "not an image" not in proc.stderr  # crops_a/landmarks.csv is no photo to convert
    notes = [line for line in proc.stderr.splitlines() if "crops_a" in line]
    assert len(notes) == 1, proc.stderr
    assert "read 2 files in " in notes[0]
    assert "(crops of crops); if they are, move " in notes[0]
