"""How a manifest's ``path`` values are joined to its folder: as the OS opens them.

Kept apart from ``manifest.py`` (the reader) so that the rules for ``..``
after a linked folder are in one place.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["join_path"]


def join_path(folder: str, value: str) -> str:
    """Return ``value`` joined to the absolute ``folder``, with ``..`` resolved as the OS does.

    ``os.path.normpath`` removes ``x/..`` as text, which is wrong when ``x`` is a
    link: the OS goes up from the folder the link points to. Here ``..`` after a
    link goes up from its target (the link is resolved there only); elsewhere
    ``x/..`` and ``.`` are removed, so paths stay as written, links kept.

    Examples
    --------
    >>> join_path("/data/manifests", "../imgs/./a.png") == os.path.normpath("/data/imgs/a.png")
    True
    """
    parts = Path(os.path.join(folder, value)).parts  # pathlib drops '.' and '//', not '..'
    path = parts[0]
    for part in parts[1:]:
        if part == "..":
            path = os.path.dirname(os.path.realpath(path) if os.path.islink(path) else path)
        else:
            path = os.path.join(path, part)
    return path
