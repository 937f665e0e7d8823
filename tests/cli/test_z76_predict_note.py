"""``aufeat predict``'s note on pictures without a face counts pictures, not CSV rows.

A picture with two faces gives two rows: "no face detected in N of M images or frames"
took M from the rows. A real subprocess on real faces (skimage's astronaut).
"""

import csv
import subprocess
import sys

import cv2
import numpy as np
from skimage import data


def test_the_no_face_note_counts_images_and_frames_not_rows(emotion_model, tmp_path):
    face = cv2.resize(cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR), (384, 384))
    two = np.hstack([face, face[:, ::-1]])  # two faces, side by side
    assert cv2.imwrite(str(tmp_path / "two.png"), two)
    writer = cv2.VideoWriter(str(tmp_path / "v.avi"), cv2.VideoWriter_fourcc(*"MJPG"), 5,
                             (two.shape[1], two.shape[0]))
    for _ in range(3):  # --step 2: frames 0 and 2
        writer.write(two)
    writer.release()
    blank = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    assert cv2.imwrite(str(tmp_path / "noise.png"), blank)
    out = tmp_path / "p.csv"
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "predict",
                           str(emotion_model["model"]), str(tmp_path / "two.png"),
                           str(tmp_path / "v.avi"), str(tmp_path / "noise.png"), "--step", "2",
                           "--detector", "hog", "--out", str(out), "--quiet"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    with open(out, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["success"] for r in rows if r["file"].endswith("noise.png")] == ["0"]
    assert len(rows) > 4  # two.png and the 2 frames: more than one face each
    assert ("aufeat predict: note: no face detected in 1 of 4 images or frames; the model "
            "was trained on face crops") in proc.stderr
