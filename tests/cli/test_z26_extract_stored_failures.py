"""``aufeat extract`` (a real command) on two data sets sharing an undecodable file's bytes.

The cache keys failures on content: the second data set takes the first one's stored
failure, from a shard of the first data set's (other) image size.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

import aufeat

# the aufeat under test, whatever the folder the command runs in
ENV = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}


def _extract(folder, cache, cwd):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.main", "extract", "--dataset",
                           f"folder:{folder}", "--features", "hog", "--cache", str(cache),
                           "--no-progress", "--n-jobs", "1"],
                          capture_output=True, text=True, cwd=cwd, env=ENV, timeout=300,
                          check=False)


def test_a_data_set_sharing_a_broken_file_with_another_of_other_size(tmp_path):
    import cv2

    rng = np.random.default_rng(1)
    for name, shape in (("setA/x", (48, 40)), ("setB/y", (40, 40))):
        folder = tmp_path / name
        folder.mkdir(parents=True)
        for i in range(7):  # 8 files: chunks of 2, the broken file beside a good image
            assert cv2.imwrite(str(folder / f"img{i}.png"),
                               rng.integers(0, 256, shape, dtype=np.uint8))
        (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # a truncated download
    runs = {}
    for name, cache in (("setA", "cache"), ("setB", "cache"), ("setB", "fresh")):
        done = _extract(name, tmp_path / cache, tmp_path)
        assert done.returncode == 1, done.stderr  # 1: some rows failed
        runs[name, cache] = done
    shared, fresh = runs["setB", "cache"], runs["setB", "fresh"]
    assert "8 x " in shared.stdout
    assert "failed 1" in shared.stdout
    assert "cached 1" in shared.stdout
    assert shared.stdout.split("(")[0] == fresh.stdout.split("(")[0]  # 'hog: 8 x D float64'
    # the failure is reported as the file of setB that failed, as into a fresh cache
    failed = [line for line in shared.stderr.splitlines() if "failed:" in line]
    assert failed == [line for line in fresh.stderr.splitlines() if "failed:" in line]
    assert len(failed) == 1
    assert "setB/y/broken.png" in failed[0]
    assert "setA" not in failed[0]
