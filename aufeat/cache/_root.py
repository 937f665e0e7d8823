"""The cache's root folder and its marker file, ``aufeat-cache.json``."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .._atomic import atomic_write_text
from .._json import loads
from ._files import read_regular
from .errors import DamagedCacheError

__all__ = ["FORMAT_VERSION", "ROOT_MARKER", "init_root", "is_cache_root"]

FORMAT_VERSION = 1
ROOT_MARKER = "aufeat-cache.json"
_MARKER = {"format": FORMAT_VERSION, "kind": "aufeat-feature-cache"}


def is_cache_root(root) -> bool:
    """Whether ``root`` holds an aufeat feature cache (has the marker file)."""
    return (Path(root) / ROOT_MARKER).is_file()


def _foreign(root: Path) -> bool:
    """Whether ``root`` holds files but no marker: not a cache, so not to be made one.

    Another process opening the same new folder writes the marker now: its temporary
    file is no content, and once renamed into place (files beside it maybe) it is read.
    """
    temp = f".{ROOT_MARKER}~"
    with os.scandir(root) as entries:
        found = any(not (e.name.startswith(temp) and e.name.endswith(".tmp")) for e in entries)
    return found and not (root / ROOT_MARKER).is_file()


def init_root(root) -> Path:
    """Create (or check) a cache folder; return it as an absolute path."""
    root = Path(root).expanduser().absolute()
    marker = root / ROOT_MARKER
    if root.exists() and not root.is_dir():
        raise FileExistsError(f"cache root {root} is a file; pass a folder path.")
    if root.is_dir() and not marker.is_file() and _foreign(root):
        raise FileExistsError(f"{root} is not empty and is not an aufeat feature cache "
                              f"(no {ROOT_MARKER}); pass an empty or new folder.")
    try:
        root.mkdir(parents=True, exist_ok=True)
        if not marker.is_file():
            atomic_write_text(marker, json.dumps(_MARKER, sort_keys=True, indent=1),
                              streams=False)  # a pipe planted there: replaced
    except OSError as err:  # a read-only or full disk, a folder of another user's
        raise type(err)(f"cannot create the feature cache {root} ({err.strerror or err}); "
                        "choose a folder you can write into") from None
    try:
        version = loads(read_regular(marker))["format"]
        if type(version) is not int:  # "1", 1.0, null: no format number aufeat ever wrote
            raise ValueError(f"its format is {version!r}, not a whole number")
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise DamagedCacheError(f"{marker} is damaged ({type(err).__name__}: {err}); if {root} "
                                f"is an aufeat feature cache, write {json.dumps(_MARKER)} into "
                                "that file to keep its features, or use a new folder.") from None
    if version != FORMAT_VERSION:
        # not even `aufeat cache clear` deletes files of a format it does not know
        raise FileExistsError(f"{root} is an aufeat cache of format {version}; this aufeat "
                              f"reads format {FORMAT_VERSION} and deletes nothing of another "
                              f"format. Delete {root} by hand (its features are recomputed "
                              "on the next run) or use another folder.")
    return root
