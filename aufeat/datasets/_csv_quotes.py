"""Whether a CSV that strict reading refuses differs from strict CSV only by blanks after quotes.

The manifest and FER2013 readers read CSV strictly, so that a quote that opens a field and
never closes is an error, not a field that swallows every row after it. Strict reading also
refuses blanks between a closing quote and the comma or line end (``"a.png" ,"s1"``, as
hand-aligned files hold), which were read before (the cells are stripped):
:func:`blanks_after_quotes_only` tells such a file from one with an unclosed quote or text
after a closing one (``"a"b``), so that it can be read leniently.
"""

from __future__ import annotations

import re

__all__ = ["blanks_after_quotes_only", "rows_in_cell"]

_SPECIAL = re.compile(r'[",\r\n]')  # csv ends a record at \r too (classic Mac files)


def blanks_after_quotes_only(text: str) -> bool:
    r"""Return whether ``text`` is strict CSV but for blanks after closing quotes.

    Scanned as Python's ``csv`` module reads it (comma, ``"`` doubled inside quotes): False
    where a quoted field is still open at the end, or a closing quote is followed by
    anything but blanks (spaces, tabs) before the next comma or line end (``\n``, ``\r``).

    >>> blanks_after_quotes_only('path,subject\n"a.png" ,"s1"  \n')
    True
    >>> blanks_after_quotes_only('path,subject\n"a.png"x,s1\n')
    False
    >>> blanks_after_quotes_only('path,note\na.png,"5 feet\nb.png,x\n')
    False
    """
    state, last = "start", -1  # start of a field, in a plain field, quoted, after a quote
    for match in _SPECIAL.finditer(text):
        i, char = match.start(), match.group()
        between, last = text[last + 1:i], i
        if state == "quoted":
            state = "closed" if char == '"' else "quoted"
            continue
        if state == "closed":
            if between.strip(" \t"):
                return False  # text after a closing quote: '"a"b'
            if char == '"':
                if between:
                    return False  # '"a" "'
                state = "quoted"  # '""': a quote inside the quoted field
                continue
        elif state == "start" and between:
            state = "field"
        # a comma or a line end starts a field; a quote in a plain field is text
        state = ("quoted" if state == "start" else "field") if char == '"' else "start"
    if state == "closed" and text[last + 1:].strip(" \t"):
        return False
    return state != "quoted"


def rows_in_cell(cell: str, n_columns: int) -> int:
    r"""Return how many lines after a ``cell``'s first look like CSV rows of ``n_columns``.

    A quote that opens a cell and closes lines later (``"approx`` ... ``5'11"``) is valid
    CSV: the rows between are read as text of that cell. A line holding as many commas as
    a row has separators is one of them, most likely.

    >>> rows_in_cell('approx\nb.png,s2,x\nc.png,s3', 3)
    1
    >>> rows_in_cell('two lines\nof text, a note', 3)
    0
    """
    lines = re.split(r"\r\n|\r|\n", cell)[1:]
    return sum(line.count(",") >= n_columns - 1 for line in lines) if n_columns > 1 else 0
