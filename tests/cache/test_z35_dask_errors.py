"""Errors from dask workers reach the caller; a scheduler without workers is named as such."""

import re
import sys
import threading
import time

import distributed  # the test install includes the dask extra: a missing one must fail
import numpy as np
import pytest
from sklearn.base import BaseEstimator, TransformerMixin

from aufeat.cache import FeatureCache

from .conftest import write_pngs


class OddError(Exception):
    """Takes two arguments, like many library exceptions: not rebuilt from its ``args``."""

    def __init__(self, code, detail):
        super().__init__(f"odd {code}: {detail}")
        self.code = code


class ExtraArgsError(Exception):
    """Built from a message, but its ``args`` (message, extra) do not rebuild it."""

    def __init__(self, message):
        super().__init__(message, "extra")

    def __str__(self):
        return self.args[0]


class Raises(TransformerMixin, BaseEstimator):
    """An extractor whose every call raises ``kind``."""

    def __init__(self, kind="odd"):
        self.kind = kind

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        if self.kind == "odd":
            raise OddError(7, "custom failure")
        raise ExtraArgsError("cannot rebuild me")


class FirstFive(TransformerMixin, BaseEstimator):
    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return np.asarray(X, float).reshape(len(X), -1)[:, :5]


def _error(tmp_path, name, paths, extractor, **kwargs):
    with pytest.raises(Exception) as info:  # noqa: PT011 - the type is what is compared
        FeatureCache(tmp_path / name).features(paths, extractor, progress=False, **kwargs)
    return info.value


@pytest.mark.timeout(90)
def test_an_error_not_rebuilt_from_its_args_reaches_the_caller_from_dask(tmp_path, dask_client):
    # the error (raised from OddError) went back with its chain, which the client cannot
    # unpickle: the fill waited forever, the client logging 'Failed to deserialize'
    paths = write_pngs(tmp_path / "images", 3)
    serial = _error(tmp_path, "serial", paths, Raises())
    loky = _error(tmp_path, "loky", paths, Raises(), n_jobs=2)
    t = time.monotonic()
    dask = _error(tmp_path, "dask", paths, Raises(), backend="dask")
    assert time.monotonic() - t < 60
    assert type(serial) is type(loky) is type(dask) is RuntimeError
    # the same message, of whichever image failed first
    assert len({re.sub(r"face\d+", "face", str(e)) for e in (serial, loky, dask)}) == 1
    assert str(dask).startswith("extracting the features of ")
    assert str(dask).endswith("failed: OddError: odd 7: custom failure")
    assert str(dask).split()[4] in paths
    if sys.version_info >= (3, 11):  # the worker's frames go along as a note
        assert "in transform" in "\n".join(dask.__notes__)


@pytest.mark.timeout(90)
def test_an_error_whose_args_do_not_rebuild_it_arrives_as_a_runtime_error(tmp_path,
                                                                         dask_client):
    paths = write_pngs(tmp_path / "images", 3)
    serial = _error(tmp_path, "serial", paths, Raises("extra"))
    assert type(serial) is ExtraArgsError  # serially: as before
    assert str(serial).endswith(": cannot rebuild me")
    dask = _error(tmp_path, "dask", paths, Raises("extra"), backend="dask")
    assert type(dask) is RuntimeError
    def anyface(text):  # whichever image failed first
        return re.sub(r"face\d+", "face", text)

    message = str(dask)
    assert f"ExtraArgsError: {anyface(str(serial))}" in anyface(message)  # the image named
    assert "Traceback (most recent call last)" in message  # the worker's, as text
    assert "in transform" in message


@pytest.mark.timeout(90)
def test_a_scheduler_without_workers_is_named_and_a_late_worker_is_waited_for(tmp_path):
    # joblib's error after 10 s told the user to call parallel_config(...) with a timeout
    paths = write_pngs(tmp_path / "images", 3)
    with distributed.LocalCluster(n_workers=0, threads_per_worker=1, processes=False,
                                  dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        t = time.monotonic()
        with pytest.raises(ValueError, match="no dask worker") as info:
            FeatureCache(tmp_path / "none").features(paths, FirstFive(), backend="dask",
                                                     progress=False)
        assert time.monotonic() - t < 30
        message = str(info.value)
        assert "\n" not in message
        assert f"dask worker {cluster.scheduler_address}" in message
        assert "parallel_config" not in message
        # a worker that connects while the fill waits is used
        timer = threading.Timer(0.5, cluster.scale, [1])
        timer.start()
        cache = FeatureCache(tmp_path / "late")
        X = cache.features(paths, FirstFive(), backend="dask", progress=False)
        timer.join()
        assert (cache.last_fill.backend, cache.last_fill.n_workers) == ("dask", 1)
        assert len(client.scheduler_info(n_workers=-1)["workers"]) == 1
        serial = FeatureCache(tmp_path / "serial").features(paths, FirstFive(), progress=False)
        np.testing.assert_array_equal(X, serial)


@pytest.mark.parametrize("err", [FileNotFoundError(2, "No such file or directory", "face.png"),
                                 OSError(28, "No space left on device", "/cache/shard.npz")])
def test_an_os_error_from_a_worker_keeps_its_errno_and_file_name(err):
    # OSError's args leave out the file name, so a rebuild from args failed and the error
    # came back rebuilt from its message: errno and filename None (a disk-full check broke)
    from aufeat.cache.fill import _portable

    sent = _portable(err)
    assert type(sent) is type(err)
    assert (sent.errno, sent.strerror, sent.filename) == (err.errno, err.strerror, err.filename)
    assert str(sent) == str(err)
