"""The file :func:`aufeat.io.read_image` and :func:`aufeat.io.iter_frames` are asked to read.

It must exist and not be a folder; an image must be a regular file too: read whole, a
named pipe blocks until something writes into it, and a device (``/dev/zero``) is read
until memory runs out.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ._streams import special_kind
from .exceptions import UnreadableFileError

__all__ = ["existing_file"]


def existing_file(path, *, regular: bool = False) -> Path:
    """Return ``path`` as a Path when it exists and is no folder.

    Raises FileNotFoundError, IsADirectoryError (a folder) and, with ``regular``,
    UnreadableFileError naming ``path`` and its kind when it is no regular file (a
    link to one is).
    """
    path = Path(os.fspath(path))
    if not path.exists():
        raise FileNotFoundError(f"no such file: {str(path)!r}")
    if path.is_dir():
        raise IsADirectoryError(f"{str(path)!r} is a folder; pass an image or video file")
    if regular and not stat.S_ISREG(mode := os.stat(path).st_mode):
        raise UnreadableFileError(f"{str(path)!r} is {special_kind(mode)}, not an image "
                                  "file; give the path of an image file")
    return path
