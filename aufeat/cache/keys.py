"""Cache keys: an image's content, an extractor's name, class, parameters and version."""

from __future__ import annotations

import enum
import functools
import hashlib
import importlib
import inspect
import json
import os
import sys
import types
from pathlib import Path

import numpy as np

from .._image_file import existing_file
from ..exceptions import UnreadableFileError
from ..io import READER_VERSION

__all__ = ["canonical_json", "check_stateless", "extractor_identity", "fingerprint_array",
           "fingerprint_file", "fingerprint_sources", "read_each", "store_dirname"]

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


def fingerprint_file(data: bytes) -> str:
    """Content fingerprint of one image file: blake2b of its bytes."""
    return hashlib.blake2b(data, digest_size=_FP_BYTES, person=b"aufeat-file").hexdigest()


def read_each(sources, rows) -> list:
    """Return the items ``rows`` of ``sources`` (which has ``take``: video frames, read late).

    Each is an image or, where it cannot be read (a missing or truncated video), an
    OSError saying why: a chunk that fails is read again item by item, so that one bad
    frame or video spoils its own rows only.
    """
    try:
        return list(sources.take(rows))
    except (OSError, ValueError):
        pass
    found = []
    for row in rows:
        try:
            found.append(sources[row])
        except (OSError, ValueError) as err:
            found.append(OSError(str(err)))
    return found


def _each(sources):
    if not hasattr(sources, "take"):
        yield from sources
        return
    for start in range(0, len(sources), 32):  # a chunk of frames per video stream
        yield from read_each(sources, range(start, min(start + 32, len(sources))))


def fingerprint_sources(sources) -> tuple[list, list]:
    """Return each source's fingerprint, and why it could not be read (None where it could).

    A path that is no regular file (a named pipe, which would block until something
    writes into it; a device, read until memory runs out) is refused as
    :func:`aufeat.io.read_image` refuses it: a reason, not stored (it may be a file later).
    """
    fps, reasons = [], []
    for source in _each(sources):
        fp = reason = None
        try:
            if isinstance(source, OSError):
                raise source
            if isinstance(source, str):
                if os.path.exists(source):  # a missing file: the OSError of reading it
                    existing_file(source, regular=True)
                fp = fingerprint_file(Path(source).read_bytes())
            else:
                fp = fingerprint_array(source)
        except UnreadableFileError as err:  # no OSError: a ValueError
            reason = f"cannot read file: {err}"
        except OSError as err:
            reason = f"cannot read file: {err.strerror or err}"
        fps.append(fp)
        reasons.append(reason)
    return fps, reasons


def _named(value) -> bool:
    """Whether ``module.qualname`` of a callable leads back to it, so the name identifies it.

    True for module-level functions and classes (NumPy's ufuncs included) and for methods of
    a class (``str.lower``); false for lambdas, nested functions and closures, methods bound
    to an object, ``functools.partial`` and callable objects, which two different callables
    may share a name with (or have none).
    """
    module, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
    if not isinstance(qualname, str):
        return False
    owner = getattr(value, "__objclass__", getattr(value, "__self__", None))
    try:
        if isinstance(owner, type) and _named(owner):  # str.lower, dict.fromkeys
            found = getattr(owner, value.__name__)
        else:
            found = sys.modules.get(module) or importlib.import_module(module)
            for part in qualname.split("."):
                found = getattr(found, part)
        # == for a class's classmethod, a new bound method on each lookup
        return found is value or (
            (inspect.ismethod(found) or inspect.isbuiltin(found)) and found == value)
    except Exception:  # not importable or not found there: its name does not identify it
        return False


def _code_part(const):
    """Return a constant of a function's code as plain JSON: code by its digest, sets sorted."""
    if isinstance(const, types.CodeType):
        return {"code": _code_digest(const)}
    if isinstance(const, tuple):
        return [_code_part(c) for c in const]
    if isinstance(const, frozenset):  # its order changes with PYTHONHASHSEED
        return {"set": sorted(canonical_json(_code_part(c)) for c in const)}
    return f"{type(const).__name__}:{const!r}"


