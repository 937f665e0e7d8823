import csv
import os
import subprocess
import sys

import cv2
import numpy as np
import pytest

from aufeat.cli.main import main
from aufeat.io import read_image

from .conftest import place, write_video


def _png(path, rgb):
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR) if rgb.ndim == 3 else rgb)
    return path


@pytest.fixture
def inputs(tmp_path, small_head, rng):
    folder = tmp_path / "in"
    _png(folder / "face.png", small_head)
    _png(folder / "sub" / "face.png", place(small_head, angle=15))  # same name, other folder
    _png(folder / "noise.png", rng.integers(0, 256, (100, 100), dtype=np.uint8))
    video = write_video(tmp_path / "clip.avi",
                        [place(small_head, shift=(2 * i, 0), canvas=(200, 240)) for i in range(5)])
    return folder, video


def _rows(out):
    with open(out / "landmarks.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def test_crop_images_folders_and_videos(tmp_path, inputs, capsys):
    folder, video = inputs
    out = tmp_path / "out"
    status = main(["crop", str(folder), str(video), "--out", str(out), "--size", "64",
                   "--mask", "--quiet", "--detect-every", "2"])
    assert status == 0
    rows = _rows(out)
    assert len(rows) == 3 + 5
    by_input = {(r["input"], r["frame"]): r for r in rows}
    noise = by_input[(str(folder / "noise.png"), "")]
    assert noise["success"] == "0"
    assert noise["output"] == ""
    assert noise["x0"] == ""
    faces = [r for r in rows if r["success"] == "1"]
    assert len(faces) == 2 + 5
    outputs = {r["output"] for r in faces}
    assert len(outputs) == 7  # no file overwritten another
    for row in faces:
        crop = read_image(row["output"])
        assert crop.shape == (64, 64, 3)
        assert crop[0, 0].tolist() == [0, 0, 0]  # masked
        x = np.array([float(row[f"x{i}"]) for i in range(68)])
        assert 0 < x.min() < x.max() < 64
    frames = [r for r in rows if r["input"] == str(video)]
    assert [r["frame"] for r in frames] == ["0", "1", "2", "3", "4"]
    assert float(frames[1]["timestamp"]) == pytest.approx(0.04)
    assert frames[1]["score"] == ""
    assert frames[0]["score"] != ""
    assert capsys.readouterr().err == ""


def test_a_rerun_leaves_no_stale_crop_and_does_not_read_its_own_outputs(tmp_path, inputs):
    folder, _ = inputs
    out = folder / "crops"  # inside the input folder
    args = ["crop", str(folder), str(folder / "face.png"), "--out", str(out), "--quiet"]
    assert main(args) == 0  # face.png given twice: one input, one crop named face.png
    first = _rows(out)
    assert len(first) == 3
    assert (out / "face.png").is_file()
    assert not (out / "face_2.png").exists()
    assert main([*args, "--detect", "yes", "--min-size", "500"]) == 0  # second run: no face
    rows = _rows(out)
    assert len(rows) == 3  # the first run's crops are not inputs
    assert {r["success"] for r in rows} == {"0"}
    assert not any(out.glob("*.png"))  # no crop left that landmarks.csv does not list


def test_a_crop_kept_without_landmarks_has_blank_cells(tmp_path, rng):
    from aufeat.cli.crop import _row
    from aufeat.face import FaceAligner

    noise = _png(tmp_path / "in" / "noise.png", rng.integers(0, 256, (64, 64), dtype=np.uint8))
    out = tmp_path / "out"
    assert main(["crop", str(noise), "--out", str(out), "--detect", "no", "--quiet"]) == 0
    [row] = _rows(out)
    assert row["success"] == "1"  # kept as a declared crop
    # a fit far worse than max_fit_error keeps it unaligned (noise fits as well as faces:
    # only with a stricter limit than the CLI's)
    record = FaceAligner(detect=False, max_fit_error=1e-6).align(read_image(noise))
    assert record.source == "unaligned"
    cells = _row(noise, None, None, record, out / "noise.png")
    assert cells[3] == 1  # success
    assert cells[6:] == [""] * 136  # no landmarks: blank, as everywhere, not 'nan'


def test_a_video_named_like_the_landmarks_file_gets_its_own_folder(tmp_path, small_head):
    video = write_video(tmp_path / "landmarks.csv.avi",
                        [place(small_head, canvas=(200, 240)) for _ in range(2)])
    out = tmp_path / "out"
    assert main(["crop", str(video), "--out", str(out), "--quiet"]) == 0
    rows = _rows(out)
    assert [r["success"] for r in rows] == ["1", "1"]
    assert all((out / r["output"]).is_file() for r in rows)
    assert (out / "landmarks.csv").is_file()


def test_crop_reports_bad_inputs_and_goes_on(tmp_path, small_head, capsys):
    good = _png(tmp_path / "good.png", small_head)
    bad = tmp_path / "bad.jpg"
    bad.write_text("not an image")
    tiny = _png(tmp_path / "tiny.png", np.zeros((1, 1), np.uint8))
    out = tmp_path / "out"
    status = main(["crop", str(bad), str(good), str(tiny), "--out", str(out), "--quiet",
                   "--gray"])
    assert status == 1
    err = capsys.readouterr().err
    assert "bad.jpg" in err
    assert "could not be decoded" in err
    [line] = [line for line in err.splitlines() if "bad.jpg" in line]
    assert line.count("bad.jpg") == 1  # the file is named once
    assert "tiny.png" not in err  # read, and without a face: a row, not an error
    rows = _rows(out)
    assert [(r["input"], r["success"]) for r in rows] == [(str(good), "1"), (str(tiny), "0")]
    assert read_image(rows[0]["output"]).shape == (112, 112)


def test_crop_finds_a_face_hog_misses_with_the_detector_training_uses(tmp_path, astronaut):
    # train and predict default to hog+cnn; crops made with HOG alone lost these faces
    from skimage.transform import rotate

    turned = _png(tmp_path / "turned.png",
                  (rotate(astronaut, 50, mode="edge") * 255).astype(np.uint8))
    assert main(["crop", str(turned), "--out", str(tmp_path / "default"), "--quiet"]) == 0
    assert [r["success"] for r in _rows(tmp_path / "default")] == ["1"]
    assert main(["crop", str(turned), "--out", str(tmp_path / "hog"), "--quiet",
                 "--detector", "hog"]) == 0
    assert [r["success"] for r in _rows(tmp_path / "hog")] == ["0"]


def test_crop_rejects_bad_options(tmp_path, small_head, capsys):
    good = _png(tmp_path / "good.png", small_head)
    assert main(["crop", str(good), "--out", str(tmp_path), "--size", "2"]) == 2
    assert "size" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["crop", str(good)])  # --out is required


