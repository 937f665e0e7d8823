"""Text of file names for people to read: bytes that are not UTF-8 shown as hex."""

from __future__ import annotations

__all__ = ["printable"]


def printable(text) -> str:
    r"""Return ``str(text)`` with bytes that are not UTF-8 (surrogate escapes) written as hex.

    A file or folder named in Latin-1 (``\xdcberrascht``) is read by Python as
    surrogate escapes, which UTF-8 files, CSV writers and matplotlib refuse.

    Examples
    --------
    >>> printable(b"\xdcberrascht".decode("utf-8", "surrogateescape"))
    '\\xdcberrascht'
    >>> printable("Überrascht")
    'Überrascht'
    """
    text = str(text)
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file name decoded into
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
