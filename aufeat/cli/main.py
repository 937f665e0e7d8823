"""The ``aufeat`` command and its sub-commands, one module each.

The sub-command modules are ``crop``, ``extract``, ``cache_cmd`` (``aufeat cache``),
``train`` and ``predict``; the package's other modules are their helpers and
``aufeat-bench``'s (``bench.py``, ``_bench_*``).

Each sub-command module defines ``add_parser(subparsers)`` (which registers its
parser and sets ``func``) and is listed in ``_SUBCOMMANDS``.

A standard output or error whose reader has gone (``aufeat extract ... | head``) is
no error: see :mod:`aufeat.cli._pipes`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
import warnings
from concurrent.futures.process import BrokenProcessPool  # joblib's TerminatedWorkerError

from ._pipes import closed_output_ignored
from ._signals import (
    STOP_STATUSES,
    interrupt_of,
    raise_kept_stop,
    stopped,
    stops_in_callbacks_kept,
    terminate_as_interrupt,
)

__all__ = ["OneLineErrorParser", "build_parser", "main", "one_line_warnings",
           "quiet_worker_cleanup", "worker_killed_message"]

# module names under aufeat.cli, each adding one sub-command
_SUBCOMMANDS: tuple[str, ...] = ("crop", "extract", "cache_cmd", "train", "predict")
# loky's resource tracker, a process of its own started with this process's -W options,
# warns at exit about the locks of workers stopped after an error (and removes them itself)
_TRACKER_FILTER = "ignore:resource_tracker:UserWarning"
# sub-commands whose standard output is their result (aufeat predict --out -): they stop,
# not go on, once its reader has gone (aufeat.cli._pipes)
_STDOUT_IS_OUTPUT: tuple[str, ...] = ("predict",)


def quiet_worker_cleanup() -> None:
    """Keep loky's resource-tracker warnings out of a command's one-line error messages."""
    if _TRACKER_FILTER not in sys.warnoptions:
        sys.warnoptions.append(_TRACKER_FILTER)


@contextlib.contextmanager
def one_line_warnings(prog: str):
    r"""Print the warnings of a command's run as one line each, ``PROG: warning: MESSAGE``.

    Python's default names the launcher script's line and echoes its source
    (``sys.exit(main())``) on a second line. Only ``warnings.formatwarning`` is
    replaced, and restored afterwards, so warnings that are recorded (for
    instance by ``warnings.catch_warnings(record=True)``) are unaffected.

    Examples
    --------
    >>> with one_line_warnings("aufeat"):
    ...     warnings.formatwarning("first line\n  second", UserWarning, "launcher", 8)
    'aufeat: warning: first line second\n'
    """
    from aufeat.exceptions import AufeatWarning

    def formatwarning(message, category, filename, lineno, line=None) -> str:
        kind = ("" if issubclass(category, AufeatWarning) or category is UserWarning
                else f"{category.__name__}: ")  # e.g. scikit-learn's ConvergenceWarning
        text = " ".join(part.strip() for part in str(message).splitlines())
        return f"{prog}: warning: {kind}{text}\n"

    previous = warnings.formatwarning
    warnings.formatwarning = formatwarning
    try:
        yield
    finally:
        warnings.formatwarning = previous


def worker_killed_message(prog: str, n_jobs: int | None = None, dask: bool = False) -> str:
    """One line for a run whose worker process was killed (``BrokenProcessPool``).

    ``n_jobs`` is the command's ``--n-jobs`` (1: already one worker, no hint to lower it).
    ``dask``: the run's workers were a dask cluster's (``--scheduler``), where ``--n-jobs``
    changes nothing: the advice is then about the dask workers.

    Examples
    --------
    >>> worker_killed_message("aufeat extract", 4)  # doctest: +NORMALIZE_WHITESPACE
    'aufeat extract: a worker process was killed (possibly out of memory); finished results
    are kept, and rerunning the same command (perhaps with --n-jobs 1, which needs less
    memory) resumes'
    """
    if dask:
        return (f"{prog}: a dask worker was killed (possibly out of memory); give the workers "
                "more memory (dask worker --memory-limit) or fewer threads each (--nthreads); "
                "finished results are kept, and rerunning the same command resumes")
    fewer = " (perhaps with --n-jobs 1, which needs less memory)" if n_jobs != 1 else ""
    return (f"{prog}: a worker process was killed (possibly out of memory); finished results "
            f"are kept, and rerunning the same command{fewer} resumes")


class OneLineErrorParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr and exit status 2.

    Sub-command parsers made with ``add_subparsers`` are of the same class.
    """

    #: the arguments being parsed (by :meth:`parse_args`), for the hint of :meth:`error`
    _argv: tuple = ()

    def error(self, message: str):
        """Print ``PROG: error: MESSAGE (see PROG --help)`` and exit with status 2.

        Where an argument starting with '-' is a file (``-x.jpg``), which argparse
        reads as an option ("the following arguments are required: INPUT"), the
        message says how to pass it.
        """
        import os

        files = [a for a in OneLineErrorParser._argv
                 if a.startswith("-") and a != "-" and os.path.lexists(a)]
        hint = (f"; {files[0]!r} is a file, but a name starting with '-' reads as an "
                f"option: write ./{files[0]}, or put it after --" if files else "")
        self.exit(2, f"{self.prog}: error: {message}{hint} (see {self.prog} --help)\n")

    def parse_args(self, args=None, namespace=None):
        """Parse as argparse does, but report unknown arguments as the sub-command's error.

        argparse reports them from the top parser (``aufeat: error: ... (see aufeat
        --help)``), though the options missed are those of the sub-command given
        (``aufeat train --help``).
        """
        OneLineErrorParser._argv = tuple(str(a) for a in (sys.argv[1:] if args is None else args))
        namespace, extra = self.parse_known_args(args, namespace)
        if extra:
            self._command_parser(namespace).error(f"unrecognized arguments: {' '.join(extra)}")
        return namespace

    def _command_parser(self, namespace) -> argparse.ArgumentParser:
        """Return the innermost sub-command's parser that ``namespace`` was parsed with."""
        parser = self
        while True:
            sub = next((a for a in parser._actions
                        if isinstance(a, argparse._SubParsersAction)), None)
            chosen = getattr(namespace, sub.dest, None) if sub is not None else None
            if chosen not in getattr(sub, "choices", {}):
                return parser
            parser = sub.choices[chosen]


