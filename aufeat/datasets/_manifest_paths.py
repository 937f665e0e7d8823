"""How a manifest's ``path`` values are joined to its folder: as the OS opens them.

Kept apart from ``manifest.py`` (the reader) so that the rules for ``..``
after a linked folder (:func:`~aufeat._paths_os.join_path`, shared with the
feature cache and video decoding) and for Windows separators are in one place.
"""

from __future__ import annotations

import os
import stat
from pathlib import PureWindowsPath

from .._paths_os import join_path
from .._streams import special_kind

__all__ = ["backslash_hint", "join_path", "missing_image", "windows_relative"]


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
    return (f"image {value!r} not found (looked for {full}){backslash_hint(value)}"
            f"{_case_hint(full)}")


def _case_hint(full: str) -> str:
    """Name a file whose name differs from ``full``'s in case alone ('' if none).

    A manifest written where names ignore case (Windows, macOS) may spell ``b.PNG`` as
    ``b.png``; this file system tells them apart.
    """
    folder, name = os.path.split(full)
    try:
        same = [n for n in os.listdir(folder or ".") if n.casefold() == name.casefold()]
    except OSError:  # no such folder (or unreadable): no hint
        return ""
    return f"; the folder holds {same[0]!r}: names differ in case here" if same else ""