def _default_part(value):
    """Return a default argument as :func:`_describe` keys a parameter, else by its type.

    Each on its own (containers item by item), sets sorted: the same in every process.
    A value the key cannot describe (an object, a lambda, a random Generator) is keyed
    by its type's qualified name only (an Enum member also by its name), never by its
    repr (an address, a set's order), which would give the function a new key in every
    process.
    """
    if isinstance(value, (set, frozenset)):  # their order changes with PYTHONHASHSEED
        return {"set": sorted(canonical_json(_default_part(v)) for v in value)}
    if isinstance(value, (list, tuple)):
        return [_default_part(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _default_part(v) for k, v in value.items()}
    try:
        return _describe(value)
    except TypeError:  # any other object: by its type (an Enum member: also its name)
        kind = f"{type(value).__module__}.{type(value).__qualname__}"
        return {"type": kind, "member": value.name} if isinstance(value, enum.Enum) else \
            {"type": kind}


def _function_key(value, name: str):
    """Key a Python function by its name and the code of every layer it is made of.

    A decorated function (``functools.wraps``; ``functools.cache``, which has no code of
    its own) is the chain of ``__wrapped__`` functions: each layer's code and defaults are
    keyed, so two decorators around one body, or one decorator around two bodies, are two
    keys. The values a layer closes over (``@gamma(3.0)``'s 3.0, a call counter) are not:
    a counter would give a new key at every call. A chain that leads back to itself stops
    there. NumPy's dispatchers (``np.clip``) and other non-functions keep their name-only
    key; a Numba dispatcher is keyed on its Python function's code.
    """
    layers, seen, layer = [], set(), value
    while layer is not None and id(layer) not in seen and len(layers) < 64:
        seen.add(id(layer))
        code = getattr(layer, "__code__", None)
        if isinstance(code, types.CodeType):
            defaults = [getattr(layer, "__defaults__", None),
                        getattr(layer, "__kwdefaults__", None)]
            layers.append(_code_digest(code, defaults))
        wrapper = isinstance(layer, types.FunctionType) or hasattr(layer, "cache_info")
        layer = getattr(layer, "__wrapped__", None) if wrapper else None
    if not layers:  # a class, builtin or ufunc: its name
        return name
    return {"function": name, "code": layers[0] if len(layers) == 1 else layers}


def _code_digest(code: types.CodeType, defaults=None) -> str:
    """Return a digest of what a Python function computes: its bytecode, constants, names, defaults.

    Not its file or line numbers, so a function moved in its file keeps its key. Two
    scripts (or notebooks) that each define ``__main__.prep`` differently get two keys, and
    so does a function after an edit. The globals it reads are keyed by name only.
    """
    parts = {"bytecode": code.co_code.hex(), "consts": _code_part(code.co_consts),
             "names": list(code.co_names), "varnames": list(code.co_varnames),
             "args": [code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount,
                      code.co_flags],
             "defaults": None if defaults is None else _default_part(defaults)}
    return hashlib.blake2b(canonical_json(parts).encode(), digest_size=10).hexdigest()


def _check_plain_array(value: np.ndarray, where: str) -> None:
    """Refuse an array parameter whose bytes are not its value: dtype object, or masked.

    An object array's bytes are the addresses of its items (a new key in every process,
    and another array's key once an address is reused); a masked array's bytes lack its mask.
    """
    if value.dtype.hasobject:
        raise TypeError(
            f"cannot key the feature cache on {where}: an array of dtype {value.dtype} holds "
            "Python objects, whose bytes are their addresses, not their values; pass a "
            "numeric array (np.asarray(value, dtype=float)) or a tuple of its values.")
    if isinstance(value, np.ma.MaskedArray):
        raise TypeError(
            f"cannot key the feature cache on {where}: a masked array, whose mask the key "
            "would leave out; pass value.filled(fill) or its data and mask as two arrays.")


#: Modules whose classes are keyed on their name and ``feature_version`` (not their code):
#: aufeat's own and scikit-learn's, versioned with the package; every other class is user code.
_VERSIONED = ("aufeat", "sklearn", "builtins")


def _method_key(value):
    """Key a function defined in a user's class by its code (:func:`_function_key`), else None.

    Methods, static and class methods, properties and cached properties; a class
    attribute that is no function is not keyed (a counter or registry kept there would
    change the key as it changes, as the globals a function reads are not keyed).
    """
    if isinstance(value, (staticmethod, classmethod)):
        value = value.__func__
    if isinstance(value, functools.cached_property):
        value = value.func
    if isinstance(value, property):
        return [_method_key(f) for f in (value.fget, value.fset, value.fdel)]
    if isinstance(value, types.FunctionType) or (callable(value) and hasattr(value, "__wrapped__")):
        return _function_key(value, "")
    return None


def _class_code(cls: type) -> str | None:
    """Digest of the code of a user's class: what its own methods compute, else None.

    The functions defined in the class and in each of its bases outside aufeat and
    scikit-learn, keyed as :func:`_function_key` keys a function, so that two scripts'
    ``__main__.Prep``, two ``<locals>`` classes of one name, or a class after an edit get
    their own features. aufeat's and scikit-learn's classes give None: their name,
    parameters and ``feature_version`` key them, as before (their folders keep their names).
    """
    own = [c for c in cls.__mro__
           if str(getattr(c, "__module__", "")).split(".")[0] not in _VERSIONED]
    if not own:
        return None
    parts = {f"{c.__module__}.{c.__qualname__}": {
        name: key for name, v in sorted(vars(c).items()) if (key := _method_key(v)) is not None}
        for c in own}
    return hashlib.blake2b(canonical_json(parts).encode(), digest_size=10).hexdigest()


def _describe(value, where: str = "a parameter value"):
    """Turn a parameter value into plain JSON types, recursing into estimators.

    ``where`` names the value in a refusal (``FunctionTransformer's kw_args['a_min']``).
    """
    if hasattr(value, "get_params") and not isinstance(value, type):
        params = value.get_params(deep=False).items()
        owner = type(value).__name__
        described = {
            "class": f"{type(value).__module__}.{type(value).__qualname__}",
            "feature_version": getattr(value, "feature_version", None),
            "params": {str(k): _describe(v, f"{owner}'s {k}") for k, v in params
                       if k != "cache"},
        }
        code = _class_code(type(value))
        return described if code is None else {**described, "code": code}
    if isinstance(value, np.ndarray):
        _check_plain_array(value, where)
        return {"ndarray": fingerprint_array(value), "dtype": value.dtype.str}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_describe(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {str(k): _describe(v, f"{where}[{k!r}]") for k, v in value.items()}
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, os.PathLike):  # a model_dir: keyed as the same str, Path('m') as 'm'
        return _describe(os.fspath(value))
    if callable(value):  # a class or function, keyed on its name (and a function's code)
        if not _named(value):
            raise TypeError(
                f"cannot key the feature cache on the callable {value!r}: its name does not "
                "identify it (a lambda, a nested function or closure, a bound method, a "
                "functools.partial or a callable object); use a named module-level function "
                "or a class instead.")
        name = f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', value)}"
        return _function_key(value, name)
    raise TypeError(f"cannot key the feature cache on {where} of type "
                    f"{type(value).__name__} ({value!r}); use numbers, strings, paths, tuples, "
                    "arrays or estimators as parameters.")


def _short_name(est) -> str:
    name = getattr(est, "name", None)
    return str(name) if isinstance(name, str) and name else type(est).__name__.lower()


def extractor_identity(extractor, stored_dtype: str | None = None) -> dict:
    """Everything that determines the stored features: name, class, params, version, dtype.

    Also the version of aufeat's image reader (:data:`aufeat.io.READER_VERSION`).

    A ``Pipeline`` is named after its steps (``'facealigner+hog'``); ``cache`` is left out.
    """
    if not hasattr(extractor, "get_params"):
        raise TypeError("extractor must have get_params() (an aufeat extractor or a Pipeline "
                        f"of them); got {type(extractor).__name__}.")
    steps = getattr(extractor, "steps", None)
    if isinstance(steps, list) and steps:
        name = "+".join(_short_name(step) for _, step in steps if step not in (None, "passthrough"))
    else:
        name = _short_name(extractor)
    identity = {"name": name, **_describe(extractor), "image_reader": READER_VERSION}
    if stored_dtype is not None:
        identity["stored_dtype"] = stored_dtype
    return identity


def _estimators(value):
    """Yield ``value``, if an estimator, and every estimator among its parameters (steps)."""
    if hasattr(value, "get_params") and not isinstance(value, type):
        yield value
        children = [v for k, v in value.get_params(deep=False).items() if k != "cache"]
    elif isinstance(value, (list, tuple)):
        children = value
    elif isinstance(value, dict):
        children = list(value.values())
    else:
        return
    for child in children:
        yield from _estimators(child)


def _learned(estimator) -> bool:
    """Whether ``estimator`` holds what its ``fit`` learned.

    scikit-learn's convention: attributes ending in ``_`` (``mean_``), unless its tags say
    it needs no fit (aufeat's extractors and aligner, ``FunctionTransformer``, whose
    ``n_features_in_`` is no learned state). A ``Pipeline`` has none: its steps are judged.
    """
    try:
        if not estimator.__sklearn_tags__().requires_fit:
            return False
    except Exception:  # no scikit-learn tags: judged by its attributes
        pass
    return any(k.endswith("_") and not k.startswith("__")
               for k in getattr(estimator, "__dict__", {}))


def check_stateless(extractor) -> None:
    """Raise ValueError if ``extractor`` (or a step of it) holds state learned by ``fit``.

    Its features could not be cached: the key holds parameters only, and workers get an
    unfitted clone.
    """
    learned = list(dict.fromkeys(type(e).__name__ for e in _estimators(extractor)
                                 if _learned(e)))
    if learned:
        raise ValueError(
            f"the extractor holds learned state ({', '.join(learned)}), which the feature "
            "cache cannot use: the cache keys on parameters only, and workers get an "
            "unfitted clone. Cache the feature step and put learned steps after it, e.g. "
            "pipeline[-1].transform(cache.features(images, pipeline[:-1])).")


def store_dirname(identity: dict) -> str:
    """Folder name of an extractor's shards: ``<name>-<20 hex digits of the identity>``."""
    digest = hashlib.blake2b(canonical_json(identity).encode(), digest_size=10).hexdigest()
    safe = "".join(c if c.isalnum() or c in "+_." else "_" for c in identity["name"])[:40]
    return f"{safe}-{digest}"
