"""``binary_expression_kfold.py``'s check of the aligned faces before cross-validation.

Not an example itself (see ``_common.py``).
"""

from __future__ import annotations

import numpy as np


def faces_problem(labels, y, found, subjects):
    """Why the aligned faces cannot be cross-validated (None if they can).

    Each label needs faces of at least two people (two images without person ids):
    folds by person put all of one person's faces on one test side, so a label of one
    person is missing from that fold's training side. ``y`` and ``subjects`` are the
    labels and people of every photo, ``found`` where a face was found.
    """
    from aufeat.evaluation.protocols import has_person_ids

    counts = ", ".join(f"{label}: {int((y[found] == label).sum())} of "
                       f"{int((y == label).sum())}" for label in labels)
    y, subjects = y[found], subjects[found]
    if len(y) == 0:
        return f"no face found in any image ({counts} photos had a face)"
    for label in labels:
        if not (y == label).any():
            return f"no face found in any '{label}' image ({counts} photos had a face)"
    for label in labels:
        people = len(np.unique(subjects[y == label]))
        if people < 2:
            who = "1 person" if has_person_ids(subjects) else "1 image (no person ids)"
            return (f"the '{label}' faces come from {who}, and each label needs faces of at "
                    f"least 2 for every training fold to hold both labels ({counts} photos "
                    "had a face)")
    return None
