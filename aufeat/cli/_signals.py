"""SIGTERM ends a command as Ctrl-C does: worker processes stopped, files whole.

``timeout``, batch schedulers (Slurm, PBS) and ``docker stop`` send SIGTERM. Its
default action kills the main process alone: loky's workers went on computing
and held the caller's output pipes open for minutes. Raised as a
:class:`Terminated` (a ``KeyboardInterrupt``), it takes Ctrl-C's clean-up path.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading

__all__ = ["STOP_STATUSES", "Terminated", "interrupt_of", "raise_kept_stop", "stopped",
           "stops_deferred", "stops_in_callbacks_kept", "terminate_as_interrupt"]

#: The exit statuses :func:`stopped` gives: Ctrl-C (130), SIGTERM (143).
STOP_STATUSES = (130, 143)

# stops that a C library's callback into Python swallowed, kept by stops_in_callbacks_kept
_KEPT: list[KeyboardInterrupt] = []


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C raises ``KeyboardInterrupt`` so the same clean-up runs."""


def interrupt_of(error: BaseException) -> KeyboardInterrupt:
    """Return the stop ``error`` is or was caused by; re-raise any other error.

    A Ctrl-C during a compiled module's import (dlib, numpy) comes as
    ``ImportError: initialization failed``, caused by it. Call this in an
    ``except (KeyboardInterrupt, ImportError)`` clause.
    """
    if isinstance(error, KeyboardInterrupt):
        return error
    if isinstance(error.__cause__, KeyboardInterrupt):
        return error.__cause__
    raise error


def stopped(stop: KeyboardInterrupt) -> tuple[str, int]:
    """Return how a run was stopped, for its one-line message, and its exit status."""
    return ("terminated (SIGTERM)", 143) if isinstance(stop, Terminated) else ("interrupted", 130)


def _raise_terminated(signum, frame):
    raise Terminated


@contextlib.contextmanager
def terminate_as_interrupt():
    """Within the block, SIGTERM raises :class:`Terminated` (the main thread only).

    Only where SIGTERM has its default action (killing the process): a program
    that calls a command's ``main()`` with a SIGTERM handler of its own keeps it.
    The default is put back on the way out.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL):
        yield  # signal handlers are set from the main thread; a program's own is left alone
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def stops_deferred():
    """Hold Ctrl-C (SIGINT) and SIGTERM until the block ends, then act on them.

    For steps that must not be split: ``aufeat train`` renames its sidecar and its model
    into place within one, so that a stop leaves the old pair or the new one. A signal
    that arrives in the block is recorded; on the way out the previous handlers are put
    back and it is sent again, to be handled as it would have been (``KeyboardInterrupt``,
    :class:`Terminated`, or the default action). Only in the main thread, where Python
    runs signal handlers; a handler not set from Python is left alone.
    """
    signals = [signum for signum in (signal.SIGINT, signal.SIGTERM)
               if signal.getsignal(signum) is not None]
    if threading.current_thread() is not threading.main_thread():
        signals = []
    caught: list[int] = []
    previous = {signum: signal.signal(signum, lambda signum, frame: caught.append(signum))
                for signum in signals}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(caught):  # each once, in the order they came
            signal.raise_signal(signum)


@contextlib.contextmanager
def stops_in_callbacks_kept():
    """Keep a Ctrl-C (or SIGTERM) that a C library's callback swallowed, to act on it.

    A ``KeyboardInterrupt`` raised while C code has called back into Python cannot
    reach the caller: ctypes prints it (``Exception ignored on calling ctypes callback
    function``, a traceback) and the C code goes on without the callback's work. Numba
    compiling a kernel (a first run, on a cold cache: its first 20 s or so) calls such
    hooks: the run then went on as if never stopped, or failed later with a
    ``RuntimeError`` that ``aufeat predict`` blamed on the model file. Within the block
    such a stop prints nothing and is kept; :func:`raise_kept_stop` raises it, and an
    exception out of the block gives way to it (a failure the lost stop caused).
    """
    _KEPT.clear()
    previous = sys.unraisablehook

    def keep(unraisable) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            _KEPT.append(unraisable.exc_value)
        else:
            previous(unraisable)

    sys.unraisablehook = keep
    try:
        yield
    except Exception:
        raise_kept_stop()
        raise
    finally:
        sys.unraisablehook = previous


def raise_kept_stop() -> None:
    """Raise the stop :func:`stops_in_callbacks_kept` kept, if any (once); else nothing."""
    if _KEPT:
        stop = _KEPT.pop(0)
        _KEPT.clear()
        raise stop
