"""dlib's CNN detector is never handed an image under 10 px a side.

On 8-9 px images (and the 9 px strips CNN_MAX_SIDE's shrinking can make) it raised a raw
RuntimeError and corrupted memory: a later call could abort Python. Each check runs in
a subprocess for that reason.
"""

import csv
import json
import subprocess
import sys

import cv2
import numpy as np
import pytest

_SCRIPT = """
import json
import numpy as np
from skimage import data
from aufeat.face import FaceAligner, detect_faces

rng = np.random.default_rng(0)
found = {}
for h, w in [(8, 8), (9, 9), (9, 40), (40, 9), (8, 300)]:
    image = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    for upsample in (0, "auto"):
        found[f"{h}x{w} {upsample}"] = len(detect_faces(image, detector="cnn",
                                                        upsample=upsample))
# 'auto' shrinks a 4000x28 strip for the CNN to 1280x9
strip = rng.integers(0, 256, (4000, 28, 3), dtype=np.uint8)
found["4000x28 auto"] = len(detect_faces(strip, detector="cnn"))
found["8x8 aligner"] = bool(FaceAligner(detector="hog+cnn", on_missing="nan").align(
    rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)).success)
# the CNN still works afterwards
found["astronaut"] = len(detect_faces(data.astronaut(), detector="cnn"))
print(json.dumps(found))
"""


def test_the_cnn_detector_finds_no_face_in_tiny_images_and_survives():
    proc = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]  # was 1 (RuntimeError) or -11 / -6
    found = json.loads(proc.stdout.splitlines()[-1])
    assert found.pop("astronaut") == 1
    assert found.pop("8x8 aligner") is False
    assert found == dict.fromkeys(found, 0)
    assert len(found) == 11


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    from aufeat.cli.main import main

    path = tmp_path_factory.mktemp("model") / "emotion.skops"
    # 3x8 faces (tests/cli/conftest.py's size): only its no-face rows are checked, not accuracy
    assert main(["train", "--dataset", "synthetic:3x8", "--task", "emotion", "--features",
                 "hog", "--model", "logreg", "--out", str(path)]) == 0
    return path


def _tiny_inputs(folder):
    rng = np.random.default_rng(1)
    paths = []
    for side in (8, 9):
        path = folder / f"tiny_{side}.png"
        assert cv2.imwrite(str(path), rng.integers(0, 256, (side, side, 3), dtype=np.uint8))
        paths.append(str(path))
    video = folder / "tiny_8.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (8, 8))
    for _ in range(3):
        writer.write(rng.integers(0, 256, (8, 8, 3), dtype=np.uint8))
    writer.release()
    return [*paths, str(video)]


def _rows(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def test_crop_and_predict_give_tiny_pictures_their_no_face_rows(tmp_path, model):
    inputs = _tiny_inputs(tmp_path)
    out = tmp_path / "crops"
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", *inputs, "--out",
                           str(out), "--quiet"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]  # was 1: RuntimeError from dlib
    rows = _rows(out / "landmarks.csv")
    assert len(rows) == 5  # two pictures, three frames
    assert {row["success"] for row in rows} == {"0"}
    table = tmp_path / "predictions.csv"
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "predict", str(model),
                           *inputs, "--out", str(table), "--quiet"], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = _rows(table)
    assert len(rows) == 5
    assert {row["success"] for row in rows} == {"0"}
