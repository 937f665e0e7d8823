"""How subject ids are read and compared: one id per item, and ids that look alike.

Every protocol and interval groups items by their subject id as text. An item
without one (NaN, None) is refused (:func:`subject_ids`): read as text, all such
items would be one person ``'nan'``. Ids that differ only in case, surrounding
spaces, Unicode form or invisible characters are different people, with a warning
naming them (:func:`twins_note`, :func:`cross_twins_note`), since they may be one; so
are numbers written differently (``'1'``, ``'01'``, ``'1.0'``) within one data set,
while across two data sets they are one id (:func:`same_id`).
"""

from __future__ import annotations

import decimal
import re
import unicodedata

import numpy as np

from aufeat._missing import as_array, missing_mask

from ._items import item_vector

__all__ = ["cross_twins_note", "same_id", "subject_ids", "twins_note", "visible"]


def subject_ids(subjects, name: str = "subjects") -> np.ndarray:
    """Return ``subjects`` as text; NaN, None or ``pandas.NA`` (not the text 'nan') is refused.

    A ValueError names how many items have no id and the first of them, as
    ``FaceDataset`` does. A column of shape ``(n, 1)`` (``df[["subject"]]``) is read
    as 1-D, as the metrics read it; a wider one is refused (ValueError naming ``name``).

    Examples
    --------
    >>> subject_ids(["s1", 2]).tolist()
    ['s1', '2']
    >>> subject_ids(["s1", None])
    Traceback (most recent call last):
    ...
    ValueError: subjects: 1 value(s) are NaN or None, the first at item 1 (counting from 0); ...
    """
    raw = as_array(item_vector(subjects, name))  # a list's NaN stays NaN, not the text 'nan'
    missing = missing_mask(raw)
    if missing.any():
        raise ValueError(f"{name}: {int(missing.sum())} value(s) are NaN or None, the first at "
                         f"item {int(np.flatnonzero(missing)[0])} (counting from 0); give every "
                         "item a subject id (read as text, all such items would be one person)")
    return raw.astype(str)


def visible(s: str) -> str:
    """Return ``s`` in Unicode form NFKC without format characters (U+200B zero-width space)."""
    return "".join(c for c in unicodedata.normalize("NFKC", s) if unicodedata.category(c) != "Cf")


#: How two ids can look alike: each with the key that ignores every other difference.
TWIN_KINDS = {"case": lambda s: visible(s).strip(),  # 'Alice', 'alice'
              "surrounding spaces": lambda s: visible(s).casefold(),  # 'S01', 'S01 '
              # 'José' as one character (NFC) and as 'e' and an accent (NFD, macOS), 'S01\u200b'
              "Unicode form or invisible characters": lambda s: s.strip().casefold()}

_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _by_value(text: str) -> str:
    """``text`` that is a number written as one (``'1.0'``, ``'01'``) by its value; else as is.

    Exact (decimal), so that long numeric ids stay apart: a float column's ``'1.0'``
    is the int column's ``'1'``. Computed in a context of its own, with room for every
    digit and any rounding refused: the caller's context (28 digits, or what a notebook
    set) would round ids of more digits into one.
    """
    if not _NUMBER.fullmatch(text):
        return text
    exact = decimal.Context(prec=len(text) + 2, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN,
                            traps=[decimal.InvalidOperation, decimal.Inexact, decimal.Overflow])
    try:
        with decimal.localcontext(exact):
            return str(decimal.Decimal(text).normalize())
    except ArithmeticError:  # an exponent past what decimal holds
        return text


def same_id(s: str) -> str:
    """Return the key under which two data sets' ids are one id: NFC, numbers by value."""
    return _by_value(unicodedata.normalize("NFC", s))


def _twin_key(s: str) -> str:
    """Return the key under which ids look alike (maybe one person): no :data:`TWIN_KINDS`."""
    return _by_value(visible(s).strip().casefold())


