"""``aufeat crop`` fixes of review Z117.

- F1: a Motion JPEG stream named ``.mjpg`` was cropped as one still image (its first
  frame: PIL decodes it), the other frames lost without a word.
- F2: two runs into one OUT at once removed each other's crops: the second is refused.
- F3: a ``landmarks.csv`` (or ``.incomplete``) in OUT that crop did not write was replaced.
- F4: the interrupt message and ``--help`` promised a rerun would "finish": it starts over.
- F5: a folder of only unread files (``.HEIC``) was refused without the note naming them.
- F6: a file where a video's folder goes (or a folder where an image's crop goes) got
  advice for another command ("give a folder name"), and an earlier run's crops of an
  input left out there blocked the rerun instead of being removed.
"""

import os
import signal
import subprocess
import sys
import time

import cv2
import pytest

from tests.cli.crop_helpers import crop, landmark_rows, noise, run_crop, write_video

LOCK = ".aufeat-crop.lock"


def _mjpg(path, n_frames):
    """A raw Motion JPEG stream of ``n_frames`` frames, named ``path`` (``.mjpg``)."""
    written = write_video(path.with_suffix(".mjpeg"), n_frames)  # OpenCV's raw MJPEG muxer
    capture = cv2.VideoCapture(str(written))
    assert sum(1 for _ in iter(lambda: capture.read()[0], False)) == n_frames
    capture.release()
    return written.rename(path)


def test_f1_an_mjpg_stream_is_cropped_frame_by_frame(tmp_path):
    (tmp_path / "in").mkdir()
    _mjpg(tmp_path / "in" / "cam.mjpg", 6)
    out = tmp_path / "out"
    crop(tmp_path / "in", "--out", out)  # a folder of it used to hold "no image or video"
    rows = landmark_rows(out)
    assert [int(row["frame"]) for row in rows] == list(range(6))
    assert sorted(p.name for p in (out / "cam").iterdir()) == [
        f"frame_{k:06d}.png" for k in range(6)]
    assert not (out / "cam.png").exists()


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="no fcntl lock nor SIGSTOP")
def test_f2_a_second_run_into_an_out_in_use_is_refused(tmp_path):
    video = write_video(tmp_path / "long.avi", 40)
    (tmp_path / "b").mkdir()
    assert cv2.imwrite(str(tmp_path / "b" / "photo.png"), noise(1))
    out = tmp_path / "out"
    out.mkdir()  # the earlier run's folder: the first run locks it before reading it
    first = subprocess.Popen([sys.executable, "-m", "aufeat.cli.main", "crop", str(video),
                              "--out", str(out), "--detect", "no", "--size", "16", "--quiet"],
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while first.poll() is None and time.monotonic() < deadline:  # locked: its PID in it
            try:
                if (out / LOCK).read_text() == str(first.pid):
                    break
            except OSError:
                pass
            time.sleep(0.005)
        first.send_signal(signal.SIGSTOP)  # still running while the second run starts
        second = crop(tmp_path / "b", "--out", out, returncode=2)
        assert second.stderr.strip() == (
            f"aufeat crop: error: {out} is in use by another aufeat crop run (PID "
            f"{first.pid}): two runs into one folder would remove each other's crops; wait "
            "for it to finish, or choose another --out")
    finally:
        first.send_signal(signal.SIGCONT)
        err = first.communicate(timeout=120)[1]
    assert first.returncode == 0, err
    rows = landmark_rows(out)  # the first run's crops all there, all listed
    assert [int(row["frame"]) for row in rows] == list(range(40))
    assert all(os.path.isfile(row["output"]) for row in rows)
    assert len(os.listdir(out / "long")) == 40
    assert sorted(os.listdir(out)) == ["landmarks.csv", "long"]  # the lock file is gone


def test_f2_a_lock_file_a_killed_run_left_does_not_block(tmp_path):
    assert cv2.imwrite(str(tmp_path / "a.png"), noise(0))
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK).write_text("999999")  # held by no process
    crop(tmp_path / "a.png", "--out", out)
    assert sorted(os.listdir(out)) == ["a.png", "landmarks.csv"]


