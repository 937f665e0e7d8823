"""Which tasks ``aufeat-bench run`` can run, decided before any face is aligned.

A task none of whose classifiers applies, that a data set has no labels for,
emotion data with fewer than 2 classes, AU data none of whose AUs changes, rows
the protocol cannot split or labels a ``--cross`` pair does not share
(:func:`~._bench_inputs.check_task_rows`), is refused when asked for (``--task``)
and dropped with a note when defaulted.
"""

from __future__ import annotations

__all__ = ["TASKS", "applicable_tasks", "check_aus_vary", "check_emotion_classes",
           "check_landmarks_needed", "keep_tasks", "labels_unused", "unaligned_features",
           "without_constant_aus"]

#: The tasks of ``aufeat-bench run``, in the order a run with no command runs them.
TASKS = ("emotion", "au-occurrence", "au-intensity")

#: Feature families computed from landmarks, which only aligned faces have.
LANDMARK_FAMILIES = ("geometry", "patches")


def keep_tasks(tasks, asked: bool, check) -> list:
    """Return the tasks ``check(task)`` passes (it raises ValueError for the others).

    A task asked for (``--task``), or the only one, fails with its ValueError; defaulted
    tasks that fail are dropped with a printed note, as long as one task is left. A
    message that starts with its task (``"emotion: ..."``) is noted without it.
    """
    kept, dropped = [], []
    for task in tasks:
        try:
            check(task)
        except ValueError as err:
            if asked:
                raise
            dropped.append((task, err))
        else:
            kept.append(task)
    if not kept:
        raise dropped[0][1]
    for task, err in dropped:
        print(f"{task} skipped: {str(err).removeprefix(f'{task}: ').partition('; ')[0]}")
    return kept


def applicable_tasks(tasks, args, pairs_of) -> list:
    """Keep the tasks with an applicable (features, classifier) pair, before loading data.

    For each task kept, the classifiers of ``--classifiers`` that it cannot run
    are named in a printed note (:func:`~._bench_run.skipped_note`).
    """
    from ._bench_run import _applicable, applicable_classifiers, skipped_note

    def pairs(task):
        return pairs_of(task) or [(f, c) for f in args.features for c in args.classifiers]

    def check(task):
        if not any(_applicable(task, f, c) for f, c in pairs(task)):
            raise ValueError(f"no classifier of --classifiers {','.join(args.classifiers)} "
                             f"applies to {task}; choose from "
                             f"{', '.join(applicable_classifiers(task))}")

    kept = keep_tasks(tasks, args.task is not None, check)
    for task in kept:
        note = skipped_note(task, pairs(task), args.classifiers)
        if note:
            print(note)
    return kept


def check_emotion_classes(dataset, labels) -> None:
    """Refuse emotion data with fewer than 2 classes (once --labels is applied)."""
    from aufeat.datasets._labels import resolve_labels
    from aufeat.evaluation._rows import too_few_classes

    y, keep, _ = dataset.targets("emotion", labels)
    present, own = sorted(set(y[keep])), sorted(set(y) - {""})
    if len(present) >= 2:
        return
    absent = [label for label in labels or ()
              if resolve_labels([label], own, dataset.name)[0] not in own]
    raise ValueError(too_few_classes(dataset.name, present, own, absent, "--labels "))


def _constant_aus(dataset, task) -> dict:
    """Map each AU whose coded labels never change (in the rows ``task`` keeps) to its value."""
    import numpy as np

    y, keep, names = dataset.targets(task)
    constant = {}
    for j, name in enumerate(names):
        values = np.unique(y[keep, j][~np.isnan(y[keep, j])])
        if len(values) < 2:
            constant[name] = float(values[0]) if len(values) else None
    return constant


def _described(constant: dict, task: str) -> str:
    """``AU1, AU12 present in every image and AU4 absent ...``: each value once."""
    def what(value):
        if value is None:
            return "coded in no image"
        if task == "au-occurrence":
            return f"{'present' if value else 'absent'} in every image"
        return f"intensity {value:g} in every image"

    groups: dict = {}
    for name, value in constant.items():
        groups.setdefault(what(value), []).append(name)
    return " and ".join(f"{', '.join(names)} {text}" for text, names in groups.items())


