"""The lines of a label map: ``RAW=LABEL`` pairs, or ``RAW,LABEL`` rows of a spreadsheet.

A label-map file is often a sheet saved as CSV (``,``, or ``;`` in many locales), with
empty columns beside the pair, quotes, notes. :func:`file_pair` reads one line so that
no cell but LABEL can become part of a label: a line it cannot read as one pair is
refused, naming the file and line, rather than giving a class of its own.
"""

from __future__ import annotations

__all__ = ["file_pair", "split_pair"]


def file_pair(text: str, source: str, line: int) -> tuple[str, str] | None:
    """Return ``(raw, label)`` of a label-map file's line, or None for a blank or comment line.

    A comment is removed first (:func:`_strip_comment`). A ``RAW=LABEL`` line is split at
    its first ``=`` outside quotes: RAW is what comes before it (a comma in it kept:
    ``smile, open=happiness``), LABEL the first CSV cell after it, and any later cell must
    be empty (a spreadsheet's empty columns: ``hapy=happiness,,``), else the line is
    refused (``hapy=happiness,sad``: a note column is no part of the label). A line
    without such an ``=`` is read as CSV cells, ``RAW,LABEL`` (or ``RAW;LABEL``; one
    separator a line, or quotes around a cell holding the other), or one quoted
    ``"RAW=LABEL"`` cell. Cells lose their quotes and the blanks around them.
    """
    text = _strip_comment(text)
    if not text:
        return None
    where = f"{source}:{line}"
    if (eq := _outside_quotes(text, "=")) is not None:
        raw, cells = _unquote(text[:eq]), _cells(text[eq + 1:], where)
        return raw, _one_label(cells, text, where)
    cells = _cells(text, where)
    if not cells:  # ',,': a spreadsheet's empty row
        return None
    if len(cells) == 1 and "=" in cells[0]:  # one quoted "RAW=LABEL" cell
        raw, _, rest = cells[0].partition("=")
        return _unquote(raw), _one_label([_unquote(rest)], text, where)
    if len(cells) == 1 and not any(_outside_quotes(text, sep) is not None for sep in ",;"):
        split_pair(text, source, line)  # no separator: refused as no pair
    if any("=" in cell for cell in cells):  # '"AU6=1",happiness': both forms at once
        raise ValueError(f"{where}: {text!r} holds a quoted '=' beside another cell; write "
                         "RAW,LABEL or RAW=LABEL, one pair a line")
    if len(cells) > 2:
        raise ValueError(f"{where}: {text!r} holds {len(cells)} cells; write one RAW,LABEL "
                         "(or RAW=LABEL) pair a line")
    return cells[0], cells[1] if len(cells) == 2 else ""


def _one_label(cells: list, text: str, where: str) -> str:
    """Return the LABEL of a ``RAW=LABEL`` line: its one cell (another ``=`` or cell: refused)."""
    if any("=" in cell for cell in cells):  # two pairs glued (by a space, a comma, a ";")
        raise ValueError(f"{where}: {text!r} holds {text.count('=')} '='; write one "
                         "RAW=LABEL pair a line")
    if len(cells) > 1:
        raise ValueError(f"{where}: {text!r} holds cells beside its RAW=LABEL pair "
                         f"({', '.join(map(repr, cells[1:]))}); write one pair a line, and "
                         "quote a LABEL holding a comma (smile=\"happy, open\")")
    return cells[0] if cells else ""


def _cells(text: str, where: str) -> list:
    """Return the CSV cells of ``text``, unquoted, the empty ones at the end dropped.

    Separated by ``,`` or by ``;`` (whichever the text holds outside quotes); a text
    holding both is refused: a ``;`` sheet does not quote its commas, so either could
    be the separator.
    """
    import csv

    found = [sep for sep in ",;" if _outside_quotes(text, sep) is not None]
    if len(found) > 1:
        raise ValueError(f"{where}: {text!r} holds both ',' and ';'; separate RAW and LABEL "
                         "with one of them, and quote a cell that holds the other")
    cells = [_unquote(cell) for cell in next(csv.reader(
        [text], delimiter=found[0] if found else ",", skipinitialspace=True))]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _outside_quotes(text: str, char: str) -> int | None:
    """Return where ``char`` first stands outside double quotes in ``text``, else None."""
    quoted = False
    for i, c in enumerate(text):
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            return i
    return None


def _strip_comment(text: str) -> str:
    """Return a label-map file's line without its comment.

    A comment is a ``#`` outside double quotes, at the start of the line or
    after a space or tab, with a whole pair (or nothing) before it: so
    ``hapy=happiness  # typo`` (or ``hapy;happiness  # typo``) loses ``# typo``,
    while ``"smile #2",happiness``, ``smile,"happy #2"``, ``smile #2=happiness`` and
    ``smile;big #2=happiness`` keep their ``#``.
    """
    quoted = False
    for i, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == "#" and not quoted and (i == 0 or text[i - 1].isspace()):
            head = text[:i].strip()
            # after 'RAW;LABEL', unless an '=' follows: 'smile;big #2=happiness' is a RAW
            semicolon = ";" in head and "=" not in text[i:]
            if not head or "=" in head or "," in head or semicolon:
                return head
    return text.strip()


def _unquote(cell: str) -> str:
    """``cell`` stripped, without the double quotes around it (as csv.reader reads a cell)."""
    cell = cell.strip()
    if len(cell) >= 2 and cell[0] == cell[-1] == '"':
        return cell[1:-1].replace('""', '"')
    return cell


def split_pair(text: str, source: str, line) -> tuple[str, str]:
    """Split one ``RAW=LABEL`` pair (``RAW,LABEL`` on a file's line): ``(raw, label)``."""
    sep = "=" if "=" in text else ("," if "," in text and line else None)
    if sep is None:
        where = f"{source}:{line}" if line else source
        from .._paths_os import tilde_hint

        tilde = tilde_hint(text.strip())
        raise ValueError(f"{where}: {text.strip()!r} is not a file nor a RAW=LABEL pair "
                         f"(e.g. hapy=happiness){f'; {tilde}' if tilde else ''}")
    raw, _, label = text.partition(sep)
    if "=" in label:  # 'HA=positive SU=positive': two pairs glued, not one odd label
        where = f"{source}:{line}" if line else source
        raise ValueError(f"{where}: {text.strip()!r} holds {text.count('=')} '='; separate "
                         "RAW=LABEL pairs with ',' or write one per line of a file")
    return raw, label
