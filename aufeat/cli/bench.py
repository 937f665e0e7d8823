"""``aufeat-bench``: compare aufeat with the tools researchers use today.

Sub-commands
------------
run
    Compare feature sets x classifiers on a data set under a subject-independent
    protocol; print a ranked table, write results JSON/CSV, report.md and figures.
compare
    Side-by-side table of two results JSON files.
speed
    Images per second of aufeat's extractors against scikit-image (and OpenCV
    where it has the same operation), measured in one run, and their ratio.

With no sub-command, ``aufeat-bench`` runs the default comparison on the
embedded synthetic faces for the emotion, AU-occurrence and AU-intensity tasks.

A standard output or error whose reader has gone (``aufeat-bench run ... | head``) is
no error: see :mod:`aufeat.cli._pipes`.

Examples
--------
>>> from aufeat.cli.bench import build_parser
>>> build_parser().parse_args(["speed", "--quick"]).quick
True
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sys

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """Return the ``aufeat-bench`` argument parser (usage errors: one line, exit status 2)."""
    from .main import OneLineErrorParser

    parser = OneLineErrorParser(
        prog="aufeat-bench",
        description="Benchmarks for aufeat. With no command, compares best against HOG + a "
        "linear model on synthetic faces (emotion, AU occurrence, AU intensity).",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_run(subparsers)
    _add_compare(subparsers)
    speed = subparsers.add_parser(
        "speed", help="images/s of aufeat vs scikit-image and OpenCV, with ratios",
        description="Time aufeat's extractors and their references in one run.",
    )
    speed.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    speed.add_argument("--quick", action="store_true",
                       help="small batches: a rough check in seconds, not for reporting")
    speed.add_argument("--families", metavar="LIST",
                       help="comma-separated subset of: hog, lbp, gabor (default: all)")
    speed.set_defaults(func=_speed)
    return parser


def _speed(args) -> int:
    from aufeat.cli import _speed as speed

    families = None
    if args.families is not None:
        families = [f.strip() for f in args.families.split(",") if f.strip()]
        if not families:  # not every family
            print(f"aufeat-bench speed: --families names no family; choose from "
                  f"{', '.join(speed.FAMILIES)}", file=sys.stderr)
            return 2
        unknown = sorted(set(families) - set(speed.FAMILIES))
        if unknown:
            print(f"aufeat-bench speed: unknown famil{'ies' if len(unknown) > 1 else 'y'} "
                  f"{', '.join(unknown)}; choose from {', '.join(speed.FAMILIES)}",
                  file=sys.stderr)
            return 2
    if args.json is not None and args.json.strip() in ("", "-"):  # "$UNSET", or stdout meant
        print(f"aufeat-bench speed: --json needs a file path, got {args.json!r}: for standard "
              "output give --json /dev/stdout", file=sys.stderr)
        return 2
    if args.json is not None:  # a folder, or one that cannot be written into: refused first
        from ._paths import check_outputs

        try:
            check_outputs([args.json], [])
        except (ValueError, OSError) as err:
            print(f"aufeat-bench speed: --json: {err}", file=sys.stderr)
            return 2
    import numba

    cores, host = speed.usable_cores(), os.cpu_count()  # pinned (taskset): fewer than host's
    print(f"aufeat speed on {cores}{f' of {host}' if host and host != cores else ''} "
          f"core{'s' if (host or cores) != 1 else ''} ({numba.get_num_threads()} Numba threads), "
          f"Python {platform.python_version()}; images/s, best of repeats, in this run")
    print(speed.HEADER)
    results = speed.run_speed(families, quick=args.quick)
    cold = speed.cold_start_seconds()
    print(f"fresh process, warm Numba cache: import aufeat + first HOG call = {cold:.2f} s")
    if args.json is not None:
        payload = {"cpu_count": cores, "numba_threads": numba.get_num_threads(),
                   "quick": args.quick, "cold_start_seconds": cold, **speed.software(),
                   "timing": speed.TIMING, "results": [r.to_dict() for r in results]}
        try:
            _write_json(args.json, payload)
        except OSError as err:  # disk full, folder removed meanwhile
            print(f"aufeat-bench speed: could not write {args.json}: {err}", file=sys.stderr)
            return 2
        print(f"wrote {args.json}")
    return 0


def _write_json(path: str, payload: dict) -> None:
    from pathlib import Path

    from aufeat._atomic import atomic_write_text
    from aufeat.evaluation.results import _json_safe

    Path(path).parent.mkdir(parents=True, exist_ok=True)  # as aufeat-bench run --json
    # no reference (one-image rows): null, not NaN, which JSON does not have
    atomic_write_text(path, json.dumps(_json_safe(payload), indent=2, allow_nan=False))


def _add_run(subparsers) -> None:
    from ._bench_args import add_run_arguments

    run = subparsers.add_parser(
        "run", help="compare features x classifiers on a data set (subject-independent)",
        description="Compare feature sets x classifiers on a data set under a "
        "subject-independent protocol.")
    add_run_arguments(run)


def _add_compare(subparsers) -> None:
    compare = subparsers.add_parser("compare", help="side-by-side table of two results files")
    compare.add_argument("a", metavar="A.json")
    compare.add_argument("b", metavar="B.json")
    compare.set_defaults(func=_compare)


def _compare(args) -> int:
    from ._bench_compare import compare_files

    return compare_files(args.a, args.b)


def main(argv: list[str] | None = None) -> int:
    """Run ``aufeat-bench`` with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    from aufeat._text import printable_output

    from .main import (
        STOP_STATUSES,
        BrokenProcessPool,
        closed_output_ignored,
        interrupt_of,
        one_line_warnings,
        quiet_worker_cleanup,
        raise_kept_stop,
        stopped,
        stopped_while_starting,
        stops_in_callbacks_kept,
        terminate_as_interrupt,
    )

    try:  # Ctrl-C while the parser's imports run: one line, as later
        quiet_worker_cleanup()
        parser = build_parser()
        argv = sys.argv[1:] if argv is None else list(argv)
        if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
            argv = ["run", "--default", *argv]
        args = parser.parse_args(argv)
    except (KeyboardInterrupt, ImportError) as stop:
        return stopped_while_starting("aufeat-bench", stop)

    # `| head`: the run goes on, its last words too; a full disk under `> log`: too, and then
    # it says so and exits nonzero
    with closed_output_ignored(prog=f"aufeat-bench {args.command}") as failed_output, \
            _lines_to_stderr_beside(getattr(args, "json", None)):
        try:  # a data set named in Latin-1 is printed in hex, as in report.md and results.csv
            with one_line_warnings("aufeat-bench"), terminate_as_interrupt(), \
                    printable_output(), stops_in_callbacks_kept():
                status = int(args.func(args))
                if status not in STOP_STATUSES:  # not already reported as stopped
                    raise_kept_stop()
        except (KeyboardInterrupt, ImportError) as stop:  # Ctrl-C in dlib's import: too
            how, status = stopped(interrupt_of(stop))
            print(f"aufeat-bench: {how}{_after_stop(args.command)}", file=sys.stderr)
        except BrokenProcessPool:  # a worker killed: by the out-of-memory killer, or kill -9
            from .main import worker_killed_message

            print(worker_killed_message("aufeat-bench", getattr(args, "n_jobs", None)),
                  file=sys.stderr)
            status = 1
    return status or (1 if failed_output else 0)


def _lines_to_stderr_beside(json_path):
    """Print to standard error where ``--json`` is standard output.

    ``--json /dev/stdout | jq``: the JSON alone reaches the pipe. Elsewhere: nothing changes.
    """
    from aufeat._streams import is_standard_output

    if not is_standard_output(json_path):
        return contextlib.nullcontext()
    return contextlib.redirect_stdout(sys.stderr)


def _after_stop(command) -> str:
    """Say what a stopped sub-command leaves behind: only ``run`` has a cache to resume from."""
    if command == "run":  # also the default comparison (no sub-command)
        return "; finished cache shards are kept and a rerun resumes"
    if command == "speed":  # its rows were printed; --json is written at the end only
        return "; nothing was written: a rerun times every case again"
    return ""  # compare reads two files and writes none


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