def build_parser() -> argparse.ArgumentParser:
    """Return the ``aufeat`` argument parser with every sub-command."""
    from aufeat import __version__

    parser = OneLineErrorParser(
        prog="aufeat",
        description="Face cropping, feature extraction, training and prediction for "
        "facial expression and Action Unit analysis.",
    )
    parser.add_argument("--version", action="version", version=f"aufeat {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command")
    for name in _SUBCOMMANDS:
        importlib.import_module(f"aufeat.cli.{name}").add_parser(subparsers)
    return parser


def stopped_while_starting(prog: str, stop: KeyboardInterrupt) -> int:
    """Say in one line that a command was stopped before it began; return its exit status.

    Ctrl-C while the parser is built (its imports take a few tenths of a second) gave a
    traceback of the import under way.
    """
    how, status = stopped(interrupt_of(stop))  # an ImportError it caused too; others raised
    print(f"{prog}: {how} while starting; nothing was written", file=sys.stderr)
    return status


def main(argv: list[str] | None = None) -> int:
    """Run ``aufeat`` with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    try:
        quiet_worker_cleanup()
        parser = build_parser()
        args = parser.parse_args(argv)
    except (KeyboardInterrupt, ImportError) as stop:
        return stopped_while_starting("aufeat", stop)
    if not hasattr(args, "func"):  # `aufeat "$CMD"` with CMD empty: a mistake, not a success
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser.error(f"choose a command: {', '.join(commands.choices)}")

    # `| head`: the command goes on and writes its files; a full disk under `> log`: too,
    # and then it says so and exits nonzero
    with closed_output_ignored(stdout=args.command not in _STDOUT_IS_OUTPUT,
                               prog=f"aufeat {args.command}") as failed_output:
        try:
            with one_line_warnings("aufeat"), terminate_as_interrupt(), \
                    stops_in_callbacks_kept():
                status = int(args.func(args) or 0)
                if status not in STOP_STATUSES:  # not already reported as stopped
                    raise_kept_stop()
        except (KeyboardInterrupt, ImportError) as stop:  # outputs are whole or not written;
            how, status = stopped(interrupt_of(stop))  # a rerun resumes
            done = getattr(stop, "saved", None)  # stopped as its last files were renamed
            print(f"aufeat {args.command}: {how}; " + (done or "files written so far are "
                                                        "whole, rerun to finish"),
                  file=sys.stderr)
        except BrokenProcessPool:  # joblib's TerminatedWorkerError: out-of-memory killer, kill -9
            print(worker_killed_message(f"aufeat {args.command}", getattr(args, "n_jobs", 1),
                                        dask=bool(getattr(args, "scheduler", None))),
                  file=sys.stderr)
            status = 1
    return status or (1 if failed_output else 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
