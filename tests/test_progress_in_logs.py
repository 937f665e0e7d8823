"""Progress bars written to a log file or a pipe redraw every LOG_INTERVAL s, not 10 times a second.

A one-hour `aufeat predict ... 2> log` left about 36,000 redraws of its bar in the log.
"""

import io
import sys
import time
import types

import pytest
from PIL import Image

from aufeat._progress import LOG_INTERVAL, progress
from aufeat.parallel import progress_bar
from tests.cli.crop_helpers import noise, run_crop, write_video


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def _draws(text: str, label: str) -> int:
    return text.count(f"{label}:")


def _slow_bar(make, monkeypatch, stream):
    """Five units 0.15 s apart through a real tqdm bar on ``stream`` as stderr."""
    monkeypatch.setattr(sys, "stderr", stream)
    with make() as bar:
        for _ in range(5):
            time.sleep(0.15)
            bar.update()
    return bar, stream.getvalue()


@pytest.mark.parametrize("make", [
    lambda: progress(total=5, desc="work"),
    lambda: progress_bar(5, desc="work"),
])
def test_a_bar_in_a_log_draws_its_start_and_end_only(monkeypatch, make):
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    bar, log = _slow_bar(make, monkeypatch, io.StringIO())
    assert bar.mininterval == LOG_INTERVAL
    assert bar.maxinterval == LOG_INTERVAL  # tqdm's monitor thread: a redraw every 10 s
    assert _draws(log, "work") == 2, log
    assert "5/5" in log  # the end is drawn


def test_a_bar_on_a_terminal_stays_live(monkeypatch):
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    bar, shown = _slow_bar(lambda: progress(total=5, desc="work"), monkeypatch, _Terminal())
    assert bar.mininterval < 1
    assert _draws(shown, "work") >= 5, shown


def test_a_bar_in_jupyter_stays_live(monkeypatch):
    """A kernel's stderr is no terminal, but its bars are watched."""
    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    bar, shown = _slow_bar(lambda: progress(total=5, desc="work"), monkeypatch, io.StringIO())
    assert bar.mininterval < 1
    assert _draws(shown, "work") >= 5, shown


def test_a_disabled_bar_writes_nothing(monkeypatch):
    bar, log = _slow_bar(lambda: progress(total=5, desc="work", enabled=False), monkeypatch,
                         io.StringIO())
    assert bar.disable
    assert log == ""


def test_crop_into_a_log_draws_its_bar_twice(tmp_path):
    """The CLI's bars go through progress(): `aufeat crop` with stderr to a pipe."""
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(24):  # no face: each photo is searched by the detector (tens of ms)
        Image.fromarray(noise(i, (240, 320, 3))).save(folder / f"p{i:02d}.png")
    started = time.perf_counter()
    proc = run_crop(folder, "--out", tmp_path / "out", "--detector", "hog", "--size", "16")
    took = time.perf_counter() - started
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert took < LOG_INTERVAL  # else a third draw would be right
    assert proc.stderr.count("/24 [") == 2, proc.stderr[-3000:]  # 0/24 and 24/24
    assert "24/24" in proc.stderr


def test_crop_of_a_video_counts_frames(tmp_path):
    """A video is one file of many frames: `0/1 file` for the whole video said nothing."""
    video = write_video(tmp_path / "clip.avi", 5)
    photo = tmp_path / "photo.png"
    Image.fromarray(noise(9, (48, 64, 3))).save(photo)
    proc = run_crop(video, photo, "--out", tmp_path / "out", "--detect", "no", "--size", "16")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "6frame" in proc.stderr.replace(" ", ""), proc.stderr[-2000:]  # 5 frames + the photo
    assert "/2 [" not in proc.stderr
