"""A named pipe or a device given to the feature cache is refused as read_image refuses it.

The cache fingerprints a file by reading its bytes: a named pipe blocked until something
wrote into it, a device (``/dev/zero``) was read until memory ran out, and ``/dev/null``
was taken for an empty file that failed to decode, stored as a failure of its content.
"""

import os
import threading

import numpy as np
import pytest

from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor
from aufeat.io import encode_png

from .test_z91_image_files import _write_png_into


def _filled(tmp_path):
    """A cache that holds one image's features (so later calls fingerprint their files)."""
    png = tmp_path / "face.png"
    png.write_bytes(encode_png(np.random.default_rng(0).integers(0, 255, (48, 48), np.uint8)))
    cache = FeatureCache(tmp_path / "cache")
    cache.features([str(png)], HOGExtractor(), progress=False)
    return cache, str(png)


def _write_each_time(fifo, stop):
    """Write a PNG into ``fifo`` each time a reader opens it, until ``stop`` is set."""
    while not stop.is_set():
        _write_png_into(fifo, encode_png(np.zeros((48, 48), np.uint8)), stop)


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="a character device")
def test_a_device_is_refused_not_stored(tmp_path):
    cache, png = _filled(tmp_path)
    features = cache.features([png, "/dev/null"], HOGExtractor(), progress=False)
    assert np.isfinite(features[0]).all()
    assert np.isnan(features[1]).all()
    (failure,) = cache.last_fill.failures
    assert failure["path"] == "/dev/null"
    assert "cannot read file" in failure["reason"]
    assert "'/dev/null' is a character device" in failure["reason"]
    # not stored (fingerprint None): retried, as the path may be a file later
    assert [f["fingerprint"] for f in cache.failures()] == [None]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes: POSIX")
def test_a_named_pipe_is_refused_not_read(tmp_path):
    cache, png = _filled(tmp_path)
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    stop = threading.Event()
    writer = threading.Thread(target=_write_each_time, daemon=True, args=(fifo, stop))
    writer.start()  # before the fix the cache read the pipe (or blocked with no writer)
    try:
        features = cache.features([png, str(fifo)], HOGExtractor(), progress=False)
    finally:
        stop.set()
        writer.join(5)
    assert np.isnan(features[1]).all()
    (failure,) = cache.last_fill.failures
    assert "pipe.png' is a named pipe" in failure["reason"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes: POSIX")
def test_a_named_pipe_is_refused_by_a_fresh_cache_too(tmp_path):
    """An empty store skips fingerprinting: the worker's own read refuses the pipe."""
    png = tmp_path / "face.png"
    png.write_bytes(encode_png(np.random.default_rng(0).integers(0, 255, (48, 48), np.uint8)))
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    stop = threading.Event()
    writer = threading.Thread(target=_write_each_time, daemon=True, args=(fifo, stop))
    writer.start()  # so that a read of the pipe ends (with a PNG) rather than block the test
    try:
        cache = FeatureCache(tmp_path / "cache")
        features = cache.features([str(png), str(fifo)], HOGExtractor(), progress=False)
    finally:
        stop.set()
        writer.join(5)
    assert np.isfinite(features[0]).all()
    assert np.isnan(features[1]).all()  # the pipe's PNG was not read
    (failure,) = cache.last_fill.failures
    assert "pipe.png' is a named pipe" in failure["reason"]
    assert [f["fingerprint"] for f in cache.failures()] == [None]  # not stored
