r"""CSV rows that end with ``\n``, as pandas and OpenFace write them on Linux and macOS.

Python's ``csv`` module ends rows with ``\r\n`` (RFC 4180), which shell tools keep in
the last field (``awk -F, '$NF == 1'`` matched no row of an ``aufeat predict`` CSV).
Written with ``lineterminator='\n'``, ``csv`` would no longer quote a field holding
``\r`` (it quotes only its terminator's characters), and a reader would split a file
named ``a\rb.png`` across two rows. So rows are written with ``\r\n``, which quotes
such a field, and each row's ending is made ``\n`` on its way out. Every CSV aufeat
writes (predictions, landmarks, rows, results, manifests) goes through
:func:`csv_writer`, to a file or to standard output alike.
"""

from __future__ import annotations

import csv

__all__ = ["csv_writer", "dict_writer"]


class _LineFeed:
    r"""A stream's ``write`` for ``csv``: each row's ``\r\n`` made ``\n`` (one row per call)."""

    def __init__(self, stream):
        self._write = stream.write

    def write(self, row: str):
        return self._write(row[:-2] + "\n" if row.endswith("\r\n") else row)


def csv_writer(stream):
    r"""Return a ``csv.writer`` on text ``stream`` whose rows end with ``\n``.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO(newline="")
    >>> csv_writer(out).writerows([["file", "AU12_c"], ["a\rb.png", 1]])
    >>> out.getvalue()
    'file,AU12_c\n"a\rb.png",1\n'
    """
    return csv.writer(_LineFeed(stream))


def dict_writer(stream, fieldnames):
    r"""Return a ``csv.DictWriter`` on text ``stream`` whose rows end with ``\n``."""
    return csv.DictWriter(_LineFeed(stream), fieldnames=fieldnames)
