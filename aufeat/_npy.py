"""``.npy`` headers for shards whose data starts at a page boundary of the file.

The format allows padding a header with spaces before its final newline;
``np.load`` reads such a file as any other. Page-aligned data lets the files of
consecutive shards be mapped side by side into one result (:mod:`aufeat._cache_mapped`).
"""

from __future__ import annotations

import io
import mmap
import struct

import numpy as np

__all__ = ["ALIGN_MIN_BYTES", "PAGE", "check_header", "npy_header"]

PAGE = mmap.PAGESIZE
#: Data of at least this many bytes gets a page-aligned header (under 4 KB of padding,
#: at most 6% of the file); smaller shards are read rather than mapped.
ALIGN_MIN_BYTES = 1 << 16


def npy_header(data: np.ndarray) -> bytes:
    """Return the ``.npy`` (1.0) header of ``data``, padded to a page when the data is large."""
    fmt = np.lib.format
    buf = io.BytesIO()
    fmt.write_array_header_1_0(buf, fmt.header_data_from_array_1_0(data))
    head = buf.getvalue()
    pad = (-len(head)) % PAGE
    if data.nbytes < ALIGN_MIN_BYTES or pad == 0:
        return head
    # magic (6 bytes), version (2), header length (uint16), header ending in "\n"
    body = head[10:-1] + b" " * pad + b"\n"
    return head[:8] + struct.pack("<H", len(body)) + body


def check_header(f, meta: dict) -> None:
    """Read the ``.npy`` header of open file ``f`` and check it against a shard's sidecar.

    Parsed with :mod:`numpy.lib.format` (never unpickled: only the recorded numeric
    dtype is accepted); ``f`` is left at the start of the data.

    Raises
    ------
    ValueError
        If the header is not a ``.npy`` header or does not match ``meta``.
    """
    fmt = np.lib.format
    version = fmt.read_magic(f)
    read_header = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
    shape, fortran, dtype = read_header(f)
    if (list(shape) != list(meta["shape"]) or fortran or dtype.str != meta["dtype"]
            or dtype.hasobject):
        raise ValueError(f"header {shape} {dtype} does not match the sidecar")
