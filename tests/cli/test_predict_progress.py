"""`aufeat predict`'s bar: photos alone have a known count (so an end and a time left)."""

import shutil

import cv2

from .predict_helpers import run_predict


def test_a_bar_over_photos_counts_them_to_the_end(emotion_model, tmp_path):
    photos = tmp_path / "photos"
    shutil.copytree(emotion_model["images"], photos)
    (photos / "broken.png").write_bytes(b"not a png")  # counted too: read or not
    run = run_predict(emotion_model["model"], photos, out=tmp_path / "p.csv", quiet=False)
    assert run.returncode == 1, run.stderr[-2000:]  # the broken photo is named
    assert "broken.png" in run.stderr
    assert "9/9 [" in run.stderr, run.stderr[-2000:]
    assert "image/s" in run.stderr or "s/image" in run.stderr


def test_a_bar_over_a_video_counts_frames_without_an_end(emotion_model, tmp_path):
    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 64))
    face = cv2.resize(cv2.imread(str(next(emotion_model["images"].glob("*.png")))), (64, 64))
    for _ in range(5):
        writer.write(face)
    writer.release()
    photo = next(emotion_model["images"].glob("*.png"))
    run = run_predict(emotion_model["model"], video, photo, out=tmp_path / "p.csv",
                      quiet=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "6frame" in run.stderr.replace(" ", ""), run.stderr[-2000:]  # 5 frames + the photo
    assert "/6 [" not in run.stderr
