"""How a manifest's ``path`` values are joined to its folder: as the OS opens them.

Kept apart from ``manifest.py`` (the reader) so that the rules for ``..``
after a linked folder and for Windows separators are in one place.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PureWindowsPath

from .._streams import special_kind

__all__ = ["backslash_hint", "join_path", "missing_image", "windows_relative"]


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


def windows_relative(value: str) -> str | None:
    r"""Return a relative path written with Windows separators in '/' form, else None.

    Only where ``\`` is no separator (Linux, macOS) and ``value`` has neither a
    drive nor a root (``C:\data\a.png`` names no file here).

    Examples
    --------
    >>> windows_relative(r"..\imgs\a.png") if os.sep == "/" else "../imgs/a.png"
    '../imgs/a.png'
    >>> windows_relative(r"C:\imgs\a.png") is None
    True
    """
    if os.sep != "/" or "\\" not in value:
        return None
    path = PureWindowsPath(value)
    return None if path.drive or path.root else path.as_posix()


def backslash_hint(value: str) -> str:
    """Say how a path with backslashes was read, for a not-found message ('' if none)."""
    if os.sep != "/" or "\\" not in value:
        return ""
    return ("; a backslash is a folder separator only in a relative path without a drive "
            "(C:\\...) here: write paths relative to the CSV with '/' (imgs/a.png)")


def missing_image(value: str, full: str) -> str:
    """Say why the ``path`` value ``value``, found as ``full``, names no image file.

    A folder, a named pipe or a device (which reading would block on, or read until
    memory runs out) is named as such, as :func:`aufeat.io.read_image` names it; otherwise the file
    was not found, with :func:`backslash_hint`.
    """
    try:
        mode = os.stat(full).st_mode
    except (OSError, ValueError):  # missing, a broken link, a name the OS refuses
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else special_kind(mode)
        return (f"image {value!r} is {kind} ({full}), not an image file; give the path of "
                "an image file")
    return f"image {value!r} not found (looked for {full}){backslash_hint(value)}"
