"""Standard output and error whose reader has gone: no error for ``aufeat`` and ``aufeat-bench``.

A command piped into a reader that stops early (``aufeat extract ... | head``,
``aufeat-bench run ... 2>&1 | head``) loses nothing: once the reader has gone,
printing to that stream stops, the command goes on (``aufeat extract --out-dir``,
``aufeat-bench run --out`` and ``speed --json`` still write their files) and exits
with its own status, 0 when it succeeded, without a traceback or an error line.
Before, the first ``print`` (or progress bar) after the reader left raised
``BrokenPipeError``, which ended the command, or was taken for a disk error,
before its files were written.

A stream that was never open (the shell's ``>&-``, ``pythonw``: Python's
``sys.stdout`` is None) is left as it is: ``print`` writes nothing to it.

``aufeat predict --out -``, whose rows are its standard output, is the exception:
it stops once the reader has gone (``aufeat.cli.predict``; its standard error
is guarded as above).
"""

from __future__ import annotations

import contextlib
import os
import sys

__all__ = ["closed_output_ignored"]


class _ReaderMayLeave:
    """A stream that, once its reader has gone (``BrokenPipeError``), writes nowhere.

    The pipe's descriptor is pointed at ``os.devnull``, so that later writes, and
    the interpreter's flush at exit, find no closed pipe either.
    """

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        """Write ``text``; a closed pipe turns this and every later write into a no-op."""
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._to_devnull()
            return len(text)

    def flush(self):
        """Flush; a closed pipe is not an error."""
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._to_devnull()

    def _to_devnull(self):
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:  # a stream without a descriptor (io.StringIO) keeps failing, each write caught
            with contextlib.suppress(OSError, ValueError):
                os.dup2(devnull, self._stream.fileno())
        finally:
            os.close(devnull)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _guarded(stream):
    """Return ``stream`` wrapped in :class:`_ReaderMayLeave`; None (never open) as it is."""
    return stream if stream is None else _ReaderMayLeave(stream)


@contextlib.contextmanager
def closed_output_ignored(stdout: bool = True):
    """Within the block, standard output and error closed by their reader stop printing.

    Progress bars (tqdm) and warnings write to ``sys.stderr`` as it is when they
    start, so the block encloses the whole command. A stream that is None (never
    open) is not wrapped. ``stdout=False``: standard output is left as it is, for
    a command whose output it is (it stops on ``BrokenPipeError``). Both streams
    are put back on the way out.
    """
    real = sys.stdout, sys.stderr
    if stdout:
        sys.stdout = _guarded(sys.stdout)
    sys.stderr = _guarded(sys.stderr)
    try:
        yield
        for stream in (sys.stdout, sys.stderr):  # what is still buffered: here, not at exit
            if stream is not None:
                stream.flush()
    finally:
        sys.stdout, sys.stderr = real
