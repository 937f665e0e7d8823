"""SIGTERM ends a command as Ctrl-C does: worker processes stopped, files whole.

``timeout``, batch schedulers (Slurm, PBS) and ``docker stop`` send SIGTERM. Its
default action kills the main process alone: loky's workers went on computing
and held the caller's output pipes open for minutes. Raised as a
:class:`Terminated` (a ``KeyboardInterrupt``), it takes Ctrl-C's clean-up path.
"""

from __future__ import annotations

import contextlib
import signal
import threading

__all__ = ["Terminated", "terminate_as_interrupt"]


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C raises ``KeyboardInterrupt`` so the same clean-up runs."""


def _raise_terminated(signum, frame):
    raise Terminated


@contextlib.contextmanager
def terminate_as_interrupt():
    """Within the block, SIGTERM raises :class:`Terminated` (the main thread only).

    The earlier handler is put back on the way out, so a command run from Python
    (tests, notebooks) leaves the process as it found it.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
