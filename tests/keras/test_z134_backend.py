"""Round 24's Keras review (Z134), F2: importing aufeat.keras set KERAS_BACKEND=jax over
the backend of the user's keras.json, and wrote it into the environment even when Keras
already ran on another backend; the first two tests failed before the fix."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

_ROOT = str(Path(__file__).resolve().parents[2])


def _run(code, keras_home):
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    env.update(KERAS_HOME=str(keras_home), PYTHONPATH=_ROOT)
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout.strip().splitlines()[-1]


def _keras_home(tmp_path, backend):
    (tmp_path / "keras.json").write_text(json.dumps(
        {"backend": backend, "floatx": "float32", "epsilon": 1e-07,
         "image_data_format": "channels_last"}))
    return tmp_path


def test_the_backend_of_the_users_keras_json_wins(tmp_path):
    code = ("import os, aufeat.keras, keras\n"
            "from aufeat.keras._backend import import_keras\n"
            "assert import_keras() is keras\n"
            "print(keras.backend.backend(), os.environ.get('KERAS_BACKEND'))")
    assert _run(code, _keras_home(tmp_path, "numpy")) == "numpy None"


def test_an_imported_keras_keeps_its_backend_and_the_environment_is_left_alone(tmp_path):
    # Keras imported on numpy, the variable unset again; keras.json names no backend
    # that is installed (Keras writes its default there)
    code = ("import os\n"
            "os.environ['KERAS_BACKEND'] = 'numpy'\n"
            "import keras\n"
            "del os.environ['KERAS_BACKEND']\n"
            "import aufeat.keras\n"
            "from aufeat.keras._backend import import_keras\n"
            "import_keras()\n"
            "print(keras.backend.backend(), os.environ.get('KERAS_BACKEND'))")
    assert _run(code, tmp_path) == "numpy None"


@pytest.mark.parametrize("config", [None, "tensorflow", "not json"])
def test_without_a_backend_of_the_user_aufeat_picks_jax(tmp_path, config):
    # Keras writes "tensorflow" into a keras.json on its first import, whatever runs:
    # no user's choice (KERAS_BACKEND=tensorflow is), installed or not
    if config == "tensorflow":
        _keras_home(tmp_path, "tensorflow")
    elif config == "not json":
        (tmp_path / "keras.json").write_text("{backend: numpy")
    code = ("import os, aufeat.keras, keras\n"
            "print(keras.backend.backend(), os.environ.get('KERAS_BACKEND'))")
    assert _run(code, tmp_path) == "jax jax"
