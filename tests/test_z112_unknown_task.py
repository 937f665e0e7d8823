"""paired_difference refuses a misspelt task as bootstrap_intervals does: a ValueError listing them.

It looked the task's headline metric up first and raised a bare ``KeyError('emotions')``.
"""

import numpy as np
import pytest

from aufeat.evaluation import bootstrap_intervals, paired_difference

UNKNOWN = "unknown task {!r}; choose one of emotion, au-occurrence, au-intensity"
PEOPLE = np.repeat(np.arange(5), 4)
ITEMS = {"emotions": np.array(["a", "b"] * 10), "au_occurrence": np.ones((20, 2))}


@pytest.mark.parametrize("task", ITEMS)
def test_paired_difference_names_the_unknown_task(task):
    y = ITEMS[task]
    with pytest.raises(ValueError, match="unknown task") as interval:
        bootstrap_intervals(task, y, y, PEOPLE, n_resamples=10)
    with pytest.raises(ValueError, match="unknown task") as paired:
        paired_difference(task, y, y, y, PEOPLE, n_resamples=10)

    assert str(paired.value) == str(interval.value) == UNKNOWN.format(task)


@pytest.mark.parametrize("call", [bootstrap_intervals, paired_difference])
def test_unknown_task_refused_with_one_person_too(call):
    y = ITEMS["emotions"]
    with pytest.raises(ValueError, match="unknown task 'emotions'"):
        call("emotions", *([y] * (3 if call is paired_difference else 2)), np.zeros(20))
