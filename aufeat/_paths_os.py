"""Paths made absolute as the OS opens them: ``..`` after a linked folder goes up from its target.

One rule for every place that turns a path the user gave into the one that is
opened (data set loaders, manifests, the feature cache's workers, video decoding),
so that all of them read the same file. Kept outside ``aufeat.datasets`` so that
``aufeat.cache`` and ``aufeat._video`` can use it without importing the data sets.
:func:`tilde_hint` says why a path the shell left as ``~/x`` is not found.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

__all__ = ["absolute", "join_path", "tilde_hint"]


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


def absolute(path) -> str:
    """Return ``path`` made absolute as the OS reads it: links kept, ``..`` after one resolved.

    Not ``os.path.abspath``, which removes ``link/..`` as text and so names another
    folder than the OS opens when ``link`` points elsewhere (:func:`join_path`). For
    a path without a link followed by ``..`` the string is the one ``abspath`` gives
    (cache keys and stored paths do not change). The working folder is asked for
    only for a relative path: an absolute one needs none, also where it was removed
    (a FileNotFoundError that says so is raised for a relative one there).

    Examples
    --------
    >>> absolute("/data/./imgs//a.png") == os.path.abspath("/data/imgs/a.png")
    True
    """
    path = os.fspath(path)
    if os.path.isabs(path):
        return join_path("", path)
    try:
        here = os.getcwd()
    except FileNotFoundError:
        raise FileNotFoundError(
            errno.ENOENT, f"the working folder no longer exists (it was removed), so the "
            f"relative path {path!r} names no file; give an absolute path, or change to an "
            "existing folder first (os.chdir)", path) from None
    return join_path(here, path)


def tilde_hint(path) -> str:
    """Say that a path starting with '~' was not expanded, or return "".

    The shell expands ``~`` at the start of a word only: ``--out-dir=~/feat`` or
    ``manifest:~/faces.csv`` reach aufeat as written, a folder named ``~`` here.

    Examples
    --------
    >>> tilde_hint("~/faces.csv")[:44]
    "'~' was not expanded (the shell expands it o"
    >>> tilde_hint("faces.csv")
    ''
    """
    text = os.fspath(path)
    if text != "~" and not text.startswith(("~/", "~" + os.sep)):
        return ""
    return ("'~' was not expanded (the shell expands it only at the start of a word, not in "
            "--opt=~/x or manifest:~/x): write the full path, or $HOME/x")
