"""save_keras replaces a write-protected model and hands a user's model back to them safely.

Round 18's Z91 fix created the temporary file with the old file's mode before Keras opened
it again by name to write: a user's ``chmod 444`` model could no longer be saved again
(EACCES on the temporary file), where atomic writes replace it, its mode kept. It also gave
the temporary file to the user (as root) before Keras' open: in a sticky world-writable
folder (``/tmp``) the kernel's ``fs.protected_regular``, on by default in most
distributions, refuses root that open of a file another user owns.
"""

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from aufeat.keras import KerasMLPClassifier, load_keras, save_keras

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="another user's files are made by root")

_CHILD = r"""
import json, os, stat, sys
os.environ.setdefault("KERAS_BACKEND", "jax")
import encodings.cp437, zipfile  # imported before setuid (Python lives under /root)
import numpy as np
from aufeat.keras import KerasMLPClassifier, save_keras

X = np.r_[np.zeros((6, 3)), np.ones((6, 3))]
mlp = KerasMLPClassifier((4,), epochs=1, validation_fraction=0, random_state=0)
mlp.fit(X, ["a", "b"] * 6)
path = sys.argv[1]
for _ in range(2):  # its lazy imports (a new file, then one replaced), while root
    save_keras(mlp, os.path.join(sys.argv[2], "warm.keras"))
os.setgroups([]); os.setgid(65534); os.setuid(65534)  # an ordinary user, after the imports
save_keras(mlp, path)
os.chmod(path, 0o444)  # protected against an accidental edit
try:
    save_keras(mlp, path)
    error = None
except OSError as exc:
    error = f"{type(exc).__name__}: {exc}"
print(json.dumps({"error": error, "mode": stat.S_IMODE(os.stat(path).st_mode),
                  "listing": sorted(os.listdir(os.path.dirname(path)))}))
"""


def test_a_users_write_protected_model_is_saved_again_its_mode_kept():
    folder = Path(tempfile.mkdtemp(prefix="aufeat-sl9-"))
    scratch = Path(tempfile.mkdtemp(prefix="aufeat-sl9-root-"))  # root's, 0700
    try:
        os.chown(folder, 65534, 65534)
        env = {**os.environ, "KERAS_BACKEND": "jax",
               "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        run = subprocess.run([sys.executable, "-c", _CHILD, str(folder / "model.keras"),
                              str(scratch)],
                             capture_output=True, text=True, env=env, cwd="/", timeout=300)
        assert run.returncode == 0, run.stderr[-2000:]
        got = json.loads(run.stdout.strip().splitlines()[-1])
        assert got == {"error": None, "mode": 0o444, "listing": ["model.keras"]}
        assert load_keras(folder / "model.keras").predict(np.ones((1, 3)))[0] in ("a", "b")
    finally:
        shutil.rmtree(folder)
        shutil.rmtree(scratch, ignore_errors=True)


def test_keras_opens_a_users_model_in_a_sticky_folder_as_root_owns_it():
    """What fs.protected_regular checks: at Keras' open by name the file is root's own."""
    X = np.r_[np.zeros((6, 3)), np.ones((6, 3))]
    mlp = KerasMLPClassifier((4,), epochs=1, validation_fraction=0, random_state=0)
    mlp.fit(X, ["a", "b"] * 6)
    folder = Path(tempfile.mkdtemp(prefix="aufeat-sl9-"))
    try:
        folder.chmod(0o1777)  # as /tmp
        path = folder / "model.keras"
        path.write_bytes(b"the user's model")
        os.chown(path, 65534, 65534)
        path.chmod(0o600)
        owners, save = [], mlp.model_.save

        def recorded(name, *args, **kwargs):  # Keras' own save, with the owner it meets
            owners.append(os.stat(name).st_uid)
            return save(name, *args, **kwargs)

        mlp.model_.save = recorded
        save_keras(mlp, path)
        assert owners == [0]  # root's while Keras opens and writes it
        info = path.stat()
        assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o600)
    finally:
        shutil.rmtree(folder)