@pytest.mark.parametrize("name", ["landmarks.csv", "landmarks.csv.incomplete"])
def test_f3_a_landmarks_csv_crop_did_not_write_is_refused(tmp_path, name):
    assert cv2.imwrite(str(tmp_path / "a.png"), noise(0))
    out = tmp_path / "out"
    out.mkdir()
    theirs = "frame,face_id,x_0,y_0\n0,0,12.5,40.1\n"  # a landmark table of the user's
    (out / name).write_text(theirs)
    proc = crop(tmp_path / "a.png", "--out", out, returncode=2)
    assert proc.stderr.strip() == (
        f"aufeat crop: error: {out / name} exists and no aufeat crop run wrote it (its first "
        "row is not input,frame,timestamp,success,score,output,...): this run would replace "
        f"it; move it out of {out}, or choose another --out")
    assert sorted(os.listdir(out)) == [name]
    assert (out / name).read_text() == theirs


def test_f4_help_says_a_rerun_starts_over():
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", "--help"],
                          capture_output=True, text=True, timeout=60)
    assert "the next run starts over (it does not resume" in " ".join(proc.stdout.split())


def test_f5_a_folder_of_only_unread_files_is_refused_with_the_note(tmp_path):
    phone = tmp_path / "phone"
    phone.mkdir()
    for name in ("IMG_1.HEIC", "IMG_2.HEIC"):
        (phone / name).write_bytes(b"\0" * 64)
    proc = crop(phone, "--out", tmp_path / "out", returncode=2)
    assert proc.stderr.splitlines() == [
        f"aufeat crop: note: skipped 2 files in {phone} that are not images or videos by "
        "extension (.heic x2); if they are photos, convert them (e.g. to .jpg)",
        f"aufeat crop: error: {phone}: folder holds no image or video file"]
    assert not (tmp_path / "out").exists()


def test_f6_a_file_where_a_video_folder_goes_gets_crop_advice(tmp_path):
    video = write_video(tmp_path / "clip.avi", 2)
    out = tmp_path / "out"
    out.mkdir()
    (out / "clip").write_text("mine")
    proc = crop(video, "--out", out, returncode=2)
    assert proc.stderr.strip() == (
        f"aufeat crop: error: {out / 'clip'} exists and is not a folder, where the frames of "
        f"video {video} go; move it out of {out}, or choose another --out")
    (out / "clip").unlink()
    (out / "x.png").mkdir()  # a folder of the user's where an image's crop goes
    (out / "x.png" / "notes.txt").write_text("mine")
    assert cv2.imwrite(str(tmp_path / "x.png"), noise(0))
    proc = crop(tmp_path / "x.png", "--out", out, returncode=2)
    assert proc.stderr.strip() == (
        f"aufeat crop: error: {out / 'x.png'} is a folder, where the crop of image "
        f"{tmp_path / 'x.png'} goes; move it out of {out}, or choose another --out")
    assert (out / "x.png" / "notes.txt").read_text() == "mine"


def test_f6_an_earlier_runs_crops_of_an_input_left_out_give_way(tmp_path):
    for folder in "ab":
        (tmp_path / folder).mkdir()
    out = tmp_path / "out"
    crop(write_video(tmp_path / "a" / "clip.png.avi", 2), "--out", out)  # OUT/clip.png/
    assert sorted(os.listdir(out / "clip.png")) == ["frame_000000.png", "frame_000001.png"]
    assert cv2.imwrite(str(tmp_path / "b" / "clip.png"), noise(0))
    crop(tmp_path / "b" / "clip.png", "--out", out)  # its folder, an input left out's: gone
    assert (out / "clip.png").is_file()
    assert [row["output"] for row in landmark_rows(out)] == [str(out / "clip.png")]


def test_f6_an_earlier_runs_crop_where_a_video_folder_goes_gives_way(tmp_path):
    assert cv2.imwrite(str(tmp_path / "x.jpg"), noise(0))
    out = tmp_path / "out"
    crop(tmp_path / "x.jpg", "--out", out)  # OUT/x.png
    crop(write_video(tmp_path / "x.png.avi", 2), "--out", out)  # x.jpg left out: OUT/x.png/
    assert sorted(os.listdir(out / "x.png")) == ["frame_000000.png", "frame_000001.png"]
    assert [int(row["frame"]) for row in landmark_rows(out)] == [0, 1]


def test_f6_a_folder_with_a_file_no_run_listed_is_still_refused(tmp_path):
    (tmp_path / "a").mkdir()
    out = tmp_path / "out"
    crop(write_video(tmp_path / "a" / "clip.png.avi", 2), "--out", out)
    (out / "clip.png" / "mine.txt").write_text("mine")
    assert cv2.imwrite(str(tmp_path / "clip.png"), noise(0))
    proc = run_crop(tmp_path / "clip.png", "--out", out, "--detect", "no", "--size", "16")
    assert proc.returncode == 2, proc.stderr
    assert "is a folder, where the crop of image" in proc.stderr
    assert sorted(os.listdir(out / "clip.png")) == [
        "frame_000000.png", "frame_000001.png", "mine.txt"]


