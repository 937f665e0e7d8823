"""How a results file's checks name JSON values: numbers (not booleans), and a value's kind.

Used by :func:`aufeat.evaluation.results.read_results_json` to say what in a file
is not of the documented type (``'coverage' is a string ('0.9'), not a number``).
"""

from __future__ import annotations

__all__ = ["is_number", "json_kind"]


def is_number(value, *, null: bool = False) -> bool:
    """Whether a JSON value is a number (booleans are not), or null where ``null``."""
    if value is None:
        return null
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def json_kind(value) -> str:
    """Name a JSON value's type in JSON's words, a scalar shown: ``a string ('0.5')``."""
    if isinstance(value, (dict, list)) or value is None:
        return {dict: "an object", list: "a list"}.get(type(value), "null")
    kind = ("a boolean" if isinstance(value, bool) else "a string" if isinstance(value, str)
            else "a number")
    shown = repr(value)
    return f"{kind} ({shown[:40] + '...' if len(shown) > 40 else shown})"
