"""Which tasks ``aufeat-bench run`` can run, decided before any face is aligned.

A task none of whose classifiers applies, that a data set has no labels for, or
emotion data with fewer than 2 classes, is refused when asked for (``--task``)
and dropped with a note when defaulted.
"""

from __future__ import annotations

__all__ = ["applicable_tasks", "check_emotion_classes", "check_landmarks_needed", "keep_tasks"]

#: Feature families computed from landmarks, which only aligned faces have.
LANDMARK_FAMILIES = ("geometry", "patches")


def keep_tasks(tasks, asked: bool, check) -> list:
    """Return the tasks ``check(task)`` passes (it raises ValueError for the others).

    A task asked for (``--task``), or the only one, fails with its ValueError; defaulted
    tasks that fail are dropped with a printed note, as long as one task is left.
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
        print(f"{task} skipped: {str(err).partition('; ')[0]}")
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


def check_landmarks_needed(tasks, args, pairs_of) -> None:
    """Refuse ``--no-align`` with a feature set that needs landmarks (before any face is read)."""
    from aufeat.estimators.feature_sets import FEATURE_SETS

    if args.align:
        return
    pairs = [p for task in tasks for p in pairs_of(task) or
             [(f, c) for f in args.features for c in args.classifiers]]
    needs = sorted({f for f, _ in pairs if set(FEATURE_SETS[f]) & set(LANDMARK_FAMILIES)})
    if not needs:
        return
    free = [f for f in FEATURE_SETS if not set(FEATURE_SETS[f]) & set(LANDMARK_FAMILIES)]
    best = any(c == "best" for _, c in pairs)
    raise ValueError(f"--no-align: feature set(s) {', '.join(needs)}"
                     + " need landmarks, which only aligned faces have"
                     + (" (classifier best runs only on such sets)" if best else "")
                     + "; leave out --no-align, "
                     f"or choose --features among {', '.join(free)}"
                     + (" and --classifiers without best" if best else ""))
