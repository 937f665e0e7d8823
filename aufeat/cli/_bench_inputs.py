"""The inputs of ``aufeat-bench run``, loaded and checked before any face is aligned.

Data sets, tasks their labels allow, the protocol, outputs that would replace or
hold inputs, and the cache folder: each refused with the one line ``run`` prints.
"""

from __future__ import annotations

from pathlib import Path

from ._bench_tasks import (
    TASKS,
    check_aus_vary,
    check_emotion_classes,
    keep_tasks,
    labels_unused,
    without_constant_aus,
)

__all__ = ["check_outputs", "check_task_rows", "load_inputs"]


def check_outputs(args, dataset, target) -> None:
    """Refuse --json (and its predictions file) / --out that would replace or hold inputs.

    A --json naming a file the run writes into --out (results.csv, report.md, a
    figure, a later task's JSON) is refused too: it would be replaced. So is an
    --out inside the folder of a folder-based --dataset or --cross (``folder:.``
    with the default --out): its figures would be read as the data set's images.
    """
    from ._bench_report import json_outputs, out_names
    from ._crop_lock import BENCH_LOCK, check_lock_file
    from ._paths import (
        OutputConflictError,
        check_outputs,
        check_outside_datasets,
        dataset_inputs,
        over_folder,
    )

    check_outside_datasets(args.out, "--out", [("--dataset", args.dataset),
                                               ("--cross", args.cross)])
    files, folders = dataset_inputs(dataset, args.dataset, args.label_map)
    if target is not None:
        more_files, more_folders = dataset_inputs(target, args.cross)
        files, folders = files + more_files, folders + more_folders
    outputs = json_outputs(args.json)
    for path in outputs:  # the run makes --out first: the file would find a folder there
        if where := over_folder(path, args.out, "--out"):
            what = "it" if path == args.json else f"its predictions file {Path(path).name}"
            raise OutputConflictError(f"--json {args.json}: {what} names {where}, which the "
                                      "run makes; choose another --json file name")
    check_outputs(outputs, files, input_folders=folders, replaceable=[args.out])
    check_lock_file(Path(args.out) / BENCH_LOCK)  # a pipe or link there: before the work
    written = {(Path(args.out) / name).resolve(): name for name in out_names(TASKS)}
    for path in outputs:
        if Path(path).resolve() in written:
            what = "it" if path == args.json else f"its predictions file {Path(path).name}"
            raise OutputConflictError(
                f"--json {args.json}: {what} would be replaced by the "
                f"{written[Path(path).resolve()]} the run writes into --out {args.out}; "
                "choose another --json file name")


