"""Validation of FaceDataset's fields: text columns, AU codes, metadata."""

from __future__ import annotations

import numbers

import numpy as np

from aufeat._missing import missing_mask

__all__ = ["au_value_ok", "au_value_problem", "check_aus", "check_meta", "check_size",
           "field_aliases", "text_field"]

_REQUIRED_META = ("source", "frame", "sequence")


def text_field(values, n: int, field: str, *, required: bool = False) -> np.ndarray:
    """Return ``values`` as text; NaN / None (not the text 'nan' / 'None') is '' or refused.

    Bytes (h5py's text) are decoded as UTF-8 (a ValueError names the row where they are
    not): ``str`` would decode them as ASCII, or write ``"b'S1'"`` from an object array.
    They are decoded first: NumPy, building an array of a list that mixes them with
    ``str`` (``np.ndim`` does), decodes them as ASCII and fails naming no field.
    """
    values = _decoded(values, field)
    missing = missing_mask(values) if np.ndim(values) == 1 else None
    if missing is not None and missing.any():
        if required:
            raise ValueError(f"{field}: {int(missing.sum())} value(s) are NaN or None, the "
                             f"first at row {int(np.flatnonzero(missing)[0])}; give every "
                             "image one")
        values = np.where(missing, "", np.asarray(values, dtype=object))
    arr = np.asarray(values, dtype=str)
    if arr.shape != (n,):
        raise ValueError(f"{field}: expected {n} values (one per image), got shape {arr.shape}")
    return arr


def _decoded(values, field: str):
    """Return ``values`` with any bytes items decoded as UTF-8 (as given when there are none).

    A list or tuple is read item by item, never through NumPy (see :func:`text_field`).
    """
    listed = isinstance(values, list | tuple)
    if not listed and np.ndim(values) != 1:
        return values  # refused by the caller's shape check
    items = list(values) if listed else np.asarray(values, dtype=object).tolist()
    if not any(isinstance(v, bytes) for v in items):
        return values
    for row, value in enumerate(items):
        if isinstance(value, bytes):
            try:
                items[row] = value.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(f"{field}: row {row}'s value {value!r} is bytes that are not "
                                 f"UTF-8 text ({exc.reason} at byte {exc.start}); decode the "
                                 "values to text first (e.g. np.char.decode(values, 'latin-1') "
                                 "for Latin-1 bytes)") from None
    return items if listed else np.array(items, dtype=object)


def au_value_ok(value: float) -> bool:
    """Whether a coded AU value is one aufeat reads: 0/1 occurrence or an intensity 0-5.

    The one rule of ``FaceDataset``, the manifest reader (``load_manifest``) and
    the writer: NaN, infinities and codes such as 9 or -1 (some files' "unknown")
    are not; "not coded" is NaN (an empty manifest cell).
    """
    return bool(0 <= value <= 5)


def au_value_problem(au: str, text: str) -> str:
    """Say why ``au``'s value ``text`` is not an AU value (see :func:`au_value_ok`)."""
    return f"{au} value {text!r} is not 0/1 or an intensity 0-5"


def check_aus(aus, au_names, n: int):
    """Return ``(aus as float64, au_names as a tuple)``, or ``(None, ())``.

    ``au_names`` may be any sequence (a list, an array, ``DataFrame.columns``);
    left out with a DataFrame ``aus``, its column names are taken when they are all
    text (a frame read with ``header=None`` has columns 0, 1, ...: a ValueError asks
    for ``au_names``). A name given
    twice is refused (ValueError), as a count that is not one per column, and a
    value that is neither NaN ("not coded") nor in 0-5 (:func:`au_value_ok`: 9 or
    -1 for "not coded", which would count as present or absent). None, NaN and
    ``pandas.NA`` (nullable ``Int64`` / ``Float64`` columns) are "not coded", as
    ``emotion=`` reads them.
    """
    if aus is None:
        return None, ()
    if au_names is None and hasattr(aus, "columns"):  # a DataFrame names its columns
        if not all(isinstance(c, str) for c in aus.columns):
            raise ValueError(f"aus: the DataFrame's columns {list(aus.columns)[:5]} are not "
                             "text names of AUs (read with header=None?); pass "
                             "au_names=['AU1', ...], one per column")
        au_names = aus.columns
    aus = _au_numbers(aus)
    if aus.ndim != 2 or aus.shape[0] != n:
        raise ValueError(f"aus: expected shape ({n}, K), got {aus.shape}")
    names = tuple(str(a) for a in (() if au_names is None else au_names))
    if len(names) != aus.shape[1]:
        raise ValueError(f"au_names: expected {aus.shape[1]} names for the aus columns, "
                         f"got {len(names)}")
    bad = ~np.isnan(aus) & ~((aus >= 0) & (aus <= 5))  # as au_value_ok, for the whole array
    if bad.any():
        row, col = np.argwhere(bad)[0]
        more = f" (and {int(bad.sum()) - 1} more)" if bad.sum() > 1 else ""
        raise ValueError(f"aus: {au_value_problem(names[col], f'{aus[row, col]:.10g}')} in "
                         f"row {row}{more}: set values that stand for 'not coded' (9, -1) to "
                         "NaN, or put them on the 0-5 scale")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:  # results are keyed by AU name: one of the columns would vanish from them
        raise ValueError(f"au_names: {', '.join(repeated)} named more than once in "
                         f"{list(names)}; give each aus column its own name")
    return aus, names


