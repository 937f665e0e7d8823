"""A cache filled by an aufeat that stored files over OpenCV's pixel limit as failures.

Before the limit was treated as a setting of the process, such a file was stored as a
failure of its bytes, and served as a NaN row on every later run, limit raised or not.
Those stored failures are not served: the file is read again.
"""

import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from aufeat.cache import FeatureCache
from aufeat.cache.keys import fingerprint_file
from aufeat.estimators import LBPExtractor

ROOT = Path(__file__).resolve().parents[2]

READ = """
import sys
from aufeat.io import read_image
try:
    read_image(sys.argv[1])
except ValueError as err:
    print(err)
"""


@pytest.mark.skipif("OPENCV_IO_MAX_IMAGE_PIXELS" in os.environ,
                    reason="this process must have OpenCV's default pixel limit")
@pytest.mark.parametrize("beside", [False, True])  # in a shard of its own, or beside a.png
def test_a_stored_failure_over_the_pixel_limit_is_not_served(tmp_path, beside):
    rng = np.random.default_rng(0)
    files = []
    for name, shape in [("a.png", (64, 64)), ("big.png", (64, 96))]:  # 6144 pixels
        cv2.imwrite(str(tmp_path / name), rng.integers(0, 256, shape).astype(np.uint8))
        files.append(str(tmp_path / name))
    cache = FeatureCache(tmp_path / "cache")
    X = cache.features(files[:1], LBPExtractor(), progress=False)  # the store, a.png's row

    # big.png's refusal as a process with a limit of 5000 words it ("... over OpenCV's
    # limit of 5000 pixels ..."), stored as the fill of earlier versions stored it: a
    # failure of its bytes, a NaN row, written by the store's own API
    env = dict(os.environ, OPENCV_IO_MAX_IMAGE_PIXELS="5000")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    reason = subprocess.run([sys.executable, "-c", READ, files[1]], env=env, check=True,
                            capture_output=True, text=True).stdout.strip()
    assert "over OpenCV's limit of 5000" in reason
    store = cache._store(LBPExtractor())
    stored, row = (files, 1) if beside else (files[1:], 0)
    store.write_shard([fingerprint_file(Path(f).read_bytes()) for f in stored],
                      np.vstack([X] * row + [np.full((1, X.shape[1]), np.nan, X.dtype)]),
                      [{"row": row, "path": files[1], "reason": f"cannot decode: {reason}"}])

    assert cache.failures() == []
    got = cache.features(files, LBPExtractor(), progress=False)
    assert cache.last_fill.failures == []
    assert (cache.last_fill.n_cached, cache.last_fill.n_computed) == (1, 1)
    np.testing.assert_array_equal(got, LBPExtractor().transform(files))
    again = FeatureCache(tmp_path / "cache")  # the row computed now is the one served
    np.testing.assert_array_equal(again.features(files, LBPExtractor(), progress=False), got)
    assert (again.last_fill.n_cached, again.last_fill.n_computed) == (2, 0)
    assert again.failures() == []
