"""Why a stored failure failed, told of the file a request asks about.

Failures are keyed by content, like features: a request holding a file with the bytes of
one that failed before takes the stored failure. Its reason, as stored (by this version
and by earlier ones), names the file that failed first, often by its absolute path, from
another folder or data set; :func:`retold` names the file asked about instead.
"""

from __future__ import annotations

import ast
import os
import re

__all__ = ["retold"]

# a Python string literal, as repr() writes a path into a message: '...' or "..."
_QUOTED = re.compile(r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*\"""")


def _names(text: str, stored: str) -> bool:
    """Whether ``text`` (a path quoted in a reason) names the file stored as ``stored``."""
    if text in (stored, os.path.abspath(stored)):
        return True
    base = os.path.basename(stored)
    return bool(base) and os.path.basename(text) == base


def retold(failure: dict, label: str, path: str) -> str:
    """Return a stored failure's reason naming the file asked for, not the one stored.

    Parameters
    ----------
    failure : dict
        The stored failure: ``path`` (the name the file was given when it failed) and
        ``reason`` (as computed then: it may quote the file's path).
    label : str
        How the request names the row (as ``path`` in ``last_fill.failures``).
    path : str
        The file as a computation now would quote it (its absolute path), or ``label``.

    Examples
    --------
    >>> retold({"path": "a/x.png", "reason": "cannot decode: '/data/a/x.png' is empty"},
    ...        "b/x.png", "/home/b/x.png")
    "cannot decode: '/home/b/x.png' is empty"
    >>> retold({"path": "images[1]", "reason": "images[1]: too small"}, "images[4]", "images[4]")
    'images[4]: too small'
    """
    reason, stored = str(failure["reason"]), str(failure.get("path", ""))
    if not stored:
        return reason

    parts, end = [], 0
    for match in _QUOTED.finditer(reason):  # quoted paths; between them, names as given
        parts += [_plain(reason[end:match.start()], stored, label), _quoted(match, stored, path)]
        end = match.end()
    return "".join([*parts, _plain(reason[end:], stored, label)])


def _plain(text: str, stored: str, label: str) -> str:
    """Replace ``stored`` by ``label`` in unquoted ``text`` where it stands as a whole name.

    Not inside a longer name or word (a stored ``e`` in ``decoded``), and not followed
    by more of a path (``e.png``, ``e/x``); a full stop ending a sentence is no part of it.
    """
    if stored == label:
        return text
    name = re.compile(rf"(?<![\w/.\\-]){re.escape(stored)}(?![\w/\\-]|\.\w)")
    return name.sub(lambda _: label, text)


def _quoted(match: re.Match, stored: str, path: str) -> str:
    try:
        text = ast.literal_eval(match.group(0))
    except (ValueError, SyntaxError):
        return match.group(0)
    return repr(path) if isinstance(text, str) and _names(text, stored) else match.group(0)
