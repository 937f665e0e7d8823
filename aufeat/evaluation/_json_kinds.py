"""How a results file's checks name JSON values: numbers (not booleans), and a value's kind.

Used by :func:`aufeat.evaluation.results.read_results_json` to say what in a file
is not of the documented type (``'coverage' is a string ('0.9'), not a number``).
"""

from __future__ import annotations

__all__ = ["fits_float", "is_number", "json_kind"]


def is_number(value, *, null: bool = False) -> bool:
    """Whether a JSON value is a number (booleans are not), or null where ``null``.

    An integer beyond a float's range (``1`` and 400 zeros, which JSON allows) is
    not: every reader computes with floats.

    >>> is_number(3), is_number(0.5), is_number(True), is_number(10**400)
    (True, True, False, False)
    """
    if value is None:
        return null
    return isinstance(value, (int, float)) and not isinstance(value, bool) and fits_float(value)


def fits_float(value) -> bool:
    """Whether a number converts to a float (a huge integer does not)."""
    try:
        float(value)
    except OverflowError:
        return False
    return True


def json_kind(value) -> str:
    """Name a JSON value's type in JSON's words, a scalar shown: ``a string ('0.5')``."""
    if isinstance(value, (dict, list)) or value is None:
        return {dict: "an object", list: "a list"}.get(type(value), "null")
    kind = ("a boolean" if isinstance(value, bool) else "a string" if isinstance(value, str)
            else "a number" if fits_float(value) else "an integer too large for a float")
    shown = repr(value)
    return f"{kind} ({shown[:40] + '...' if len(shown) > 40 else shown})"
