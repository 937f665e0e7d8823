"""to_manifest shows the PNGs written once they take 5 s (FER2013's 35,887 images: 3 minutes)."""

import io
import sys

import numpy as np

from aufeat import FaceDataset, _progress


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def _data(n=20):
    images = np.random.default_rng(0).integers(0, 256, (n, 16, 16), dtype=np.uint8)
    return FaceDataset(images=images, subject=[f"s{i}" for i in range(n)])


def test_writing_images_shows_them_once_it_takes_long(tmp_path, monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)  # in the test: pytest sets its own at call
    monkeypatch.setattr(_progress, "LATE_AFTER", 0.0)  # as if the PNGs took 5 s
    _data().to_manifest(tmp_path / "faces.csv")
    assert "writing images" in terminal.getvalue()
    assert "/20 [" in terminal.getvalue()
    assert len(list((tmp_path / "faces_images").iterdir())) == 20


def test_quick_writes_and_progress_false_print_nothing(tmp_path, monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    _data().to_manifest(tmp_path / "a.csv")  # well under 5 s
    monkeypatch.setattr(_progress, "LATE_AFTER", 0.0)
    _data().to_manifest(tmp_path / "b.csv", progress=False)
    assert terminal.getvalue() == ""
    assert len(list((tmp_path / "b_images").iterdir())) == 20