def _au_numbers(aus) -> np.ndarray:
    """Return AU codes as float64, None / NaN / ``pandas.NA`` (nullable columns) as NaN.

    A cell that is not a number otherwise (text) is a ValueError naming it.
    """
    try:
        return np.asarray(aus, dtype=np.float64)
    except (TypeError, ValueError):  # pd.NA of an Int64 / Float64 column, or text
        cells = np.asarray(aus, dtype=object)
    cells = np.where(missing_mask(cells), np.nan, cells)
    try:
        return cells.astype(np.float64)
    except (TypeError, ValueError):
        pass
    for index, value in np.ndenumerate(cells):
        try:
            float(value)
        except (TypeError, ValueError):
            raise ValueError(f"aus: {value!r} at {index} is not a number; AU codes are 0/1 or "
                             "intensities 0-5, and NaN, None or pd.NA for 'not coded'") from None
    raise ValueError("aus: expected numbers (AU codes), one row per image")


def check_meta(meta, n: int, name: str, subject) -> dict[str, np.ndarray]:
    """Return ``meta`` as arrays of length ``n``, with source, frame and sequence filled in.

    A key naming one of these in another case (a manifest's ``Frame`` column) is
    that field: kept under its own name and under the field's (``'frame'``), one
    array. Two keys naming one field with different values (``'Frame'`` and
    ``'frame'``) are a ValueError; NaN or None in the same rows of both are the
    same value (a still image's empty frame cell).
    """
    out, given = {}, {}
    for key, values in (meta or {}).items():
        arr = np.asarray(values)
        if arr.ndim == 0 or arr.shape[0] != n:
            raise ValueError(f"meta[{key!r}]: expected first axis of length {n}, got "
                             f"shape {arr.shape}")
        key = str(key)
        field = key.lower() if key.lower() in _REQUIRED_META else key
        if field in given and not _same_values(out[field], arr):
            raise ValueError(f"meta: {given[field]!r} and {key!r} both name the {field!r} "
                             "field; keep one of them")
        given.setdefault(field, key)
        out[key] = arr
        out.setdefault(field, arr)  # 'Frame' is also meta['frame'], which aufeat reads
    defaults = {"source": np.full(n, name), "frame": np.zeros(n, np.int64),
                "sequence": np.array(subject, copy=True)}
    for key in _REQUIRED_META:
        out.setdefault(key, defaults[key])
    return out


def check_size(size) -> tuple[int, int] | None:
    """Return ``load_images``' ``size`` as ``(height, width)``, or None when not given.

    A positive whole number (``48``, ``48.0``) or a pair of them; anything else
    (``0``, ``4.7``, ``(8, 0)``, ``'48'``, ``True``) is a ValueError naming it.
    """
    if size is None:
        return None
    if isinstance(size, np.ndarray) and size.ndim == 0:  # np.array(48), np.load of a number
        size = size.item()
    values = [size] if np.ndim(size) == 0 else list(np.asarray(size, dtype=object))
    whole = [isinstance(v, numbers.Integral) or (isinstance(v, numbers.Real)
                                                 and float(v).is_integer()) for v in values]
    if (len(values) != (1 if np.ndim(size) == 0 else 2) or not all(whole) or np.ndim(size) > 1
            or any(isinstance(v, (bool, np.bool_)) or v < 1 for v in values)):
        raise ValueError(f"size: expected a positive whole number (48) or a pair of them "
                         f"(height, width), got {size!r}")
    return (int(values[0]),) * 2 if np.ndim(size) == 0 else (int(values[0]), int(values[1]))


def _same_values(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two meta arrays hold the same values, NaN / None in the same places included."""
    if a.shape != b.shape:
        return False
    gap = missing_mask(a)
    return bool(np.array_equal(gap, missing_mask(b)) and np.array_equal(a[~gap], b[~gap]))


def field_aliases(meta) -> dict[str, str]:
    """Return ``{field: key}`` for the source/frame/sequence fields named in another case.

    Such a key (``'Frame'``) holds the field's values (see :func:`check_meta`):
    written once, under the key's name.
    """
    return {key.lower(): key for key in meta
            if key.lower() in _REQUIRED_META and key != key.lower()}
