"""Ctrl-C while Numba compiles a kernel (a first run, cold cache) stops the command.

LLVM calls back into Python while it compiles; a ``KeyboardInterrupt`` raised in such a
callback is dropped by ctypes (printed as 'Exception ignored ...'). The run then went on
as if never stopped (exit 0), or failed on Numba's ``RuntimeError`` (no compiled object
yet), which ``aufeat predict`` reported as a damaged model. The subprocess tests send a
real SIGINT from inside Numba's compile hook, in a fresh Numba cache, so that the signal
lands in the callback every time instead of by chance.
"""

import ctypes
import os
import subprocess
import sys

import pytest

from aufeat.cli._signals import raise_kept_stop, stops_in_callbacks_kept

# aufeat's main, with SIGINT raised in the N-th call of Numba's object-compiled hook
_STOPPED_IN_HOOK = '''
import signal, sys
from numba.core import codegen
original, calls = codegen.JITCodeLibrary._object_compiled_hook, []
def hook(ll_module, buf):
    calls.append(1)
    if len(calls) == {n}:
        signal.raise_signal(signal.SIGINT)
    return original(ll_module, buf)
codegen.JITCodeLibrary._object_compiled_hook = hook
from aufeat.cli.main import main
sys.exit(main(sys.argv[1:]))
'''


def _run_stopped_in_hook(tmp_path, n, *argv):
    script = tmp_path / "stopped_in_hook.py"
    script.write_text(_STOPPED_IN_HOOK.format(n=n))
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba")}  # cold: kernels compile
    return subprocess.run([sys.executable, str(script), *map(str, argv)], capture_output=True,
                          text=True, timeout=300, env=env, cwd=tmp_path)


def _throws(exc):
    def callback():
        raise exc
    return ctypes.CFUNCTYPE(None)(callback)


def test_predict_stopped_in_a_compile_does_not_blame_the_model(emotion_model, tmp_path):
    # the 20th hook: Numba then fails with 'no compiled object yet' (was: "is damaged")
    run = _run_stopped_in_hook(tmp_path, 20, "predict", emotion_model["model"],
                               emotion_model["images"], "--crops", "--quiet", "--out", "p.csv")
    assert run.returncode == 130, run.stderr[-3000:]
    assert run.stderr.strip().splitlines() == [
        "aufeat predict: interrupted; files written so far are whole, rerun to finish"]
    assert not (tmp_path / "p.csv").exists()


def test_extract_stopped_in_a_compile_does_not_end_as_a_success(emotion_model, tmp_path):
    # the first hook: the run goes on to its end (was: exit 0, and a traceback printed)
    run = _run_stopped_in_hook(tmp_path, 1, "extract", "--dataset",
                               f"folder:{emotion_model['images']}", "--features", "lbp",
                               "--cache", "cache", "--out-dir", "out", "--no-progress")
    assert run.returncode == 130, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    assert "Exception ignored" not in run.stderr
    assert run.stderr.strip().splitlines()[-1] == (
        "aufeat extract: interrupted; files written so far are whole, rerun to finish")


def _numba_failing_after_a_dropped_stop():
    with stops_in_callbacks_kept():
        _throws(KeyboardInterrupt)()  # ctypes prints nothing now, and goes on
        raise RuntimeError("no compiled object yet")  # what Numba raised next


def test_a_stop_a_ctypes_callback_dropped_gives_way_to_the_failure_it_caused():
    with pytest.raises(KeyboardInterrupt):
        _numba_failing_after_a_dropped_stop()


def test_a_kept_stop_is_raised_once_and_other_exceptions_are_reported_as_before():
    seen = []
    previous, sys.unraisablehook = sys.unraisablehook, seen.append
    try:
        with stops_in_callbacks_kept():
            _throws(ValueError("not a stop"))()
            raise_kept_stop()  # nothing kept: nothing raised
            _throws(KeyboardInterrupt)()
            with pytest.raises(KeyboardInterrupt):
                raise_kept_stop()
            raise_kept_stop()  # raised once
        assert [type(u.exc_value) for u in seen] == [ValueError]
        assert sys.unraisablehook == seen.append  # put back
    finally:
        sys.unraisablehook = previous
