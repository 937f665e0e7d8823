"""Text of file names for people to read: bytes that are not UTF-8 shown as hex."""

from __future__ import annotations

import codecs
import contextlib
import sys

__all__ = ["printable", "printable_output"]


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


_ERRORS = "aufeat.printable"


def _printable_errors(error):
    """Codec error handler: what an output stream cannot encode, written as :func:`printable`."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = printable(error.object[error.start:error.end])
    try:
        text.encode(error.encoding)
    except (UnicodeEncodeError, LookupError):  # a character the stream's encoding lacks
        text = text.encode("ascii", "backslashreplace").decode("ascii")
    return text, error.end


codecs.register_error(_ERRORS, _printable_errors)


@contextlib.contextmanager
def printable_output():
    r"""Within the block, standard output and error write names by the :func:`printable` rule.

    A data set or file named in Latin-1 reaches ``print`` as surrogate escapes,
    which a UTF-8 terminal's strict stream refuses (``UnicodeEncodeError`` at the
    first line naming it): they are written in hex (``gesichter_\xfc``), as in
    the files a command writes. The streams' error handling is put back after.
    """
    streams = [s for s in (sys.stdout, sys.stderr) if hasattr(s, "reconfigure")]
    before = [(s, s.errors) for s in streams]
    for stream in streams:
        stream.reconfigure(errors=_ERRORS)
    try:
        yield
    finally:
        for stream, errors in before:
            with contextlib.suppress(ValueError):  # a stream closed meanwhile
                stream.reconfigure(errors=errors)
