"""OpenCV reads OPENCV_IO_MAX_IMAGE_PIXELS once, when cv2 is imported: so does aufeat.

A notebook that raises the limit in ``os.environ`` after cv2 was imported still has
OpenCV's old limit: the file stays refused by it, and must not be stored by the feature
cache as a failure of the file ("could not be decoded"), which a new process with the
limit raised would keep serving.
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
import json, os, sys
import cv2  # reads OPENCV_IO_MAX_IMAGE_PIXELS (5000) now, once
from aufeat.cache import FeatureCache
from aufeat.estimators import LBPExtractor
from aufeat.exceptions import ImageTooLargeError
from aufeat.io import read_image

cache, files = FeatureCache(sys.argv[1]), sys.argv[3:]
if sys.argv[2] == "after a first call":
    cache.features(files, LBPExtractor(), progress=False)
os.environ["OPENCV_IO_MAX_IMAGE_PIXELS"] = "1000000"  # too late for OpenCV
cache.features(files, LBPExtractor(), progress=False)
try:
    read_image(files[-1])
    raised = None
except Exception as err:
    raised = type(err).__name__
print(json.dumps({"reasons": [f["reason"] for f in cache.last_fill.failures], "raised": raised,
                  "stored": [f["reason"] for f in cache.failures() if f["fingerprint"]]}))
"""


@pytest.mark.skipif("OPENCV_IO_MAX_IMAGE_PIXELS" in os.environ,
                    reason="this process must have OpenCV's default pixel limit")
@pytest.mark.parametrize("when", ["before any call", "after a first call"])
def test_a_limit_raised_in_os_environ_after_importing_cv2_stores_no_failure(tmp_path, when):
    rng = np.random.default_rng(0)
    files = []
    for name, shape in [("a.png", (64, 64)), ("big.png", (64, 96))]:  # 6144 pixels: over 5000
        cv2.imwrite(str(tmp_path / name), rng.integers(0, 256, shape).astype(np.uint8))
        files.append(str(tmp_path / name))
    cache = tmp_path / "cache"
    env = dict(os.environ, OPENCV_IO_MAX_IMAGE_PIXELS="5000")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    out = subprocess.run([sys.executable, "-c", CODE, str(cache), when, *files], env=env,
                         capture_output=True, text=True, check=True)
    low = json.loads(out.stdout.splitlines()[-1])
    assert low["raised"] == "ImageTooLargeError"
    assert len(low["reasons"]) == 1
    assert "over OpenCV's" in low["reasons"][0]
    assert "OPENCV_IO_MAX_IMAGE_PIXELS higher before Python starts" in low["reasons"][0]
    assert low["stored"] == []  # not a failure of the file

    again = FeatureCache(cache)  # a new run, with OpenCV's default limit
    X = again.features(files, LBPExtractor(), progress=False)
    assert again.last_fill.failures == []
    assert again.failures() == []
    np.testing.assert_array_equal(X, LBPExtractor().transform(files))