def load_inputs(args, tasks, default_cache: str):
    """Parse the protocol, load the data sets and check every output before aligning a face.

    Tasks the data sets have no labels for, or whose rows the protocol cannot split
    or a ``--cross`` pair does not share (:func:`check_task_rows`), are dropped when
    defaulted, refused when asked for (:func:`~._bench_tasks.keep_tasks`). Returns
    ``(protocol, dataset, target, cache_dir, tasks)``; raises ``SpecError``,
    ``ValueError`` or ``OSError`` with the one line ``run`` prints.
    """
    from aufeat.cache import FeatureCache
    from aufeat.evaluation.overlap import check_cross_overlap
    from aufeat.evaluation.protocols import parse_protocol

    from ._bench_cache import cache_origin, check_cache_writable
    from ._specs import load_dataset_spec, load_spec_pair

    protocol = parse_protocol(args.protocol)
    if protocol.name == "cross":  # evaluate() takes the target data set, not its SPEC
        raise ValueError(f"--protocol {args.protocol}: to test on another data set, use "
                         f"--cross {protocol.target} (--protocol: loso, group-kfold:K or split)")
    if args.cross:  # one --label-map for both: each RAW must fit a label of one of them
        dataset, target = load_spec_pair(args.dataset, args.cross, random_state=args.seed,
                                         label_map=args.label_map, task=args.task)
    else:
        dataset = load_dataset_spec(args.dataset, random_state=args.seed,
                                    label_map=args.label_map, task=args.task)
        target = None

    def check(task):
        for data in (dataset, target) if target is not None else (dataset,):
            data.targets(task)
            check_aus_vary(data, task)  # no AU changes: nothing to tell apart
        if task == "emotion" and not args.cross:  # one class: nothing to tell apart
            check_emotion_classes(dataset, args.labels)

    kept = keep_tasks(tasks, args.task is not None, check)
    _labels_used(args, tasks, kept, check)
    check_outputs(args, dataset, target)
    if target is not None:  # before aligning anything; evaluate() checks again
        check_cross_overlap(dataset, target)

    # a protocol the task's rows cannot hold, labels the two data sets do not share:
    # refused now, not after aligning
    def check_rows(task):
        check_task_rows(task, protocol, dataset, target, args)

    tasks = keep_tasks(kept, args.task is not None, check_rows)
    _labels_used(args, kept, tasks, check_rows)
    cache_dir = args.cache or default_cache
    try:  # a folder that is not a cache is refused before aligning
        FeatureCache(cache_dir)
    except OSError as err:
        raise type(err)(f"{cache_origin(cache_dir, args.cache)}: {err}") from None
    check_cache_writable(cache_dir, args.cache)
    return protocol, dataset, target, cache_dir, tasks


def _labels_used(args, tasks, kept, check) -> None:
    """Refuse ``--labels`` once the emotion task is dropped (``tasks`` to ``kept``), saying why."""
    if not args.labels or "emotion" in kept:
        return
    why = "no classifier of --classifiers applies to emotion"
    if "emotion" in tasks:  # dropped here: say why
        try:
            check("emotion")
        except ValueError as err:
            why = (f"the emotion task is skipped "
                   f"({str(err).removeprefix('emotion: ').partition('; ')[0]})")
    raise ValueError(labels_unused(why))


def check_task_rows(task, protocol, dataset, target, args) -> None:
    """Refuse a task whose rows ``evaluate`` would refuse, before any face is aligned.

    ``evaluate`` keeps the rows a task has labels for (an emotion of ``--labels``, an
    AU coded, once the AUs that never change are left out as the run leaves them out)
    and then builds the protocol's folds on them, or, with ``--cross``, keeps the
    emotion classes and AUs both data sets share. Its own choice of rows is run here
    on features of one constant column, so that what it refuses after aligning is
    refused now. The ValueError starts with the task (``"au-occurrence: ..."``).
    """
    import warnings

    import numpy as np

    from aufeat.evaluation._rows import kept_rows
    from aufeat.evaluation.protocols import parse_protocol

    data, _ = without_constant_aus(dataset, task)
    labels = args.labels if task == "emotion" else None  # AU tasks keep every AU coded
    parsed = protocol if target is None else parse_protocol(f"cross:{args.cross}")
    X = np.zeros((len(data), 1))  # one constant column: no face is missing, none alike
    target_X = None if target is None else np.zeros((len(target), 1))
    try:
        with warnings.catch_warnings():  # ids that look alike: warned when the task runs
            warnings.simplefilter("ignore")
            kept_rows(data, X, task, parsed, target, target_X, labels)
    except ValueError as err:
        if target is not None:  # the message names both data sets
            raise ValueError(f"{task}: {err}") from None
        raise ValueError(f"{task}: {dataset.name}{_rows_used(data, task, labels)}: "
                         f"{err}") from None


def _rows_used(data, task, labels) -> str:
    """`` (the 9 of 20 images with an AU coded)``, or ``''`` where the task uses every image."""
    keep = data.targets(task, labels)[1]
    if keep.all():
        return ""
    what = ("an AU coded" if task != "emotion" else
            "an emotion of --labels" if labels else "an emotion label")
    return f" (the {int(keep.sum())} of {len(keep)} images with {what})"
