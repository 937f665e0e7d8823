"""``aufeat cache clear DIR --features ''`` (a real command): an empty list removes nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import aufeat
from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor, LBPExtractor

ENV = {**os.environ, "PYTHONPATH": str(Path(aufeat.__file__).parents[1])}


def _aufeat(*argv):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.main", *argv], env=ENV,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("value", ["", " ", " , "])
def test_an_empty_features_list_is_refused_and_removes_nothing(tmp_path, value):
    # what a script passes for an unset variable: --features "$FEATS"
    import cv2
    import numpy as np

    paths = []
    for i in range(2):
        paths.append(str(tmp_path / f"{i}.png"))
        assert cv2.imwrite(paths[-1], np.full((32, 32), 40 * i, np.uint8))
    cache = FeatureCache(tmp_path / "cache")
    for extractor in (HOGExtractor(), LBPExtractor()):
        cache.features(paths, extractor, progress=False)
    done = _aufeat("cache", "clear", str(cache.root), "--features", value)
    assert done.returncode == 2, done.stdout
    assert done.stderr.strip() == ("aufeat cache: error: --features names no extractor; "
                                   "leave it out to clear everything")
    assert sorted(e["name"] for e in cache.info()) == ["hog", "lbp"]
    done = _aufeat("cache", "clear", str(cache.root), "--features", "lbp")
    assert done.returncode == 0, done.stderr
    assert [e["name"] for e in cache.info()] == ["hog"]
    done = _aufeat("cache", "clear", str(cache.root))  # no --features: everything
    assert done.returncode == 0, done.stderr
    assert cache.info() == []
