"""Standard output and error whose reader has gone: no error for ``aufeat`` and ``aufeat-bench``.

A command piped into a reader that stops early (``aufeat extract ... | head``,
``aufeat-bench run ... 2>&1 | head``) loses nothing: once the reader has gone,
printing to that stream stops, the command goes on (``aufeat extract --out-dir``,
``aufeat-bench run --out`` and ``speed --json`` still write their files) and exits
with its own status, 0 when it succeeded, without a traceback or an error line.
Before, the first ``print`` (or progress bar) after the reader left raised
``BrokenPipeError``, which ended the command, or was taken for a disk error,
before its files were written.

A stream whose writes fail otherwise (``> extract.log`` on a full disk: ``ENOSPC``,
``EIO``) is treated the same way, printing stops and the command goes on and
writes its files, but it is an error: at the end one line says which stream failed
and why (on standard error, when that one still works), and ``aufeat`` exits
nonzero (1 where the command itself succeeded).

A stream that was never open (the shell's ``>&-``, ``pythonw``: Python's
``sys.stdout`` is None) writes nowhere: within the command it is replaced by a
stream that keeps nothing and takes no descriptor (``/dev/stdout`` stays closed).
Left as None, ``print(..., file=sys.stderr)`` would write to standard output (into
``aufeat predict --out -``'s rows) and progress bars would fail.

``aufeat predict --out -``, whose rows are its standard output, is the exception:
it stops once the reader has gone (``aufeat.cli.predict``; its standard error
is guarded as above).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys

__all__ = ["closed_output_ignored", "failed_output_message"]


class _ReaderMayLeave:
    """A stream that, once its reader has gone (``BrokenPipeError``), writes nowhere.

    The pipe's descriptor is pointed at ``os.devnull``, so that later writes, and
    the interpreter's flush at exit, find no closed pipe either. Any other failed
    write (a full disk) does the same, and is noted in ``failed`` under ``name``.
    """

    def __init__(self, stream, name: str = "", failed: dict | None = None):
        self._stream, self._name = stream, name
        self._failed = {} if failed is None else failed

    def write(self, text):
        """Write ``text``; a closed pipe turns this and every later write into a no-op."""
        try:
            return self._stream.write(text)
        except OSError as err:
            self._stop(err)
            return len(text)

    def flush(self):
        """Flush; a closed pipe is not an error."""
        try:
            self._stream.flush()
        except OSError as err:
            self._stop(err)

    def _stop(self, err: OSError) -> None:
        """Write nowhere from now on; note ``err`` unless the reader has only gone."""
        if not isinstance(err, BrokenPipeError):
            self._failed.setdefault(self._name, err)
        self._to_devnull()

    def _to_devnull(self):
        # a stream without a descriptor (io.StringIO) keeps failing, each write caught
        with contextlib.suppress(OSError, ValueError):
            _devnull_onto(self._stream.fileno())

    def __getattr__(self, name):
        return getattr(self._stream, name)


class _Nowhere(io.TextIOBase):
    """A text stream that takes every write and keeps nothing, holding no descriptor.

    An ``os.devnull`` file opened in place of a never-open standard output would take
    its descriptor, 1: an output named ``/dev/stdout`` would then go into it unrefused.
    """

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)


def _plug(fd: int) -> bool:
    """Point a closed descriptor ``fd`` (1 or 2) at ``os.devnull``; whether it was closed.

    Left free, the next file opened would take it: FFmpeg's warnings about a damaged
    video, written to descriptor 2, went into ``aufeat predict``'s CSV. Outputs naming
    it are still refused as closed (:data:`aufeat._streams.PLUGGED`).
    """
    from .._streams import PLUGGED

    try:
        os.fstat(fd)
        return False
    except OSError:
        pass
    _devnull_onto(fd)
    PLUGGED.add(fd)
    return True


def _devnull_onto(fd: int) -> None:
    """Point descriptor ``fd`` at ``os.devnull`` (a closed, lowest free ``fd``: opened on it)."""
    null = os.open(os.devnull, os.O_WRONLY)
    if null != fd:
        try:
            os.dup2(null, fd)
        finally:
            os.close(null)


def _unplug(plugged: list) -> None:
    """Close the descriptors :func:`_plug` pointed at ``os.devnull`` again."""
    from .._streams import PLUGGED

    for fd in plugged:
        PLUGGED.discard(fd)
        with contextlib.suppress(OSError):
            os.close(fd)


def _guarded(stream, name: str, failed: dict):
    """Return ``stream`` wrapped in :class:`_ReaderMayLeave`; for None (never open), nowhere."""
    if stream is None:
        return _Nowhere()
    return _ReaderMayLeave(stream, name, failed)


def failed_output_message(prog: str, failed: dict) -> str:
    """One line naming the console streams whose writes failed, and why.

    Examples
    --------
    >>> import errno
    >>> failed_output_message("aufeat extract", {
    ...     "standard output": OSError(errno.ENOSPC, "No space left on device")})
    ... # doctest: +NORMALIZE_WHITESPACE
    'aufeat extract: error: could not write to standard output ([Errno 28] No space left on
    device); what was printed from then on is lost, the command went on without it'
    """
    what = "; ".join(f"{name} ({err})" for name, err in failed.items())
    return (f"{prog}: error: could not write to {what}; what was printed from then on is "
            "lost, the command went on without it")


@contextlib.contextmanager
def closed_output_ignored(stdout: bool = True, prog: str | None = None):
    """Within the block, standard output and error closed by their reader stop printing.

    Progress bars (tqdm) and warnings write to ``sys.stderr`` as it is when they
    start, so the block encloses the whole command. A stream that is None (never
    open) is replaced by one that keeps nothing, and its closed descriptor holds
    ``os.devnull`` for native code (:func:`_plug`). ``stdout=False``: standard output is left
    as it is, for a command whose output it is (it stops on ``BrokenPipeError``;
    None, its rows would be lost: the command refuses to run). Both streams are
    put back on the way out.

    Yields a dict, filled with ``{stream name: OSError}`` when writes to a stream
    failed otherwise (a full disk); then one line (:func:`failed_output_message`,
    named ``prog``, by default the program run: ``aufeat-bench``) is printed on the
    real standard error at the end of the block, and the caller should exit nonzero.
    """
    real, failed = (sys.stdout, sys.stderr), {}
    plugged = [fd for fd, stream in ((1, sys.stdout), (2, sys.stderr))
               if stream is None and _plug(fd)]
    if stdout:
        sys.stdout = _guarded(sys.stdout, "standard output", failed)
    sys.stderr = _guarded(sys.stderr, "standard error", failed)
    try:
        yield failed
        for stream in (sys.stdout, sys.stderr):  # what is still buffered: here, not at exit
            if stream is not None:
                stream.flush()
    finally:
        sys.stdout, sys.stderr = real
        _unplug(plugged)
        if failed and sys.stderr is not None:
            with contextlib.suppress(OSError, ValueError):  # standard error is the one failing
                print(failed_output_message(prog or _program(), failed), file=sys.stderr,
                      flush=True)


def _program() -> str:
    """Return the name of the ``aufeat`` program running (``aufeat-bench``), else ``aufeat``."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return name if name.startswith("aufeat") else "aufeat"
