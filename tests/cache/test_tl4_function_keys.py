"""What the feature cache keys a decorated function or an odd default on (TL4, TL5).

A decorated ``prep`` was keyed on the innermost function only: two decorators around one
body shared a key and a second script got the first one's features. The values a
decorator closes over are not keyed: a call counter there would change the key at every
call. An Enum default was keyed by its type alone, so an edit was missed. A
``__wrapped__`` that leads back to itself ended in a raw "wrapper loop" ValueError, and a
Numba function in a raw AttributeError. The keys are built by the real key function, in
scripts run in fresh processes, as the cache builds them for a user's script.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

HEADER = textwrap.dedent("""
    import enum, functools, json
    import numpy as np
    from aufeat.cache.keys import _describe

    def as_float(fn):
        @functools.wraps(fn)
        def wrapper(X):
            return fn(np.asarray(X, dtype=float))
        return wrapper

    def mirrored(fn):
        @functools.wraps(fn)
        def wrapper(X):
            return fn(np.asarray(X, dtype=float)[:, :, ::-1])
        return wrapper

    def gamma(k):
        def deco(fn):
            @functools.wraps(fn)
            def wrapper(X):
                return fn(np.asarray(X, dtype=float) ** k)
            return wrapper
        return deco

    class Mode(enum.Enum):
        KEEP = 1
        MIRROR = 2
""")


def _keys(tmp_path, bodies: dict) -> dict:
    """Return the key of ``prep`` in a fresh process for each script body."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    keys = {}
    for label, body in bodies.items():
        script = tmp_path / f"{label}.py"
        script.write_text(HEADER + textwrap.dedent(body)
                          + "\nprint(json.dumps(_describe(prep), sort_keys=True))\n")
        done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                              env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        keys[label] = json.loads(done.stdout.strip().splitlines()[-1])
    return keys


def test_the_decorator_is_in_the_key(tmp_path):
    body = "\n{deco}\ndef prep(X):\n    return np.clip(X, 0, 1)\n"
    keys = _keys(tmp_path, {name: body.format(deco=deco) for name, deco in [
        ("float", "@as_float"), ("mirror", "@mirrored"), ("plain", ""),
        ("float_again", "@as_float")]})
    assert len({json.dumps(k, sort_keys=True) for k in keys.values()}) == 3
    assert keys["float"] == keys["float_again"]  # the same script: the same key


def test_a_counter_in_a_decorator_keeps_the_key(tmp_path):
    keys = _keys(tmp_path, {"counted": """
        def counted(fn):
            calls = [0]
            @functools.wraps(fn)
            def wrapper(X):
                calls[0] += 1
                return fn(X)
            return wrapper

        @counted
        def prep(X):
            return X

        before = json.dumps(_describe(prep), sort_keys=True)
        prep(1)
        assert json.dumps(_describe(prep), sort_keys=True) == before
        """})
    assert "code" in keys["counted"]


def test_an_edited_enum_default_is_a_new_key(tmp_path):
    body = "\ndef prep(X, mode={mode}):\n    return X\n"
    keys = _keys(tmp_path, {"keep": body.format(mode="Mode.KEEP"),
                            "mirror": body.format(mode="Mode.MIRROR")})
    assert keys["keep"] != keys["mirror"]


def test_a_numba_function_is_keyed_on_its_code():
    from aufeat.cache.keys import _describe
    from aufeat.features._fhog_kernels import fhog_image

    key = _describe(fhog_image)  # a Numba dispatcher: raised AttributeError (__closure__)
    assert key == _describe(fhog_image)
    assert "code" in key


def test_a_wrapper_loop_is_keyed_not_raised(tmp_path):
    keys = _keys(tmp_path, {"loop": """
        def prep(X):
            return X
        prep.__wrapped__ = prep
        """, "plain": """
        def prep(X):
            return X
        """})
    assert keys["loop"] == keys["plain"]
