"""Arguments and top-level flow of ``aufeat-bench run``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from aufeat.estimators.feature_sets import DETECTOR, DETECTORS

from ._bench_inputs import load_inputs
from ._bench_run import (
    DEEP_CLASSIFIERS,
    DEFAULT_CLASSIFIERS,
    DEFAULT_FEATURES,
    DEFAULT_PAIRS,
    FEATURE_SETS,
)
from ._bench_tasks import TASKS as _TASKS
from ._bench_tasks import (
    applicable_tasks,
    check_landmarks_needed,
    labels_unused,
    unaligned_features,
    without_constant_aus,
)
from ._bench_usage import DEFAULT_PROTOCOL, next_steps, usage_problem
from ._specs import SPEC_HELP

__all__ = ["add_label_map_argument", "add_run_arguments", "check_n_jobs",
           "default_cache_dir", "run"]

#: The data set of ``aufeat-bench`` with no arguments: 12 synthetic people x 20 faces.
DEFAULT_FIRST_LOOK = "synthetic:12x20"


def default_cache_dir() -> str:
    """``$AUFEAT_CACHE_DIR``, else ``$XDG_CACHE_HOME/aufeat``, else ``~/.cache/aufeat``."""
    if os.environ.get("AUFEAT_CACHE_DIR"):
        return os.environ["AUFEAT_CACHE_DIR"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "aufeat")


def _csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _seed(value: str) -> int:
    """``--seed``: a whole number NumPy and scikit-learn take, 0 to 2**32 - 1."""
    try:
        seed = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if not 0 <= seed < 2**32:
        raise argparse.ArgumentTypeError(f"must be 0 to {2**32 - 1} (the seeds NumPy and "
                                         f"scikit-learn take), got {value}")
    return seed


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the options of ``aufeat-bench run`` (usage errors: one line, status 2)."""
    import types

    from .main import OneLineErrorParser

    parser.error = types.MethodType(OneLineErrorParser.error, parser)
    parser.add_argument("--dataset", default=None, metavar="SPEC",
                        help=f"{SPEC_HELP} (default: synthetic; {DEFAULT_FIRST_LOOK} with no "
                        "command)")
    parser.add_argument("--task", choices=_TASKS, default=None,
                        help="default: emotion (with no sub-command: each of the three the data "
                        "set has labels for)")
    parser.add_argument("--features", type=_csv, default=None, metavar="LIST",
                        help=f"comma-separated from {', '.join(FEATURE_SETS)} "
                        f"(the full grid: {','.join(DEFAULT_FEATURES)})")
    parser.add_argument("--classifiers", type=_csv, default=None, metavar="LIST",
                        help="presets (linear-svm, svm, rf, dt, nb, knn, "
                        "logreg, bagging, adaboost), smote+NAME, best, the Keras baselines cnn "
                        "(small CNN on the aligned pixels) and mlp (on the features; extra "
                        "'deep'); for au-intensity also ridge, svr, linear-svr "
                        f"(the full grid: {','.join(DEFAULT_CLASSIFIERS)}). Without "
                        "--features/--classifiers/--full: best (aufeat's recommended model) "
                        "against HOG + a linear model; best without --features: on its own "
                        "feature set for the task")
    parser.add_argument("--full", action="store_true",
                        help="compare the full grid of feature sets x classifiers")
    parser.add_argument("--protocol", default=None,
                        help=f"loso, group-kfold:K or split (default: {DEFAULT_PROTOCOL}; none "
                        "with --cross)")
    parser.add_argument("--cross", metavar="SPEC",
                        help="train on --dataset, test on this data set (shared labels only; "
                        "best then standardises each data set with its own statistics)")
    parser.add_argument("--crops", action="store_true",
                        help="the --dataset images are face crops (one face filling each "
                        "image): where no face is detected, landmarks are fitted in the whole "
                        "image and no image is dropped but a blank (one-colour) one (fer2013:, "
                        "jaffe:, synthetic and CK+'s 48x48 folder variant are crops anyway; the "
                        "official CK+ layout of camera frames is not)")
    parser.add_argument("--cross-crops", action="store_true",
                        help="the --cross images are face crops (as --crops)")
    parser.add_argument("--detector", choices=DETECTORS, default=DETECTOR,
                        help="face detector; hog+cnn runs dlib's CNN detector where HOG finds "
                        "nothing (turned, small faces; 0.1-3 s per such image) (default: "
                        "hog+cnn)")
    parser.add_argument("--labels", type=_csv, metavar="LIST",
                        help="emotion classes to keep, in this order")
    add_label_map_argument(parser, cross=True)
    parser.add_argument("--align", action=argparse.BooleanOptionalAction, default=True,
                        help="align faces with dlib landmarks first (default: on); "
                        "--no-align --full leaves best out of the grid (landmarks)")
    parser.add_argument("--cache", default=None, metavar="DIR",
                        help=f"feature cache folder (default: {default_cache_dir()}: "
                        "$AUFEAT_CACHE_DIR, else $XDG_CACHE_HOME/aufeat, else ~/.cache/aufeat)")
    parser.add_argument("--n-jobs", type=int, default=None, metavar="N",
                        help="parallel folds and extraction workers (default: all cores)")
    parser.add_argument("--json", metavar="FILE", help="results JSON path (first task; its "
                        "predictions file is written beside it, or into --out for a pipe: "
                        "--json /dev/stdout | jq)")
    parser.add_argument("--out", default="aufeat-bench-results", metavar="DIR",
                        help="output folder (default: ./aufeat-bench-results)")
    parser.add_argument("--seed", type=_seed, default=0, metavar="N",
                        help="random seed of models and synthetic faces, 0 to 2**32-1 "
                        "(default: 0); the folds do not depend on it (group k-fold, loso and "
                        "split are deterministic)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument("--default", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def add_label_map_argument(parser: argparse.ArgumentParser, cross: bool = False) -> None:
    """Register ``--label-map`` (``aufeat-bench run``, ``cross=True``: it has --cross; train)."""
    parser.add_argument("--label-map", default=None, metavar="FILE_OR_PAIRS",
                        help="map emotion labels explicitly, e.g. hapy=happiness,nuetral=neutral "
                        "or a file with one RAW=LABEL per line, RAW as on disk (a folder's "
                        "name, JAFFE's HA) or its common name; unknown labels in a manifest "
                        "are refused otherwise, as is a RAW that matches no label"
                        + (" (with --cross: no label of either data set)" if cross else ""))


def check_n_jobs(n_jobs) -> str | None:
    """Return why an ``--n-jobs`` value is refused, or None when it is usable."""
    if n_jobs is None:
        return None
    cores = os.cpu_count() or 1
    if n_jobs == 0 or n_jobs < -cores:
        return (f"--n-jobs must be a number of workers >= 1, or -1 for every core (-2: all "
                f"but one, down to -{cores}), got {n_jobs}")
    return None


def _fail(message: str) -> int:
    print(f"aufeat-bench: error: {message}", file=sys.stderr)
    return 2


def _check_names(args) -> str | None:
    from aufeat.estimators.presets import CLASSIFIERS

    unknown = [f for f in args.features if f not in FEATURE_SETS]
    if unknown:
        return f"unknown feature set(s) {', '.join(unknown)}; choose from {', '.join(FEATURE_SETS)}"
    from aufeat.estimators.presets import REGRESSORS

    bad = [c for c in args.classifiers if c != "best" and c not in DEEP_CLASSIFIERS
           and c.removeprefix("smote+") not in CLASSIFIERS and c not in REGRESSORS]
    if bad:
        return (f"unknown classifier(s) {', '.join(bad)}; choose from "
                f"{', '.join(CLASSIFIERS)}, smote+NAME, best, {', '.join(DEEP_CLASSIFIERS)} "
                f"(Keras), or for au-intensity {', '.join(REGRESSORS)}")
    from aufeat.estimators.recipes import BEST_FEATURE_SETS

    if "best" in args.classifiers and not set(args.features) & set(BEST_FEATURE_SETS):
        return (f"classifier best runs on its own feature sets ({', '.join(BEST_FEATURE_SETS)}) "
                f"and --features names none of them: add one, or leave --features out")
    deep = [c for c in args.classifiers if c in DEEP_CLASSIFIERS]
    if deep:
        try:
            import aufeat.keras  # noqa: F401
        except ImportError as err:
            return f"classifier(s) {', '.join(deep)}: {err}"
    return None


def _task_pairs(task: str, args, default_grid: bool, features_given: bool):
    """Return the (features, classifier) pairs of ``task``, or None for the whole grid.

    ``best`` without ``--features`` runs on its own feature set for the task.
    """
    from aufeat.estimators.recipes import BEST_FEATURES

    if default_grid:
        return DEFAULT_PAIRS[task]
    if features_given or "best" not in args.classifiers:
        return None
    return ([(f, c) for f in args.features for c in args.classifiers if c != "best"]
            + [(BEST_FEATURES[task], "best")])


def _config(args, cache_dir, dataset, target):
    from ._bench_run import BenchConfig
    from ._specs import is_crops_spec

    cross_crops = args.cross_crops or bool(args.cross and is_crops_spec(args.cross, target))
    return BenchConfig(features=tuple(args.features), classifiers=tuple(args.classifiers),
                       protocol=args.protocol, labels=args.labels, align=args.align,
                       crops=args.crops or is_crops_spec(args.dataset, dataset),
                       cross_crops=cross_crops,
                       detector=args.detector, cache_dir=cache_dir,
                       n_jobs=args.n_jobs if args.n_jobs is not None else -1,
                       seed=args.seed, progress=not args.no_progress)


def _run_tasks(tasks, dataset, target, config, args, pairs_of) -> list:
    """Align and extract once, then evaluate each task's grid; return ``[(task, results)]``."""
    from ._bench_report import face_note, format_table, independence
    from ._bench_run import prepare, run_configurations

    pairs = [p for task in tasks for p in pairs_of(task) or
             [(f, c) for f in config.features for c in config.classifiers]]
    families = sorted({f for name, _ in pairs for f in FEATURE_SETS[name]})
    mirror = any(classifier == "best" for _, classifier in pairs)
    prepared = prepare(dataset, families, config, mirror=mirror, tested=target is None)
    prepared_target = (prepare(target, families, config, crops=config.cross_crops,
                               mirror=mirror) if target is not None else None)
    runs = []
    for task in tasks:
        config.task = task
        config.pairs = pairs_of(task)
        data, note = without_constant_aus(dataset, task)  # they measure no model
        if note:
            print(note)
        results = run_configurations(replace(prepared, dataset=data), config,
                                     target=prepared_target, cross_name=args.cross)
        results.notes += [note] if note else []
        if not results:
            print(f"{task}: no classifier applies to this task; skipped")
            continue
        r0 = results[0]
        print(f"\n{task} · {r0.dataset} · {r0.protocol} · {r0.n_samples} samples, "
              f"{r0.n_subjects} subjects ({independence(r0)}); {face_note(task, results)}")
        print(format_table(results))
        runs.append((task, results))
    return runs


def _written_line(written, out) -> str:
    """Say how many files went into ``out``, and name those written elsewhere (--json)."""
    out = Path(out).resolve()
    elsewhere = [str(p) for p in written if out not in Path(p).resolve().parents]
    line = f"wrote {len(written) - len(elsewhere)} files to {out}"  # /dev/stdout as given
    return f"{line}, and {', '.join(elsewhere)}" if elsewhere else line


def run(args) -> int:
    """Run the comparison; return 0, or 2 with one line on stderr for bad input."""
    from aufeat.cache import FeatureExtractionError

    from ._bench_report import write_outputs
    from ._paths import OutputConflictError
    from ._specs import SpecError, spec_kind

    problem = usage_problem(args)  # "--classifiers ," would otherwise run the full grid
    if problem:
        return _fail(problem)
    args.protocol = args.protocol or DEFAULT_PROTOCOL  # none given with --cross: unused
    default_grid = args.features is None and args.classifiers is None and not args.full
    features_given = args.features is not None
    if not args.align and not default_grid:  # --full --no-align: the grid that runs unaligned
        args.features = unaligned_features(args.features)
    args.features = args.features or list(DEFAULT_FEATURES)
    args.classifiers = args.classifiers or list(DEFAULT_CLASSIFIERS)
    problem = _check_names(args) or check_n_jobs(args.n_jobs)
    if problem:
        return _fail(problem)
    tasks = [args.task] if args.task else (list(_TASKS) if args.default else ["emotion"])
    if args.labels and "emotion" not in tasks:
        return _fail(labels_unused(f"--task {args.task} has none"))
    if args.dataset is None:  # no command: a first look, in a minute or two
        args.dataset = DEFAULT_FIRST_LOOK if args.default else "synthetic"
    ckplus = [spec_kind(s) == "ckplus" for s in (args.dataset, args.cross) if s]
    if len(tasks) > 1 and "au-intensity" in tasks and any(ckplus):
        tasks.remove("au-intensity")  # read as occurrence for the other tasks
        print("CK+'s AU intensities are read apart from AU occurrence: run "
              "aufeat-bench run --task au-intensity for them")
    start = time.perf_counter()
    pairs_of = lambda task: _task_pairs(task, args, default_grid, features_given)  # noqa: E731
    try:
        tasks = applicable_tasks(tasks, args, pairs_of)
        _, dataset, target, cache_dir, tasks = load_inputs(args, tasks, default_cache_dir())
        check_landmarks_needed(tasks, args, pairs_of)
    except (SpecError, ValueError, OSError) as err:
        return _fail(str(err))
    config = _config(args, cache_dir, dataset, target)
    try:
        runs = _run_tasks(tasks, dataset, target, config, args, pairs_of)
    except (ValueError, OSError, FeatureExtractionError) as err:
        # missing labels, classes absent from a cross target, no image readable, disk full ...
        return _fail(str(err))
    if not runs:
        return _fail("nothing to report: no task had an applicable classifier")
    synthetic = dataset.name == "synthetic" or (target is not None and target.name == "synthetic")
    try:
        written = write_outputs(runs, args.out, json_path=args.json, synthetic=synthetic)
    except (OSError, OutputConflictError) as err:  # disk full, folder removed meanwhile, a
        return _fail(f"could not write the results: {err}")  # pipe made the lock meanwhile
    if synthetic:
        print("\nNote: SYNTHETIC faces (a warped photograph); easier than real faces.")
    report = Path(args.out).resolve() / "report.md"
    print(f"{_written_line(written, args.out)} in {time.perf_counter() - start:.0f} s"
          + (f"; read {report} first" if report in {Path(p).resolve() for p in written} else ""))
    if args.default:
        print(next_steps(args, DEFAULT_FIRST_LOOK, [task for task, _ in runs]))
    return 0
