"""`aufeat extract --dataset folder:DIR` names the files it leaves out (.HEIC photos), as
load_image_folder does."""

import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np

import aufeat
from aufeat.datasets.folder import images_without_videos

ROOT = Path(aufeat.__file__).parents[1]


def _folder(root):
    rng = np.random.default_rng(0)
    for label in ("happy", "sad"):
        (root / label).mkdir(parents=True)
        for name in ("s1_a.png", "s2_a.png"):
            cv2.imwrite(str(root / label / name), rng.integers(0, 256, (48, 48), np.uint8))
    (root / "only" / "happy").mkdir(parents=True)
    for i in range(3):
        (root / "happy" / f"IMG_{i}.HEIC").write_bytes(b"\0" * 10)
        (root / "only" / "happy" / f"IMG_{i}.HEIC").write_bytes(b"\0" * 10)
    return root


def _extract(tmp_path, folder):
    env = {k: v for k, v in os.environ.items() if k != "AUFEAT_CACHE_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "aufeat.cli.main", "extract", "--dataset", f"folder:{folder}",
         "--features", "lbp", "--out-dir", str(tmp_path / "out"),
         "--cache", str(tmp_path / "cache")],
        env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300,
        check=False)


def test_images_without_videos_names_the_unread_files(tmp_path):
    """The second value says how many files are not read, by extension."""
    images, note = images_without_videos(_folder(tmp_path / "d"))
    assert len(images) == 4
    assert "6 files that are not images or videos by extension (.heic x6)" in note


def test_extract_notes_heic_files_it_leaves_out(tmp_path):
    """A folder with PNGs and .HEIC photos: the PNGs are extracted, the HEIC files noted."""
    run = _extract(tmp_path, _folder(tmp_path / "d"))
    assert run.returncode == 0, run.stderr
    assert ("aufeat extract: note: left out 6 files that are not images or videos by "
            "extension (.heic x6)") in run.stderr


def test_extract_of_only_heic_files_names_them(tmp_path):
    """A folder of only .HEIC photos: the error says they are there and not read."""
    run = _extract(tmp_path, _folder(tmp_path / "d") / "only")
    assert run.returncode != 0
    assert "no image files in it, only 3 files that are not images or videos" in run.stderr
    assert "(.heic x3)" in run.stderr