def check_aus_vary(dataset, task) -> None:
    """Refuse AU data none of whose AUs changes: no model could be told from a constant.

    Every AU present in every image would score every model F1 1.0 (an interval
    [1, 1]); every AU absent, or one intensity, leaves no metric to measure.
    """
    if task == "emotion":
        return
    constant = _constant_aus(dataset, task)
    if len(constant) < len(dataset.targets(task)[2]):
        return
    what = ("an AU present in some images and absent in others" if task == "au-occurrence"
            else "an AU whose intensity differs between images")
    raise ValueError(f"{task} needs {what}, and data set {dataset.name!r} has none "
                     f"({_described(constant, task)}), so every model would be a constant with "
                     "nothing to tell apart; check the AU columns (a wrong column or "
                     "threshold?), or choose another task")


def without_constant_aus(dataset, task, why: str | None = None):
    """Return ``(dataset, note)``: for an AU task, the AUs whose labels never change left out.

    Such an AU measures no model (present in every image, a constant model scores
    F1 1.0 and would raise the mean; absent, or one intensity: no F1, ICC, PCC or
    CCC), so it is dropped, and ``note`` (else None) says which, and ``why`` (by
    default: that it measures nothing).
    """
    import copy

    if task == "emotion" or not (constant := _constant_aus(dataset, task)):
        return dataset, None
    kept = [j for j, name in enumerate(dataset.au_names) if name not in constant]
    reduced = copy.copy(dataset)
    reduced.aus = dataset.aus[:, kept]
    reduced.au_names = tuple(dataset.au_names[j] for j in kept)
    why = why or f"as {'it says' if len(constant) == 1 else 'they say'} nothing of a model"
    return reduced, f"{task}: {_described(constant, task)} of {dataset.name}: left out, {why}"


def labels_unused(why: str) -> str:
    """Refuse ``--labels`` where no emotion task is run (``why``: the reason)."""
    return (f"--labels keeps emotion classes, and {why}: leave --labels out (AU tasks use "
            "every AU the data set codes)")


def _needs_landmarks(feature_set: str) -> bool:
    """Whether ``feature_set`` holds a family computed from landmarks (aligned faces only)."""
    from aufeat.estimators.feature_sets import FEATURE_SETS

    return bool(set(FEATURE_SETS[feature_set]) & set(LANDMARK_FAMILIES))


def check_landmarks_needed(tasks, args, pairs_of) -> None:
    """Refuse ``--no-align`` with a feature set that needs landmarks (before any face is read)."""
    from aufeat.estimators.feature_sets import FEATURE_SETS

    if args.align:
        return
    pairs = [p for task in tasks for p in pairs_of(task) or
             [(f, c) for f in args.features for c in args.classifiers]]
    needs = sorted({f for f, _ in pairs if _needs_landmarks(f)})
    if not needs:
        return
    free = [f for f in FEATURE_SETS if not _needs_landmarks(f)]
    best = any(c == "best" for _, c in pairs)
    raise ValueError(f"--no-align: feature set(s) {', '.join(needs)}"
                     + " need landmarks, which only aligned faces have"
                     + (" (classifier best runs only on such sets)" if best else "")
                     + "; leave out --no-align, "
                     f"or choose --features among {', '.join(free)}"
                     + (" and --classifiers without best" if best else ""))


def unaligned_features(features):
    """Return the full grid's feature sets that run with ``--no-align``, if none were given.

    Without landmarks, the sets that need them (``best``) are left out, with a note;
    sets given are kept as they are (and refused by :func:`check_landmarks_needed`).
    """
    from ._bench_run import DEFAULT_FEATURES

    if features is not None:
        return features
    left = [f for f in DEFAULT_FEATURES if _needs_landmarks(f)]
    print(f"--no-align: the full grid without the feature set(s) {', '.join(left)} (they "
          "need landmarks, which only aligned faces have)")
    return [f for f in DEFAULT_FEATURES if f not in left]
