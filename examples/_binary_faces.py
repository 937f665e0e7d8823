"""``binary_expression_kfold.py``'s checks of the aligned faces before cross-validation.

Not an example itself (see ``_common.py``).
"""

from __future__ import annotations

import numpy as np


def faces_problem(labels, y, found, subjects):
    """Why the aligned faces cannot be cross-validated (None if they can).

    Each label needs faces of at least two people (two images without person ids):
    folds by person put all of one person's faces on one test side, so a label of one
    person is missing from that fold's training side. That is needed, not enough: the
    folds are drawn over every photo, found face or not, so two people with a face of a
    label may still share a test fold (:func:`training_problem` checks the folds). ``y``
    and ``subjects`` are the labels and people of every photo, ``found`` where a face was
    found.
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


def training_problem(labels, y, found, subjects, splits):
    """Why a training side of ``splits`` holds no face of a label (None if each holds both).

    ``splits``: ``{(protocol, repeat): [(train, test), ...]}`` over every photo; ``y``,
    ``found`` and ``subjects`` as in :func:`faces_problem`. Checked before any training:
    such a fold's classifier would get one label, which it refuses after the faces of
    every earlier fold were trained on.
    """
    for (protocol, repeat), folds in splits.items():
        for k, (train, test) in enumerate(folds):
            for label in labels:
                if not (found[train] & (y[train] == label)).any():
                    held = np.unique(subjects[test[found[test] & (y[test] == label)]])
                    who = ", ".join(held[:5]) + (", ..." if len(held) > 5 else "")
                    return (f"fold {k} of repeat {repeat} ({protocol}) has no '{label}' face "
                            f"to train on: all are in its test fold ({who}); give '{label}' "
                            "faces of more people, or fewer --folds")
    return None