def test_crop_command_in_a_subprocess(tmp_path, small_head):
    image = _png(tmp_path / "face.png", small_head)
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "aufeat.cli.main", "crop", str(image), "--out", str(out),
         "--size", "48"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "1 of 1 images/frames aligned" in result.stderr
    assert read_image(out / "face.png").shape == (48, 48, 3)


def test_file_names_that_are_not_utf8(tmp_path, small_head):
    # Latin-1 names, as from an old camera or archive; OpenCV crashed on such a video's name
    import os

    folder = tmp_path / "in"
    image = _png(folder / "face.png", small_head)
    os.rename(image, os.fsencode(folder) + b"/caf\xe9.png")
    video = write_video(tmp_path / "clip.avi", [place(small_head, canvas=(200, 240))] * 2)
    os.rename(video, os.fsencode(folder) + b"/clip\xe9.avi")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "aufeat.cli.main", "crop", str(folder), "--out", str(out),
         "--quiet"], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1, result.stderr  # one file could not be read: no crash
    assert "not valid UTF-8; rename the file" in result.stderr
    with open(out / "landmarks.csv", newline="", errors="surrogateescape") as handle:
        [row] = list(csv.DictReader(handle))  # the image, named by its own bytes
    assert os.fsencode(row["input"]).endswith(b"/caf\xe9.png")
    assert row["success"] == "1"


@pytest.mark.parametrize("ending", [".3gp", ".MTS"])
def test_phone_and_camcorder_videos_in_a_folder_are_videos(tmp_path, small_head, ending):
    folder = tmp_path / "in"
    folder.mkdir()
    video = write_video(tmp_path / "clip.avi", [place(small_head, canvas=(200, 240))] * 2)
    video.rename(folder / f"clip{ending}")  # the container is probed, not named
    out = tmp_path / "out"
    assert main(["crop", str(folder), "--out", str(out), "--quiet"]) == 0
    assert [r["frame"] for r in _rows(out)] == ["0", "1"]


def test_a_file_that_is_no_video_gives_aufeats_line_without_ffmpegs(tmp_path):
    """FFmpeg printed '[mov,mp4,... @ 0x...] moov atom not found' before aufeat's own line."""
    video = tmp_path / "clip.mp4"
    video.write_text("this is not a video\n" * 5)
    env = {k: v for k, v in os.environ.items() if k != "OPENCV_FFMPEG_LOGLEVEL"}
    result = subprocess.run(
        [sys.executable, "-m", "aufeat.cli.main", "crop", str(video), "--out",
         str(tmp_path / "out"), "--quiet"],
        capture_output=True, text=True, timeout=120, check=False, env=env)
    assert result.returncode == 1, result.stderr
    assert "could not be opened as a video" in result.stderr
    assert "moov atom" not in result.stderr
