"""Read the header of a ``.npy`` file or archive member: its shape and dtype, no data.

One reader for the feature cache's shards, predictions files and model archives, which
check what an array declares before NumPy allocates it.
"""

from __future__ import annotations

import threading

import numpy as np

__all__ = ["read_npy_header"]

#: NumPy parses a header with ``ast.literal_eval``, and CPython 3.11's AST constructor keeps
#: its depth count per interpreter, not per thread: two threads parsing at once can fail with
#: "SystemError: AST constructor recursion depth mismatch" (python/cpython#106905; seen once in
#: this project's tests, reading shards on threads). Headers are parsed one at a time.
_HEADER_LOCK = threading.Lock()


def read_npy_header(f) -> tuple:
    """Read a ``.npy`` header from binary file ``f``: ``(shape, fortran_order, dtype)``.

    Raises ValueError when ``f`` does not start with a ``.npy`` header.

    Examples
    --------
    >>> import io
    >>> buffer = io.BytesIO()
    >>> np.save(buffer, np.zeros((2, 3), np.float32))
    >>> _ = buffer.seek(0)
    >>> read_npy_header(buffer)
    ((2, 3), False, dtype('float32'))
    """
    fmt = np.lib.format
    version = fmt.read_magic(f)
    read = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
    with _HEADER_LOCK:
        return read(f)
