"""``aufeat crop`` that cannot write a crop stops there: real subprocesses on tiny inputs."""

import subprocess
import sys

import cv2

from .crop_helpers import noise


def test_a_crop_that_cannot_be_written_stops_the_run_and_blames_no_input(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    video = inputs / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 5, (24, 24))
    for i in range(3):
        writer.write(noise(i))
    writer.release()
    images = [inputs / f"{name}.png" for name in ("a", "b")]
    for i, image in enumerate(images):
        assert cv2.imwrite(str(image), noise(10 + i))
    # the second frame's crop cannot be written (its name is taken by a folder), as on a
    # full disk: the write fails, not the reading of clip.avi or of the images after it
    blocked = out / "clip" / "frame_000001.png"
    blocked.mkdir(parents=True)
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", str(video),
                           *map(str, images), "--out", str(out), "--detect", "no",
                           "--size", "16", "--quiet"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"aufeat crop: error: could not write {blocked}: ")
    assert lines[0].endswith(f"; {out} is incomplete and has no landmarks.csv (its crops, "
                             "and the earlier run's, are listed in landmarks.csv.incomplete "
                             "for the next run)")
    assert str(video) + ":" not in lines[0]  # the input is not named as unreadable
    assert (out / "clip" / "frame_000000.png").is_file()
    assert not (out / "a.png").exists()  # the run stopped there
    assert not (out / "b.png").exists()
    assert not (out / "landmarks.csv").exists()
