"""Progress bars on stderr: live on a terminal, a few lines in a log file.

tqdm redraws a bar up to ten times a second. On a terminal that is a live bar; written to a
file or a pipe (``aufeat predict ... 2> log``, a batch job, CI) every redraw stays in the log:
about 36,000 of them in an hour's run. Where stderr is not a terminal, a bar here redraws at
most every :data:`LOG_INTERVAL` seconds, and once more at its end. Jupyter's output is not a
terminal either, but its bars are meant to move: inside a kernel the bar keeps tqdm's pace.
"""

from __future__ import annotations

import sys

__all__ = ["LATE_AFTER", "LOG_INTERVAL", "progress"]

#: Seconds between a bar's redraws when stderr is not a terminal (and not Jupyter's).
LOG_INTERVAL = 30.0

#: Seconds of work before a ``late`` bar first shows.
LATE_AFTER = 5.0


def progress(iterable=None, *, total: int | None = None, desc: str | None = None,
             unit: str = "it", enabled: bool = True, leave: bool = True, late: bool = False):
    """Return a tqdm bar on stderr: tqdm's live pace on a terminal, sparse redraws in a log.

    Parameters
    ----------
    iterable : iterable, optional
        Items to wrap (iterate over the bar); or call ``update(n)`` on it.
    total : int, optional
        Number of units of work (``len(iterable)`` when it has one).
    desc : str, optional
        Label in front of the bar.
    unit : str, default='it'
        Unit name.
    enabled : bool, default=True
        Show the bar; a disabled bar writes nothing and costs nothing.
    leave : bool, default=True
        Keep the finished bar on screen.
    late : bool, default=False
        Show the bar only once the work has taken :data:`LATE_AFTER` seconds: work done
        sooner (most calls of a function that is sometimes long) prints nothing.

    Examples
    --------
    >>> import io, sys
    >>> stream, sys.stderr = sys.stderr, io.StringIO()  # a log file: not a terminal
    >>> try:
    ...     with progress(total=3, desc="faces") as bar:
    ...         bar.update(3)
    ... finally:
    ...     log, sys.stderr = sys.stderr.getvalue(), stream
    >>> bar.mininterval == bar.maxinterval == LOG_INTERVAL, log.count("faces:")  # start, end
    (True, 2)
    """
    from tqdm.auto import tqdm

    stream = sys.stderr
    sparse = not _is_terminal(stream) and "ipykernel" not in sys.modules
    # maxinterval too: tqdm's monitor thread redraws a bar left alone that long (10 s by
    # default), whatever its mininterval
    pace = {"mininterval": LOG_INTERVAL, "maxinterval": LOG_INTERVAL} if sparse else {}
    return tqdm(iterable, total=total, desc=desc, unit=unit, disable=not enabled, leave=leave,
                file=stream, dynamic_ncols=True, delay=LATE_AFTER if late else 0.0, **pace)


def _is_terminal(stream) -> bool:
    """Whether ``stream`` is a terminal (False for None, files, pipes and closed streams)."""
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError, OSError):  # no isatty, or closed
        return False
