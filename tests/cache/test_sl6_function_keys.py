"""A function parameter's cache key is the same in every process and tells functions apart.

A decorated function (``functools.wraps``, ``functools.cache``) is keyed on the function it
wraps, not on the decorator's wrapper that every function it decorates shares; a default
argument the key cannot describe (an object, a set) is keyed by its type, or its items
sorted, never by a repr that holds an address or a set's order (a new key on every run).
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DECORATED = """
import functools, json, sys
import numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from aufeat.cache import FeatureCache
from aufeat.cache.keys import extractor_identity, store_dirname
from aufeat.estimators import HOGExtractor

def as_float(fn):  # a typical user decorator: every function it wraps runs this code
    @functools.wraps(fn)
    def wrapper(X, *args, **kwargs):
        return fn(np.asarray(X, dtype=float), *args, **kwargs)
    return wrapper

@as_float
def prep(X):  # this script's own preprocessing
    return {body}

@functools.cache
def table(n):  # no __code__ of its own: functools.cache's object
    return {body}

images = np.random.default_rng(0).random((3, 24, 24))
pipe = make_pipeline(FunctionTransformer(prep), HOGExtractor(pixels_per_cell=(8, 8)))
cache = FeatureCache(sys.argv[1])
X = cache.features(images, pipe, progress=False)
print(json.dumps({{"own": bool(np.array_equal(X, pipe.transform(images))),
                   "computed": cache.last_fill.n_computed,
                   "cached_fn": store_dirname(extractor_identity(FunctionTransformer(table)))}}))
"""

DEFAULTS = """
import json
import numpy as np
from sklearn.preprocessing import FunctionTransformer
from aufeat.cache.keys import extractor_identity, store_dirname

class Settings:  # a config object a user passes around: its repr holds its address
    flip = False

def prep(X, settings=Settings(), marker=object(), skip={"left_eye", "right_eye", "mouth",
                                                        "nose", "brow", "chin"},
         *, rng=np.random.default_rng(0), parts=frozenset({"a", "b", "c", "d", "e"})):
    return X

print(json.dumps(store_dirname(extractor_identity(FunctionTransformer(prep)))))
"""


def _run(path: Path, code: str, *args, seed: str = "0"):
    path.write_text(textwrap.dedent(code))
    env = dict(os.environ, PYTHONHASHSEED=seed)  # a set's order changes with it
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    out = subprocess.run([sys.executable, str(path), *map(str, args)], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


def test_two_scripts_with_their_own_decorated_prep_get_their_own_features(tmp_path):
    cache = tmp_path / "cache"
    a = _run(tmp_path / "a.py", DECORATED.format(body="X"), cache)
    assert (a["own"], a["computed"]) == (True, 3)
    b = _run(tmp_path / "b.py", DECORATED.format(body="np.asarray(X)[:, :, ::-1]"), cache)
    assert (b["own"], b["computed"]) == (True, 3)  # not a.py's features
    assert a["cached_fn"] != b["cached_fn"]  # functools.cache: keyed on the code it wraps


def test_a_function_with_object_and_set_defaults_keeps_its_key_in_a_new_process(tmp_path):
    first = _run(tmp_path / "run1.py", DEFAULTS, seed="1")
    assert _run(tmp_path / "run2.py", DEFAULTS, seed="2") == first
