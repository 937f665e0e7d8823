"""``aufeat crop`` run again into the same --out: real subprocesses on tiny images."""

import subprocess
import sys

import cv2

from .crop_helpers import crop, landmark_rows, noise, write_video
from .interrupt import interrupt_when


def test_a_shorter_video_of_the_same_name_leaves_no_frame_of_the_longer_one(tmp_path):
    video, out = tmp_path / "in" / "clip.avi", tmp_path / "out"
    video.parent.mkdir()
    crop(write_video(video, 6), "--out", out)
    assert len(list((out / "clip").glob("*.png"))) == 6
    crop(write_video(video, 2), "--out", out)
    rows = landmark_rows(out)
    assert len(rows) == 2
    assert sorted(p.name for p in (out / "clip").iterdir()) == [
        "frame_000000.png", "frame_000001.png"]


def test_inputs_left_out_of_a_rerun_lose_their_crops_and_nothing_else(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for name in ("a", "b"):
        assert cv2.imwrite(str(folder / f"{name}.png"), noise(ord(name)))
    video = write_video(folder / "v.avi", 2)
    crop(folder / "a.png", folder / "b.png", video, "--out", out)
    assert {p.name for p in out.iterdir()} == {"a.png", "b.png", "v", "landmarks.csv"}
    mine = out / "notes.png"  # the user's own file: landmarks.csv never listed it
    assert cv2.imwrite(str(mine), noise(7))
    crop(folder / "a.png", "--out", out)
    assert [r["output"] for r in landmark_rows(out)] == [str(out / "a.png")]
    assert {p.name for p in out.iterdir()} == {"a.png", "notes.png", "landmarks.csv"}
    assert sorted(p.name for p in folder.iterdir()) == ["a.png", "b.png", "v.avi"]


def test_ctrl_c_in_a_rerun_leaves_no_landmarks_csv_beside_crops_of_another_size(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for i in range(400):  # a few seconds of cropping: time to interrupt it
        assert cv2.imwrite(str(folder / f"{i:03d}.png"), noise(i))
    crop(folder / "000.png", folder / "001.png", "--out", out)  # the earlier run: 16 px
    assert len(landmark_rows(out)) == 2
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
                           "landmarks.csv.incomplete for the next run): rerun it to "
                           "finish (a rerun starts over: the crops written so far are "
                           "written again)")


def test_inputs_unreadable_in_a_rerun_lose_their_earlier_crops(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    image = folder / "pic.png"
    assert cv2.imwrite(str(image), noise(1))
    video = write_video(folder / "clip.avi", 3)
    kept = folder / "z.png"  # read in both runs (a run reading none changes nothing)
    assert cv2.imwrite(str(kept), noise(2))
    crop(image, video, kept, "--out", out)
    assert len(list((out / "clip").glob("frame_*.png"))) == 3
    assert (out / "pic.png").is_file()
    image.write_bytes(b"broken")  # a failed re-copy
    video.write_bytes(b"broken")
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", str(image),
                           str(video), str(kept), "--out", str(out), "--detect", "no",
                           "--size", "16", "--quiet"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "pic.png" in proc.stderr
    assert "clip.avi" in proc.stderr
    assert [row["input"] for row in landmark_rows(out)] == [str(kept)]
    assert not (out / "pic.png").exists()
    assert list((out / "clip").glob("frame_*.png")) == []
