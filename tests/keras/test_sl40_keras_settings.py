"""SL40: the Keras adapter's temporary layout setting and its backend hint.

F1: two networks built at once in threads put back each other's temporary
``channels_last``, leaving a caller's ``channels_first`` changed. F2: the hint for a
``KERAS_BACKEND`` naming a backend not installed said "unset it (aufeat then runs Keras on
jax)" where the user's keras.json names another backend, which Keras then runs on.
"""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

keras = pytest.importorskip("keras")

from aufeat.keras._architectures import _channels_last  # noqa: E402

_ROOT = str(Path(__file__).resolve().parents[2])


def test_overlapping_builds_in_threads_put_the_callers_setting_back(channels_first):
    seen = []

    def build(wait):
        with _channels_last(keras):
            seen.append(keras.config.image_data_format())
            time.sleep(wait)  # a builder takes seconds: the two calls overlap

    threads = [threading.Thread(target=build, args=(w,)) for w in (0.1, 0.3)]
    for t in threads:
        t.start()
        time.sleep(0.05)
    for t in threads:
        t.join()
    assert seen == ["channels_last", "channels_last"]
    assert keras.config.image_data_format() == "channels_first"


def test_the_hint_names_the_backend_keras_json_gives_once_the_variable_is_unset(tmp_path):
    (tmp_path / "keras.json").write_text(json.dumps({"backend": "numpy"}))
    env = {**os.environ, "KERAS_HOME": str(tmp_path), "KERAS_BACKEND": "torch",
           "PYTHONPATH": _ROOT}
    code = "try:\n    import aufeat.keras\nexcept ImportError as e:\n    print(e)\n"
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=300)
    assert "KERAS_BACKEND=torch runs Keras on torch, which is not installed" in proc.stdout, (
        proc.stdout + proc.stderr)[-2000:]  # the test environment has no torch
    assert ("or unset KERAS_BACKEND (Keras then runs on numpy, which your keras.json names; "
            "set KERAS_BACKEND=jax for aufeat's default)") in proc.stdout
