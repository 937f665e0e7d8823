"""A file over OpenCV's pixel limit is refused by a setting of the process, not by its bytes.

The feature cache must not store it as a failure of the file: the next call, in a process
with the limit raised (what the message advises), reads the file and computes its row.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from aufeat.cache import FeatureCache
from aufeat.estimators import LBPExtractor

ROOT = Path(__file__).resolve().parents[2]

CODE = """
import json, sys
from aufeat.cache import FeatureCache
from aufeat.estimators import LBPExtractor
cache = FeatureCache(sys.argv[1])
cache.features(sys.argv[2:], LBPExtractor(), progress=False)
print(json.dumps({"reasons": [f["reason"] for f in cache.last_fill.failures],
                  "stored": [f["reason"] for f in cache.failures() if f["fingerprint"]]}))
"""


@pytest.mark.skipif("OPENCV_IO_MAX_IMAGE_PIXELS" in os.environ,
                    reason="this process must have OpenCV's default pixel limit")
@pytest.mark.parametrize("big", ["big.png", "big.pam"])  # PAM: aufeat's own reader
def test_a_file_over_the_pixel_limit_is_computed_once_the_limit_is_raised(tmp_path, big):
    rng = np.random.default_rng(0)
    files = []
    for name, shape in [("a.png", (64, 64)), ("b.png", (64, 64)), (big, (64, 96))]:
        pixels = rng.integers(0, 256, shape).astype(np.uint8)
        if name.endswith(".pam"):
            (tmp_path / name).write_bytes(b"P7\nWIDTH 96\nHEIGHT 64\nDEPTH 1\nMAXVAL 255\n"
                                          b"TUPLTYPE GRAYSCALE\nENDHDR\n" + pixels.tobytes())
        else:
            cv2.imwrite(str(tmp_path / name), pixels)
        files.append(str(tmp_path / name))
    cache = tmp_path / "cache"

    env = dict(os.environ, OPENCV_IO_MAX_IMAGE_PIXELS="5000")  # 64 x 96 = 6144: over it
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    out = subprocess.run([sys.executable, "-c", CODE, str(cache), *files], env=env,
                         capture_output=True, text=True, check=True)
    low = json.loads(out.stdout.splitlines()[-1])
    assert len(low["reasons"]) == 1
    assert "over OpenCV's limit of 5000" in low["reasons"][0]
    assert low["stored"] == []  # not a failure of the file

    # this process has OpenCV's default limit, as a new run after raising it
    again = FeatureCache(cache)
    X = again.features(files, LBPExtractor(), progress=False)
    assert again.last_fill.failures == []
    assert again.failures() == []
    assert again.last_fill.n_computed == 1  # the two others come from the cache
    np.testing.assert_array_equal(X, LBPExtractor().transform(files))
