"""A function parameter is keyed on its code, not only on its name.

Every function of a script, notebook or Jupyter kernel is ``__main__.<name>``: two scripts
that each define their own ``prep`` and share a cache must each get their own features,
while moving a function in its file (other line numbers, another file name) keeps its key.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
import numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from aufeat.cache import FeatureCache
from aufeat.estimators import HOGExtractor
{before}
def prep(X, mode="keep"):  # this script's own preprocessing
    if mode in {{"keep", "same", "as is", "none", "identity"}}:
        return {body}
    raise ValueError(mode)

images = np.random.default_rng(0).random((3, 24, 24))
pipe = make_pipeline(FunctionTransformer(prep), HOGExtractor(pixels_per_cell=(8, 8)))
cache = FeatureCache(sys.argv[1])
X = cache.features(images, pipe, progress=False)
print(json.dumps({{"own": bool(np.array_equal(X, pipe.transform(images))),
                   "computed": cache.last_fill.n_computed}}))
"""


def _run(path: Path, cache: Path, body: str, before: str = "", seed: str = "0") -> dict:
    path.write_text(SCRIPT.format(body=body, before=textwrap.dedent(before)))
    env = dict(os.environ, PYTHONHASHSEED=seed)  # a set's order in the code changes with it
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    out = subprocess.run([sys.executable, str(path), str(cache)], env=env, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


def test_two_scripts_defining_their_own_prep_get_their_own_features(tmp_path):
    cache = tmp_path / "cache"
    assert _run(tmp_path / "a.py", cache, "X") == {"own": True, "computed": 3}
    mirrored = _run(tmp_path / "b.py", cache, "np.asarray(X)[:, :, ::-1]")
    assert mirrored == {"own": True, "computed": 3}  # not a.py's features


def test_a_function_moved_in_its_file_keeps_its_key(tmp_path):
    cache = tmp_path / "cache"
    assert _run(tmp_path / "a.py", cache, "X", seed="1") == {"own": True, "computed": 3}
    moved = _run(tmp_path / "other_name.py", cache, "X", seed="2", before="""
        # a comment and a constant before it: prep starts on another line


        SCALE = 2.0
        """)
    assert moved == {"own": True, "computed": 0}