def _how(names) -> tuple[str, callable]:
    """Say how ``names`` (ids alike under :func:`_twin_key`) differ, and how to show them."""
    kinds = [kind for kind, key in TWIN_KINDS.items()
             if len({_by_value(key(s)) for s in names}) > 1]
    numbers = {visible(s).strip() for s in names}  # '1', '01', '1.0'
    if len(numbers) > 1 and all(_NUMBER.fullmatch(n) for n in numbers):
        kinds.append("how a number is written")
    kinds = kinds or ["how they are written"]
    how = " and ".join([", ".join(kinds[:-1]), kinds[-1]] if len(kinds) > 1 else kinds)
    return how, ascii if "Unicode" in how else repr  # visibly apart: 'Jos\xe9', 'Jose\u0301'


#: How many groups of look-alike ids a warning names (the rest are counted)
_SHOWN_GROUPS = 5


def twins_note(subjects, where: str = "", harm: str = "that person's images may be on both "
               "sides of a fold") -> str | None:
    """Return the warning about ids of one data set that look alike (maybe one person), or None.

    ``where`` names the data set (``" of 'B'"``), ``harm`` what follows if they are one.
    Numbers equal by value (``'1'``, ``'01'``, ``'1.0'``: two exports merged, one
    zero-padded) are named too; across two data sets they are one id (:func:`same_id`).
    """
    by_look = {}
    for s in np.unique(subjects).tolist():
        by_look.setdefault(_twin_key(s), []).append(s)
    twins = [names for names in by_look.values() if len(names) > 1]
    if not twins:
        return None
    if len(twins) == 1:
        how, show = _how(twins[0])
        return (f"subject ids {' and '.join(map(show, twins[0]))}{where} differ only in {how}: "
                f"they count as different people, so if they are one person, {harm}; "
                "give one id per person")
    groups = []  # each named with its own kind: another group may differ otherwise
    for names in twins[:_SHOWN_GROUPS]:
        how, show = _how(names)
        groups.append(f"{' and '.join(map(show, names))} (only {how})")
    more = len(twins) - _SHOWN_GROUPS
    return (f"{len(twins)} groups of subject ids{where} differ only in how they are written: "
            + "; ".join(groups) + (f"; and {more} more group(s)" if more > 0 else "")
            + f": they count as different people, so if one group is one person, {harm}; "
            "give one id per person")


def cross_twins_note(train, test, train_name: str, test_name: str) -> str | None:
    """Return the warning about two data sets' ids that look alike but are not one id, or None.

    ``train`` and ``test`` are the two data sets' ids; pairs that are one id
    (:func:`same_id`) are not named (a cross run refuses them).
    """
    seen = {}
    for s in np.unique(train).tolist():
        seen.setdefault(_twin_key(s), []).append(s)
    pairs = [(a, b) for b in np.unique(test).tolist() for a in seen.get(_twin_key(b), ())
             if same_id(a) != same_id(b)]
    if not pairs:
        return None
    harm = "images are in both training and test data; give one id per person"
    if len(pairs) == 1:
        (a, b), (how, show) = pairs[0], _how(pairs[0])
        return (f"subject ids {show(a)} of {train_name!r} and {show(b)} of {test_name!r} differ "
                f"only in {how}: they count as different people, so if they are one person, "
                f"that person's {harm}")
    named = []  # each pair with its own kind and escaping, as twins_note's groups
    for a, b in pairs[:_SHOWN_GROUPS]:
        how, show = _how((a, b))
        named.append(f"{show(a)} and {show(b)} (only {how})")
    more = len(pairs) - _SHOWN_GROUPS
    return (f"{len(pairs)} pairs of subject ids, of {train_name!r} and of {test_name!r}, differ "
            "only in how they are written: " + "; ".join(named)
            + (f"; and {more} more pair(s)" if more > 0 else "")
            + f": they count as different people, so if a pair is one person, that person's "
            f"{harm}")
