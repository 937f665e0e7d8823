"""A crop rerun where no input can be read leaves OUT as it was (it emptied it).

Inputs all unreadable (a mount gone bad, files replaced by others): the earlier run's
crops and landmarks.csv stay, as ``aufeat predict`` leaves its earlier CSV.
"""

import subprocess
import sys

import cv2
import numpy as np


def _crop(cwd, *args):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", "in", "--out",
                           "out", "--detect", "no", "--size", "16", "--quiet", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _inputs(tmp_path, n=3):
    (tmp_path / "in").mkdir()
    rng = np.random.default_rng(0)
    for i in range(n):
        assert cv2.imwrite(str(tmp_path / "in" / f"f{i}.png"),
                           rng.integers(0, 256, (24, 24, 3), dtype=np.uint8))


def test_a_rerun_reading_no_input_changes_nothing(tmp_path):
    _inputs(tmp_path)
    assert _crop(tmp_path).returncode == 0
    before = _snapshot(tmp_path / "out")
    assert len(before) == 4  # three crops and landmarks.csv
    for file in (tmp_path / "in").iterdir():
        file.write_bytes(b"not an image any more")
    proc = _crop(tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert _snapshot(tmp_path / "out") == before
    lines = proc.stderr.splitlines()
    assert len(lines) == 4, proc.stderr  # each file named, then what was done
    assert lines[-1] == "aufeat crop: no input could be read; nothing was written: out is as it was"


def test_a_first_run_reading_no_input_writes_no_landmarks(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.png").write_bytes(b"not an image")
    proc = _crop(tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert not (tmp_path / "out" / "landmarks.csv").exists()


def test_a_rerun_reading_one_input_still_removes_the_unreadables_crops(tmp_path):
    _inputs(tmp_path)
    assert _crop(tmp_path).returncode == 0
    for name in ("f0.png", "f1.png"):  # the first files listed: unreadable before one reads
        (tmp_path / "in" / name).write_bytes(b"not an image any more")
    proc = _crop(tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["f2.png", "landmarks.csv"]
    rows = (tmp_path / "out" / "landmarks.csv").read_text().splitlines()
    assert len(rows) == 2  # the header and f2's row
