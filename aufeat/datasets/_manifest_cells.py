"""How a manifest's meta cells are read as numbers or text (``manifest.py`` reads them).

Kept apart from the reader so that :func:`~aufeat.datasets.write_manifest` can refuse,
before writing, text values that the reader would merge into one number.
"""

from __future__ import annotations

import numbers
import re

import numpy as np

__all__ = ["check_text_kept", "infer", "meta_to_write"]

MISSING = {"", "nan", "na", "n/a", "none"}
_TEXT_NUMBER = re.compile(r"^(\+|-?0\d)")  # numbers written as text: a sign or leading zero
# Numbers: ASCII digits only (int() and float() also read '1_2' as 12, ' 1' or '١' as 1)
INT = re.compile(r"^[-+]?[0-9]+$")
FLOAT = re.compile(r"^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$|^[-+]?inf(inity)?$",
                   re.IGNORECASE)


def infer(values: list[str]) -> np.ndarray:
    """Return a column as int, float or text; ids such as '007', '+1' or '1_2' stay text."""
    if any(_TEXT_NUMBER.match(v) for v in values):
        return np.array(values, dtype=str)
    if all(INT.match(v) for v in values):
        try:
            return np.array([int(v) for v in values], dtype=np.int64)
        except OverflowError:  # 20-digit ids
            return np.array(values, dtype=str)
    numbers = [bool(FLOAT.match(v)) for v in values]
    missing = [v.lower() in MISSING for v in values]
    mixed = any(numbers) and all(map(any, zip(numbers, missing, strict=True)))
    if mixed or all(v.lower() in ("", "nan") for v in values):  # 'none' / 'NA' alone: text
        return np.array([float(v) if n else np.nan for v, n in zip(values, numbers, strict=True)])
    return np.array(values, dtype=str)


def check_text_kept(name: str, cells: list[str], values=None) -> None:
    """Refuse a text column whose distinct values :func:`infer` would read as one number.

    ``'1.1'`` and ``'1.10'``, or ``'3e4'`` and ``'30000'``, would come back equal:
    grouping by them would merge different takes or batches. Values that stay
    distinct (``['1.5', '2']`` read as numbers, or ``''`` beside numbers read as
    NaN) are written as they are. ``values``: the column as given (``cells`` are
    their ``str``): two cells merge when they are written differently and are not
    equal numbers. ``[1, None, 1.0]``, ``Decimal('0.5')`` beside ``0.5`` or
    ``np.float32(0.1)`` beside ``0.1`` (both written ``0.1``) merge nothing; two 19-digit
    ints beside a gap (read back as float64) or ``['1.0', 1]`` (text and a number) would
    be merged, and are refused.
    """
    read = infer(cells)
    if read.dtype.kind not in "iuf":
        return
    first: dict = {}
    for row, (cell, number) in enumerate(zip(cells, read.tolist(), strict=True)):
        if number != number:
            continue  # NaN: a missing value, never equal to a number
        given = cell if values is None else values[row]
        given = given.item() if isinstance(given, np.generic) else given
        value = given if isinstance(given, numbers.Number) and not isinstance(
            given, (bool, str)) else None  # a number (Decimal, NumPy's too), else text
        seen = first.setdefault(number, (row, cell, value))
        if seen[1] != cell and (value is None or seen[2] is None or value != seen[2]):
            # written differently and not equal numbers (Decimal('1.0') and 1 are equal)
            raise ValueError(
                f"meta column {name!r}: the values {seen[1]!r} (row {seen[0]} of the data "
                f"set) and {cell!r} (row {row}) would both be read back by load_manifest as "
                f"the number {number!r}, merging what they tell apart; convert the column to "
                f"numbers first (e.g. .astype(float)) if they are numbers, or give its values "
                f"a text prefix (e.g. 'v{seen[1]}') to keep them as text")


def meta_to_write(name: str, values: np.ndarray) -> np.ndarray:
    """Return a meta column as written so that :func:`infer` reads back its values.

    ``str`` would write bools as ``True`` / ``False`` and bytes as ``b'T1'``, read back
    as text (``'False'`` is true to ``astype(bool)``): bools are written 1/0 (read back
    as ints 0/1), bytes (h5py's text) decoded as UTF-8, as the subject column is. Also
    in an object array (h5py's variable-length text, a pandas bool column with a gap)
    whose items, missing ones (None, NaN) aside, are all bools or all bytes.
    """
    if values.dtype == bool:
        return values.astype(np.int8)
    if values.dtype.kind == "O":
        return _object_column(name, values)
    if values.dtype.kind != "S":
        return values
    for row, value in enumerate(values.ravel().tolist()):
        _decoded(name, row, value)
    return np.char.decode(values, "utf-8")


def _object_column(name: str, values: np.ndarray) -> np.ndarray:
    """Return an object column of bools or bytes (and gaps) as :func:`meta_to_write` writes it.

    Gaps (None, NaN, pandas' ``pd.NA``) are written empty: read back as missing.
    """
    items = values.tolist()
    gap = [v is None or (isinstance(v, float) and v != v) or type(v).__name__ == "NAType"
           for v in items]
    known = [v for v, missing in zip(items, gap, strict=True) if not missing]
    if known and all(isinstance(v, (bool, np.bool_)) for v in known):
        return np.array(["" if missing else int(v) for v, missing in zip(items, gap, strict=True)],
                        dtype=object)
    if known and all(isinstance(v, (bytes, np.bytes_)) for v in known):
        return np.array(["" if missing else _decoded(name, row, v)
                         for row, (v, missing) in enumerate(zip(items, gap, strict=True))],
                        dtype=object)
    return values


def _decoded(name: str, row: int, value: bytes) -> str:
    """``value`` as UTF-8 text; ValueError naming the column and row where it is not."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"meta column {name!r}: row {row}'s value {value!r} is bytes that "
                         f"are not UTF-8 text ({exc.reason} at byte {exc.start}); decode "
                         "the column to text first (e.g. np.char.decode(values, "
                         "'latin-1') for Latin-1 bytes)") from None