def test_f5_predict_names_the_unread_files_of_a_folder_it_refuses(tmp_path):
    phone = tmp_path / "phone"
    phone.mkdir()
    for name in ("IMG_1.HEIC", "IMG_2.HEIC"):
        (phone / name).write_bytes(b"\0" * 64)
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "predict",
                           str(tmp_path / "model.skops"), str(phone), "--out", "-"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"aufeat predict: note: skipped 2 files in {phone} that are not images or videos by "
        "extension (.heic x2); if they are photos, convert them (e.g. to .jpg)",
        f"aufeat predict: error: {phone}: folder holds no image or video file"]


def test_a_note_on_one_skipped_file_speaks_of_one():
    import tempfile
    from pathlib import Path

    from aufeat.cli._skipped import skipped_notes

    folder = Path(tempfile.mkdtemp())
    (folder / "IMG_1.HEIC").write_bytes(b"")
    assert skipped_notes([folder], command="aufeat crop") == [
        f"aufeat crop: note: skipped 1 file in {folder} that is not an image or video by "
        "extension (.heic x1); if it is a photo, convert it (e.g. to .jpg)"]


def test_a_lock_file_of_another_user_is_taken_read_only(tmp_path, monkeypatch):
    """SL26 F1: another user's lock file (not writable to us) gave a raw PermissionError;
    a lock needs no write access."""
    import os

    from aufeat.cli._crop_lock import LOCK, lock_out, unlock_out

    (tmp_path / LOCK).write_text("12345")  # left by another user's run, which ended
    real_open = os.open

    def no_write(path, flags, *args):  # as for a file of another user, mode 0644
        if str(path).endswith(LOCK) and flags & os.O_RDWR and not flags & os.O_EXCL:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", no_write)
    fd = lock_out(tmp_path)
    assert fd is not None
    unlock_out(tmp_path, fd)


def test_no_lock_file_is_left_where_the_file_system_has_no_locks(tmp_path, monkeypatch):
    """SL26 F2: where flock fails (NFS without lockd: ENOLCK) there is no lock, and the lock
    file made for it was left in OUT."""
    import errno
    import fcntl

    from aufeat.cli._crop_lock import LOCK, lock_out

    def no_locks(fd, operation):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    assert lock_out(tmp_path) is None
    assert not (tmp_path / LOCK).exists()


def test_another_users_lock_file_on_a_file_system_locking_writable_files_only(tmp_path,
                                                                               monkeypatch):
    """TL14 F3: on NFS a read-only file cannot be locked (EBADF): that was taken for a file
    system without locks, and the other run's lock file was removed: refused now, kept."""
    import errno
    import fcntl
    import os

    from aufeat.cli._crop_lock import LOCK, lock_out
    from aufeat.cli._paths import OutputConflictError

    (tmp_path / LOCK).write_text("12345")
    real_open = os.open

    def no_write(path, flags, *args):
        if str(path).endswith(LOCK) and flags & os.O_RDWR and not flags & os.O_EXCL:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    def nfs_flock(fd, operation):
        raise OSError(errno.EBADF, "Bad file descriptor")

    monkeypatch.setattr(os, "open", no_write)
    monkeypatch.setattr(fcntl, "flock", nfs_flock)
    with pytest.raises(OutputConflictError, match="another user's, and this file system locks"):
        lock_out(tmp_path)
    assert (tmp_path / LOCK).read_text() == "12345"


def test_a_refusal_names_no_dead_process(tmp_path):
    """TL14 F5: a lock taken over read-only keeps the killed run's PID: not named."""
    import fcntl
    import os

    from aufeat.cli._crop_lock import LOCK, lock_out
    from aufeat.cli._paths import OutputConflictError

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / LOCK).write_text(str(dead.pid))
    holder = os.open(tmp_path / LOCK, os.O_RDONLY)  # the run holding OUT, which wrote no PID
    try:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(OutputConflictError) as err:
            lock_out(tmp_path)
        assert "PID" not in str(err.value)
        (tmp_path / LOCK).write_text(str(os.getpid()))  # a live one is named
        with pytest.raises(OutputConflictError, match=rf"\(PID {os.getpid()}\)"):
            lock_out(tmp_path)
    finally:
        os.close(holder)
