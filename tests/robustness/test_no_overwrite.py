"""No command writes over its inputs; existing outputs are replaced whole.

Every case runs the real command in a fresh process on real files in a
temporary folder, and compares a hash of every file in that folder before and
after.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from .conftest import (
    assert_one_line_error,
    assert_refused,
    changed,
    run_cli,
    snapshot,
    write_manifest,
    write_png,
)

BENCH = "aufeat.cli.bench"


@pytest.fixture
def photos(tmp_path, face_pixels):
    """A folder of three face photos."""
    for i in range(3):
        write_png(tmp_path / "photos" / f"p{i}.png", face_pixels[i])
    return tmp_path / "photos"


def test_crop_into_its_input_folder_is_refused(tmp_path, photos):
    assert_refused(tmp_path, "crop", photos, "--out", photos, "--quiet",
                   fragments=("is also an input folder",))


def test_crop_output_that_would_replace_an_input_photo_is_refused(tmp_path, photos):
    assert_refused(tmp_path, "crop", photos / "p0.png", photos / "p1.png", "--out", photos,
                   "--quiet", "--detect", "no", fragments=("p0.png is also an input",))


def test_crop_where_a_video_frame_folder_holds_inputs_is_refused(tmp_path, face_pixels):
    import cv2

    folder = tmp_path / "data"
    video = folder / "clip.avi"
    folder.mkdir()
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 5, (112, 112))
    writer.write(np.ascontiguousarray(face_pixels[0][..., ::-1]))
    writer.release()
    write_png(folder / "clip" / "frame_000000.png", face_pixels[1])  # an earlier run's frame
    assert_refused(tmp_path, "crop", folder, "--out", folder, "--quiet",
                   fragments=("is also an input folder",))
    assert_refused(tmp_path, "crop", video, folder / "clip" / "frame_000000.png", "--out",
                   folder, "--quiet", fragments=("holds input", "frame_000000.png"))


def test_crop_writes_only_its_outputs_and_replaces_them_whole(tmp_path, photos):
    out = tmp_path / "crops"
    out.mkdir()
    (out / "landmarks.csv").write_text("input,frame,timestamp,success,score,output\n")  # crop's
    before = snapshot(tmp_path)
    proc = run_cli("crop", photos, "--out", out, "--quiet", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    after = snapshot(tmp_path)
    assert changed(before, after) == ["crops/landmarks.csv", "crops/p0.png", "crops/p1.png",
                                      "crops/p2.png"]
    assert (out / "landmarks.csv").read_text().startswith("input,frame,")
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_predict_out_that_is_an_input_image_is_refused(tmp_path, model, photos):
    image = photos / "p0.png"
    assert_refused(tmp_path, "predict", model, image, "--out", image, "--quiet",
                   fragments=("p0.png is also an input",))


def test_predict_out_that_is_the_model_or_its_sidecar_is_refused(tmp_path, model, photos):
    for target in (model, model.with_name("m.skops.json")):
        before = snapshot(model.parent)
        proc = run_cli("predict", model, photos, "--out", target, "--quiet", cwd=tmp_path)
        assert_one_line_error(proc, "is also an input")
        assert changed(before, snapshot(model.parent)) == []


def test_predict_out_through_a_hard_link_to_an_input_is_refused(tmp_path, model, photos):
    link = tmp_path / "results.csv"
    link.hardlink_to(photos / "p1.png")
    assert_refused(tmp_path, "predict", model, photos, "--out", link, "--quiet",
                   fragments=("is also an input",))


def test_predict_replaces_an_existing_results_file_whole(tmp_path, model, photos):
    out = tmp_path / "results.csv"
    out.write_text("old results\n")
    before = snapshot(tmp_path)
    proc = run_cli("predict", model, photos, "--out", out, "--quiet", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert changed(before, snapshot(tmp_path)) == ["results.csv"]
    rows = out.read_text().splitlines()
    assert rows[0].startswith("file,frame,timestamp,face,person,success,confidence,emotion")
    assert len(rows) == 4


def test_train_out_that_is_an_input_is_refused(tmp_path, faces):
    manifest = write_manifest(tmp_path, faces)
    for target in (manifest, tmp_path / "images" / "face00.png"):
        before = snapshot(tmp_path)
        proc = run_cli("train", "--dataset", f"manifest:{manifest}", "--task", "emotion",
                       "--features", "hog", "--crops", "--out", target, cwd=tmp_path)
        assert_one_line_error(proc, "is also an input", target.name)
        assert changed(before, snapshot(tmp_path)) == []


def test_extract_out_dir_that_is_the_input_folder_is_refused(tmp_path, photos):
    assert_refused(tmp_path, "extract", "--dataset", f"folder:{photos}", "--features", "hog",
                   "--cache", tmp_path / "cache", "--out-dir", photos, "--no-progress",
                   fragments=("is also an input folder",))


def test_extract_out_dir_among_a_manifest_s_images_is_refused(tmp_path, faces):
    manifest = write_manifest(tmp_path, faces)
    assert_refused(tmp_path, "extract", "--dataset", f"manifest:{manifest}", "--features",
                   "hog", "--cache", tmp_path / "cache", "--out-dir", tmp_path / "images",
                   "--no-progress", fragments=("holds input",))


def test_bench_json_that_is_the_manifest_is_refused(tmp_path, faces):
    manifest = write_manifest(tmp_path, faces)
    assert_refused(tmp_path, "run", "--dataset", f"manifest:{manifest}", "--json", manifest,
                   "--out", tmp_path / "results", "--no-progress", module=BENCH,
                   fragments=("faces.csv is also an input",))


def test_bench_json_whose_predictions_file_is_the_manifest_is_refused(tmp_path, faces):
    # `--json run.json` also writes run.predictions.npz beside it
    manifest = write_manifest(tmp_path, faces, name="run.predictions.npz")
    assert_refused(tmp_path, "run", "--dataset", f"manifest:{manifest}", "--json",
                   tmp_path / "run.json", "--out", tmp_path / "results", "--no-progress",
                   module=BENCH, fragments=("run.predictions.npz is also an input",))


def test_bench_out_folder_holding_the_data_is_refused(tmp_path, faces):
    manifest = write_manifest(tmp_path, faces)
    assert_refused(tmp_path, "run", "--dataset", f"manifest:{manifest}", "--out", tmp_path,
                   "--no-progress", module=BENCH,
                   fragments=(f"output folder {tmp_path} holds input",))


def _temps(folder) -> list[str]:
    return sorted(p.name for p in folder.glob(".*.tmp"))


def _temp_of(path, pid: int) -> Path:
    """A temporary file of ``path`` named as process ``pid`` of this machine writes it."""
    from aufeat._atomic import temp_name

    name = temp_name(path).name.replace(f".{os.getpid()}~", f".{pid}~")
    return Path(path).with_name(name)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_write_removes_the_temporary_files_of_its_target_left_by_dead_processes(tmp_path):
    from aufeat._atomic import atomic_write_text

    dead, out = _dead_pid(), tmp_path / "p~1.csv"  # a '~' in the name too
    left = _temp_of(out, dead)
    for path in (left, _temp_of(out, os.getpid()), _temp_of(tmp_path / "other.csv", dead),
                 _temp_of(tmp_path / "p", dead)):
        path.write_text("partial")
    atomic_write_text(out, "rows\n")
    assert out.read_text() == "rows\n"
    assert left.name not in _temps(tmp_path)  # a dead process's, for this very file
    assert len(_temps(tmp_path)) == 3  # a live process's, and other files' stay


@pytest.mark.parametrize("stop", ["SIGKILL", "SIGTERM"])
def test_predict_stopped_while_writing_leaves_no_temporary_file_behind(
        tmp_path, model, face_pixels, stop):
    # SIGKILL leaves its temporary file, which the next run removes; SIGTERM (a timeout,
    # a batch scheduler) ends predict as Ctrl-C does, removing its own
    import signal
    import time

    import cv2

    from tests.cli.interrupt import default_sigterm

    video = tmp_path / "long.avi"  # predict reads it for a while
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 25, (112, 112))
    for i in range(600):
        writer.write(np.ascontiguousarray(face_pixels[i % 12][..., ::-1]))
    writer.release()
    out = tmp_path / "results.csv"
    proc = subprocess.Popen([sys.executable, "-m", "aufeat.cli.main", "predict", str(model),
                             str(video), "--out", str(out), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=default_sigterm)  # as a scheduler's job gets it
    deadline = time.monotonic() + 120
    while not _temps(tmp_path):  # writing its results
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.send_signal(getattr(signal, stop))
    _, err = proc.communicate(timeout=60)
    if stop == "SIGKILL":
        assert proc.returncode == -signal.SIGKILL
        (left,) = _temps(tmp_path)
        assert left.startswith(".results.csv~")
    else:
        assert proc.returncode == 143, err
        assert _temps(tmp_path) == []
        assert err.strip().splitlines()[-1].startswith("aufeat predict: terminated (SIGTERM)")
    image = write_png(tmp_path / "img.png", face_pixels[0])
    done = run_cli("predict", model, image, "--out", out, "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _temps(tmp_path) == []
    assert len(out.read_text().splitlines()) == 2
