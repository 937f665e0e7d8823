"""Cache keys of :class:`aufeat.cache.FeatureCache`: content fingerprints and extractor identities.

An image is keyed on its content (a file's bytes, or an array's pixels with
their shape and dtype), an extractor on its name, class, parameters and
``feature_version`` (nested estimators included), so that a changed parameter
or an upgraded algorithm can never return stale features.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np

__all__ = [
    "canonical_json",
    "extractor_identity",
    "fingerprint_array",
    "fingerprint_file",
    "store_dirname",
]

_FP_BYTES = 16  # blake2b digest size of a content fingerprint


def canonical_json(obj) -> str:
    """Serialise ``obj`` deterministically: sorted keys, no whitespace, plain types."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=True)


def fingerprint_array(image: np.ndarray) -> str:
    """Content fingerprint of one in-memory image: blake2b of its pixels, shape and dtype."""
    arr = np.ascontiguousarray(image)
    h = hashlib.blake2b(digest_size=_FP_BYTES, person=b"aufeat-array")
    h.update(f"{arr.dtype.str}{arr.shape}".encode())
    h.update(memoryview(arr).cast("B"))
    return h.hexdigest()


def fingerprint_file(path, data: bytes | None = None) -> str:
    """Content fingerprint of one image file: blake2b of its bytes (read unless given)."""
    if data is None:
        with open(path, "rb") as f:
            data = f.read()
    return hashlib.blake2b(data, digest_size=_FP_BYTES, person=b"aufeat-file").hexdigest()


def _describe(value):
    """Turn a parameter value into plain JSON types, recursing into estimators."""
    if hasattr(value, "get_params") and not isinstance(value, type):
        params = {k: v for k, v in value.get_params(deep=False).items() if k != "cache"}
        return {
            "class": f"{type(value).__module__}.{type(value).__qualname__}",
            "feature_version": getattr(value, "feature_version", None),
            "params": {str(k): _describe(v) for k, v in params.items()},
        }
    if isinstance(value, np.ndarray):
        return {"ndarray": fingerprint_array(value), "dtype": value.dtype.str}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_describe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _describe(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (type, type(len))) or callable(value):
        return f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', value)}"
    raise TypeError(
        f"cannot key the feature cache on a parameter value of type {type(value).__name__} "
        f"({value!r}); use numbers, strings, tuples, arrays or estimators as parameters."
    )


def _short_name(est) -> str:
    name = getattr(est, "name", None)
    return str(name) if isinstance(name, str) and name else type(est).__name__.lower()


def extractor_identity(extractor) -> dict:
    """Everything that determines an extractor's output: name, class, params and version.

    A scikit-learn ``Pipeline`` is named after its steps (``'facealigner+hog'``);
    nested estimators contribute their own class, parameters and ``feature_version``.
    The ``cache`` parameter is left out.
    """
    if not hasattr(extractor, "get_params"):
        raise TypeError(
            f"extractor must have get_params() (an aufeat extractor or a Pipeline of them); "
            f"got {type(extractor).__name__}."
        )
    described = _describe(extractor)
    steps = getattr(extractor, "steps", None)
    if isinstance(steps, list) and steps:
        name = "+".join(_short_name(step) for _, step in steps if step not in (None, "passthrough"))
    else:
        name = _short_name(extractor)
    return {"name": name, **described}


def store_dirname(identity: dict) -> str:
    """Folder name of an extractor's shards: ``<name>-<20 hex digits of the identity>``."""
    digest = hashlib.blake2b(canonical_json(identity).encode(), digest_size=10).hexdigest()
    safe = "".join(c if c.isalnum() or c in "+_." else "_" for c in identity["name"])[:40]
    return f"{safe}-{digest}"
