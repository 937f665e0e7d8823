"""The manifest header's required columns, checked before any row is read."""

from __future__ import annotations

from .errors import DatasetError

__all__ = ["require_columns"]


def require_columns(header: list[str], csv_path) -> None:
    """Refuse a header without ``path`` or ``subject`` (any case), naming what it holds.

    Checked before the rows: a file saved ';'- or tab-separated reads as one column, and
    a row whose file name holds a comma would otherwise be refused for its length first
    ("expected 1 fields"), hiding the cause; so the message says that the file looks
    so separated when the one header cell holds a ';' or a tab.
    """
    names = {h.lower() for h in header}
    for required in ("path", "subject"):
        if required not in names:
            raise DatasetError(f"the header has no {required!r} column (got {header}); a "
                               f"manifest needs at least 'path' and 'subject'{_hint(header)}",
                               path=csv_path, line=1)


def _hint(header: list[str]) -> str:
    """Say that a one-cell header holding ';' or a tab looks so separated, else ''.

    Excel's separator line (``sep=,``, read as the cells ``sep=`` and ``''``) is named too.
    """
    if header and header[0].strip().lower().startswith("sep="):
        return "; the first line is a spreadsheet's separator line (sep=...): delete it"
    if len(header) != 1:
        return ""
    semicolons, tabs = header[0].count(";"), header[0].count("\t")
    if not semicolons and not tabs:
        return ""
    separator = "';'" if semicolons >= tabs else "tab"
    return (f"; the file looks {separator}-separated (as some spreadsheets save CSV): save "
            "it comma-separated (e.g. 'CSV UTF-8 (Comma delimited)')")
