"""Exceptions raised by the data set loaders.

Each message starts with the offending file (and line, where there is one),
says what was wrong and what to do.
"""

from __future__ import annotations

import os

__all__ = ["DatasetError", "DatasetNotFoundError"]


def _where(path, line) -> str:
    if path is None:
        return ""
    return f"{os.fspath(path)}:{line}: " if line is not None else f"{os.fspath(path)}: "


class DatasetError(ValueError):
    """A data set file has bad content (wrong columns, codes, pixel counts, duplicates).

    Parameters
    ----------
    message : str
        What was wrong and what to do.
    path : path-like, optional
        The offending file.
    line : int, optional
        1-based line number in ``path`` (the header is line 1 of a CSV).

    Examples
    --------
    >>> str(DatasetError("unknown emotion code 9", path="fer2013.csv", line=3))
    'fer2013.csv:3: unknown emotion code 9'
    """

    def __init__(self, message: str, *, path=None, line: int | None = None):
        self.path = None if path is None else os.fspath(path)
        self.line = line
        super().__init__(_where(path, line) + message)


class DatasetNotFoundError(FileNotFoundError):
    """A data set folder or file that a layout needs does not exist.

    Examples
    --------
    >>> str(DatasetNotFoundError("no such folder", path="/data/ck+"))
    '/data/ck+: no such folder'
    """

    def __init__(self, message: str, *, path=None, line: int | None = None):
        self.path = None if path is None else os.fspath(path)
        self.line = line
        super().__init__(_where(path, line) + message)
