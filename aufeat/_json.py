"""Reading JSON files aufeat wrote, but which anyone could have edited.

``json.loads`` raises ``RecursionError`` (not a ``ValueError``) on arrays or objects
nested some thousands deep. A reader of a sidecar, marker or record takes ``ValueError``
for a damaged file; :func:`loads` makes a deeply nested file one of those too, so such a
file is reported or recomputed as any other damaged one, not a traceback.
"""

from __future__ import annotations

import json

__all__ = ["loads"]


def loads(text):
    """Return ``json.loads(text)``; ``ValueError`` also for input nested too deep to decode.

    Examples
    --------
    >>> loads('{"a": [1]}')
    {'a': [1]}
    >>> loads("[" * 100_000)
    Traceback (most recent call last):
    ...
    ValueError: nested too deeply to be read (maximum recursion depth exceeded ...)
    """
    try:
        return json.loads(text)
    except RecursionError as err:
        raise ValueError(f"nested too deeply to be read ({err})") from None
