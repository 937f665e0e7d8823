"""Frame crops from frame 1,000,000 on (9.3 h at 30 fps) are named ``frame_1000000.png``:
7 digits. A rerun of ``aufeat crop`` must recognise them as the earlier run's crops, as it
does the 6-digit ones (it used to match exactly 6 digits and leave them behind, unlisted).
"""

import csv
import subprocess
import sys

import cv2
import numpy as np


def _earlier_run(out, video, frames):
    """OUT as an earlier crop run of a long ``video`` leaves it: its crops and landmarks.csv."""
    folder = out / video.stem
    folder.mkdir(parents=True)
    rows = [["input", "frame", "timestamp", "success", "score", "output"]]
    for n in frames:  # named as aufeat crop names a frame's crop
        crop = folder / f"frame_{n:06d}.png"
        cv2.imwrite(str(crop), np.zeros((8, 8, 3), np.uint8))
        rows.append([str(video), n, n / 30, 1, "", str(crop)])
    with open(out / "landmarks.csv", "w", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_a_rerun_removes_the_earlier_runs_crops_past_frame_999999(tmp_path):
    video = tmp_path / "v.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 30, (32, 24))
    for k in range(3):
        writer.write(np.random.default_rng(k).integers(0, 255, (24, 32, 3), dtype=np.uint8))
    writer.release()
    out = tmp_path / "out"
    _earlier_run(out, video, [999_999, 1_000_000, 12_345_678])
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", str(video),
                           "--out", str(out), "--detect", "no", "--size", "16", "--quiet"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    left = sorted(p.name for p in (out / video.stem).iterdir())
    assert left == [f"frame_{k:06d}.png" for k in range(3)]  # the shorter video's own only


def test_a_7_digit_frame_crop_no_run_listed_is_refused(tmp_path):
    video = tmp_path / "v.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 30, (32, 24))
    writer.write(np.zeros((24, 32, 3), np.uint8))
    writer.release()
    mine = tmp_path / "out" / "v" / "frame_1000000.png"
    mine.parent.mkdir(parents=True)
    mine.write_bytes(b"my own file")
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", str(video),
                           "--out", str(tmp_path / "out"), "--detect", "no", "--quiet"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "frame_1000000.png" in proc.stderr
    assert mine.read_bytes() == b"my own file"
