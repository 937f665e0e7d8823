"""``aufeat crop`` run again into the same --out: real subprocesses on tiny images."""

import csv
import subprocess
import sys

import cv2
import numpy as np

from .interrupt import interrupt_when


def _crop(*argv):
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", *map(str, argv),
                           "--detect", "no", "--size", "16", "--quiet"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def _noise(seed, shape=(24, 24, 3)):
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


def _video(path, n_frames):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 5, (24, 24))
    assert writer.isOpened()
    for i in range(n_frames):
        writer.write(_noise(i))
    writer.release()
    return path


def _rows(out):
    with open(out / "landmarks.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_shorter_video_of_the_same_name_leaves_no_frame_of_the_longer_one(tmp_path):
    video, out = tmp_path / "in" / "clip.avi", tmp_path / "out"
    video.parent.mkdir()
    _crop(_video(video, 6), "--out", out)
    assert len(list((out / "clip").glob("*.png"))) == 6
    _crop(_video(video, 2), "--out", out)
    rows = _rows(out)
    assert len(rows) == 2
    assert sorted(p.name for p in (out / "clip").iterdir()) == [
        "frame_000000.png", "frame_000001.png"]


def test_inputs_left_out_of_a_rerun_lose_their_crops_and_nothing_else(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for name in ("a", "b"):
        assert cv2.imwrite(str(folder / f"{name}.png"), _noise(ord(name)))
    video = _video(folder / "v.avi", 2)
    _crop(folder / "a.png", folder / "b.png", video, "--out", out)
    assert {p.name for p in out.iterdir()} == {"a.png", "b.png", "v", "landmarks.csv"}
    mine = out / "notes.png"  # the user's own file: landmarks.csv never listed it
    assert cv2.imwrite(str(mine), _noise(7))
    _crop(folder / "a.png", "--out", out)
    assert [r["output"] for r in _rows(out)] == [str(out / "a.png")]
    assert {p.name for p in out.iterdir()} == {"a.png", "notes.png", "landmarks.csv"}
    assert sorted(p.name for p in folder.iterdir()) == ["a.png", "b.png", "v.avi"]


def test_ctrl_c_in_a_rerun_leaves_no_landmarks_csv_beside_crops_of_another_size(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for i in range(400):  # a few seconds of cropping: time to interrupt it
        assert cv2.imwrite(str(folder / f"{i:03d}.png"), _noise(i))
    _crop(folder / "000.png", folder / "001.png", "--out", out)  # the earlier run: 16 px
    assert len(_rows(out)) == 2
    argv = [sys.executable, "-m", "aufeat.cli.main", "crop", str(folder), "--out", str(out),
            "--detect", "no", "--size", "32", "--quiet"]
    returncode, err = interrupt_when(argv, (out / "002.png").exists, timeout=60)  # 32 px begun
    assert returncode == 130, err[-2000:]
    assert "Traceback" not in err
    assert cv2.imread(str(out / "000.png")).shape[0] == 32
    assert not (out / "landmarks.csv").exists()  # it described 16-px crops
    assert (out / "landmarks.csv.incomplete").is_file()  # the next run clears by it
    assert err.strip() == (f"aufeat crop: interrupted; {out} is incomplete and has no "
                           "landmarks.csv (its crops, and the earlier run's, are listed in "
                           "landmarks.csv.incomplete for the next run): rerun to finish")


def test_inputs_unreadable_in_a_rerun_lose_their_earlier_crops(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    image = folder / "pic.png"
    assert cv2.imwrite(str(image), _noise(1))
    video = _video(folder / "clip.avi", 3)
    _crop(image, video, "--out", out)
    assert len(list((out / "clip").glob("frame_*.png"))) == 3
    assert (out / "pic.png").is_file()
    image.write_bytes(b"broken")  # a failed re-copy
    video.write_bytes(b"broken")
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", str(image),
                           str(video), "--out", str(out), "--detect", "no", "--size", "16",
                           "--quiet"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "pic.png" in proc.stderr
    assert "clip.avi" in proc.stderr
    assert _rows(out) == []
    assert not (out / "pic.png").exists()
    assert list((out / "clip").glob("frame_*.png")) == []
