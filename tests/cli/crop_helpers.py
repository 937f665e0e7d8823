"""What the ``aufeat crop`` tests share: the command in a subprocess, noise images and videos."""

import csv
import subprocess
import sys

import cv2
import numpy as np


def run_crop(*argv, timeout=300):
    """Run ``aufeat crop ARGV`` as given; return the finished process."""
    return subprocess.run([sys.executable, "-m", "aufeat.cli.main", "crop", *map(str, argv)],
                          capture_output=True, text=True, timeout=timeout)


def crop(*argv, returncode=0, detect="no"):
    """Run ``aufeat crop ARGV`` (16 px, quiet, ``--detect DETECT``); check its exit status."""
    proc = run_crop(*argv, "--detect", detect, "--size", "16", "--quiet", timeout=120)
    assert proc.returncode == returncode, proc.stderr[-2000:]
    return proc


def extract_folder_rows(cwd, folder="photos"):
    """Run ``aufeat extract --dataset folder:FOLDER`` (LBP) in ``cwd``; return rows.csv's rows."""
    proc = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "extract", "--dataset",
                           f"folder:{folder}", "--features", "lbp", "--cache", "cache",
                           "--out-dir", "out", "--no-progress"],
                          capture_output=True, text=True, timeout=120, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    with open(cwd / "out" / "rows.csv", newline="") as f:
        return list(csv.DictReader(f))


def noise(seed, shape=(24, 24, 3)):
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


def write_video(path, n_frames):
    """Write an MJPG video of ``n_frames`` 24x24 noise frames to ``path``."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 5, (24, 24))
    assert writer.isOpened()
    for i in range(n_frames):
        writer.write(noise(i))
    writer.release()
    return path


def landmark_rows(out):
    """The rows of ``OUT/landmarks.csv``."""
    with open(out / "landmarks.csv", newline="") as handle:
        return list(csv.DictReader(handle))
