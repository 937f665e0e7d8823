"""``aufeat crop`` removes only what an earlier run listed: real subprocesses on tiny inputs."""

import csv
import subprocess
import sys

import cv2
import numpy as np


def _crop(*argv, returncode=0):
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", *map(str, argv),
                           "--detect", "no", "--size", "16", "--quiet"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == returncode, proc.stderr[-2000:]
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


def test_the_users_own_frame_files_in_a_videos_folder_stay(tmp_path):
    out = tmp_path / "work"
    mine = out / "clip"
    mine.mkdir(parents=True)
    names = [f"frame_{i:04d}.png" for i in range(1, 5)] + ["frame_0000001.png"]
    for i, name in enumerate(names):  # as ffmpeg's frame_%04d.png names them
        assert cv2.imwrite(str(mine / name), _noise(100 + i))
    video = _video(tmp_path / "clip.avi", 3)
    _crop(video, "--out", out)
    written = {f"frame_{i:06d}.png" for i in range(3)}
    assert {p.name for p in mine.iterdir()} == set(names) | written
    _crop(_video(video, 1), "--out", out)  # shorter: only the earlier run's frames go
    assert {p.name for p in mine.iterdir()} == set(names) | {"frame_000000.png"}


def test_a_folder_inside_out_is_cropped(tmp_path):
    project = tmp_path / "proj"
    raw = project / "raw"
    raw.mkdir(parents=True)
    for name in ("a", "b"):
        assert cv2.imwrite(str(raw / f"{name}.png"), _noise(ord(name)))
    _crop(raw, "--out", project)
    assert sorted(r["output"] for r in _rows(project)) == [
        str(project / "a.png"), str(project / "b.png")]
    _crop(raw, "--out", project)  # again: the crops beside raw/ are not inputs
    assert len(_rows(project)) == 2


def test_out_inside_an_input_folder_is_still_left_out(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    assert cv2.imwrite(str(folder / "a.png"), _noise(1))
    out = folder / "crops"
    _crop(folder, "--out", out)
    _crop(folder, "--out", out)  # the second run does not read the first one's crops
    assert [r["input"] for r in _rows(out)] == [str(folder / "a.png")]


def test_a_run_stopped_midway_leaves_a_list_the_next_run_cleans_by(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    images = [folder / f"{name}.png" for name in ("a", "b")]
    for i, image in enumerate(images):
        assert cv2.imwrite(str(image), _noise(10 + i))
    video = _video(folder / "clip.avi", 3)
    _crop(*images, "--out", out)
    blocked = out / "clip" / "frame_000001.png"  # as a full disk: the second frame fails
    blocked.mkdir(parents=True)
    proc = _crop(video, *images, "--out", out, returncode=2)
    assert "landmarks.csv.incomplete" in proc.stderr
    assert not (out / "landmarks.csv").exists()
    assert (out / "landmarks.csv.incomplete").is_file()
    assert (out / "clip" / "frame_000000.png").is_file()  # this run's, listed nowhere else
    _crop(images[0], "--out", out)  # fewer inputs: both earlier runs' other crops go
    assert [r["output"] for r in _rows(out)] == [str(out / "a.png")]
    assert not (out / "b.png").exists()
    assert not (out / "clip" / "frame_000000.png").exists()
    assert not (out / "landmarks.csv.incomplete").exists()
    assert blocked.is_dir()  # not a crop: left alone
