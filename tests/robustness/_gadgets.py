"""Hostile skops files, written by hand (skops' own dump refuses to write most of them).

Each gadget, if built, leaves a marker file behind; a safe loader refuses it
first, so the marker never appears.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path


def _json(value) -> dict:
    return {"__class__": type(value).__name__, "__module__": "builtins", "__loader__": "JsonNode",
            "content": json.dumps(value), "is_json": True}


def _call(module: str, name: str, *args) -> dict:
    """A node that calls ``module.name(*args)`` when the file is loaded."""
    return {"__class__": name, "__module__": module, "__loader__": "ConstructorFromReduceNode",
            "content": {"__class__": "tuple", "__module__": "builtins",
                        "__loader__": "TupleNode", "content": [_json(a) for a in args]}}


def _write(path: Path, schema: dict, prefix: bytes = b"") -> Path:
    import skops
    import skops.io._protocol as protocol

    schema = {**schema, "protocol": protocol.PROTOCOL, "_skops_version": skops.__version__}
    path.write_bytes(b"")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("schema.json", json.dumps(schema))
    if prefix:  # data before a zip archive: zip readers still find it
        path.write_bytes(prefix + path.read_bytes())
    return path


def savetxt_gadget(path: Path, marker: Path) -> Path:
    """Calls ``numpy.savetxt(marker, [[1.0]])``: writes any file it likes."""
    return _write(path, _call("numpy", "savetxt", str(marker), [[1.0]]))


def os_system_gadget(path: Path, marker: Path) -> Path:
    """Calls ``os.system('touch MARKER')``."""
    import shlex

    return _write(path, _call("os", "system", f"touch {shlex.quote(str(marker))}"))


def pickle_payload(marker: Path) -> bytes:
    """A protocol-0 pickle, written by hand, that runs ``os.system('touch MARKER')``."""
    import shlex

    command = f"touch {shlex.quote(str(marker))}"
    return b"cos\nsystem\n(S" + repr(command).encode() + b"\ntR."


def numpy_load_gadget(path: Path, marker: Path) -> Path:
    """Calls ``numpy.load(itself, None, True)``: the file starts with a pickle, so
    NumPy unpickles it (allow_pickle=True), which runs ``os.system``."""
    return _write(path, _call("numpy", "load", str(path), None, True),
                  prefix=pickle_payload(marker))


def function_transformer_model(path: Path) -> Path:
    """A real skops dump of ``Pipeline([FunctionTransformer(numpy.save)])``."""
    import numpy as np
    import skops.io as sio
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    model = Pipeline([("features", FunctionTransformer(np.save, kw_args={"arr": [0]}))])
    sio.dump(model, path)
    return path
