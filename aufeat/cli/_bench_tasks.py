"""Which tasks ``aufeat-bench run`` can run, decided before any face is aligned.

A task that a data set has no labels for is refused when asked for (``--task``)
and dropped with a note when defaulted.
"""

from __future__ import annotations

__all__ = ["keep_tasks"]


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
