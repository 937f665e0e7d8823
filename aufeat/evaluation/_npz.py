"""Read a predictions ``.npz`` written by aufeat without trusting the sizes it declares.

An ``.npy`` member's header names the shape of its array, and NumPy allocates
that much before it reads a byte: a 300-byte file declaring ``(2**40,)`` asks for
8 TiB. :func:`read_npz` reads every member's header first and refuses an array
larger than the data the member holds, arrays of other than plain numbers or text
(object, structured or void), and archives whose members would unpack to more than
:data:`MAX_PREDICTION_BYTES`. The ratio of unpacked to packed size is not bounded:
aufeat's own files of a large run reach deflate's limit (about 1000x: a video's frames,
one label per clip, a model of discrete scores); what would turn a small file into
gigabytes of Python strings, score labels beyond the score columns, is refused by
:func:`aufeat.evaluation._results_read.check_prediction_shapes`.
"""

from __future__ import annotations

import io
import math
import zipfile

import numpy as np

from aufeat._npy import read_npy_header
from aufeat._zip import ZIP_ERRORS

__all__ = ["MAX_PREDICTION_BYTES", "read_npz"]

#: Most bytes the members of a predictions file may unpack to (the pooled
#: predictions of a benchmark run are a few MB).
MAX_PREDICTION_BYTES = 2**31
#: The dtype kinds aufeat writes: bool, integers, floats, and text.
_PLAIN_KINDS = "biufUS"


class _Refused(ValueError):
    """A predictions file refused by :func:`read_npz` (its message is complete)."""


def read_npz(data: bytes, source) -> dict[str, np.ndarray]:
    """Return the arrays of the ``.npz`` archive ``data`` by member name (no ``.npy``).

    Raises
    ------
    ValueError
        Naming ``source``, when the archive is damaged or foreign (a compression
        method zipfile lacks, an encrypted member: :data:`aufeat._zip.ZIP_ERRORS`),
        declares an array larger than the bytes its member holds, holds an array
        of another dtype than bool, integer, float or text (object, structured,
        void: what aufeat never writes), or unpacks to more than
        :data:`MAX_PREDICTION_BYTES`.
    """
    def refuse(why) -> ValueError:
        return _Refused(f"{source} is not a predictions file aufeat wrote ({why}); run "
                          "the configuration again to write it afresh")

    arrays = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            total = sum(info.file_size for info in infos)
            if total > MAX_PREDICTION_BYTES:
                raise refuse(f"its members unpack to {total:,} bytes, more than the "
                             f"{MAX_PREDICTION_BYTES:,} a predictions file may hold")
            for info in infos:
                with archive.open(info) as member:
                    shape, _, dtype = read_npy_header(member)
                    if dtype.hasobject:
                        raise refuse(f"{info.filename} holds Python objects")
                    if (dtype.kind not in _PLAIN_KINDS or dtype.fields is not None
                            or dtype.subdtype is not None):
                        raise refuse(f"{info.filename} holds a {dtype} array, not plain "
                                     "numbers or text")
                    size = math.prod(shape) * dtype.itemsize
                    if size > info.file_size:
                        raise refuse(f"{info.filename} declares a {shape} {dtype} array "
                                     f"({size:,} bytes) in a member of {info.file_size:,}")
                with archive.open(info) as member:  # read_array reads the header again
                    array = np.lib.format.read_array(member, allow_pickle=False)
                arrays[info.filename.removesuffix(".npy")] = array
    except _Refused:
        raise
    except ZIP_ERRORS as err:
        raise refuse(f"{type(err).__name__}: {err}") from err
    return arrays
