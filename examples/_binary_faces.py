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


def training_problem(labels, y, found, subjects, splits, validation=None):
    """Why a training side of ``splits`` cannot be trained on (None if each can).

    ``splits``: ``{(protocol, repeat): [(train, test), ...]}`` over every photo; ``y``,
    ``found`` and ``subjects`` as in :func:`faces_problem`. Checked before any training:
    such a fold's classifier would get one label, which it refuses after the faces of
    every earlier fold were trained on. ``validation``: ``(validation_fraction, seed)``
    of the small CNN, whose early stopping holds faces out of its training side (whole
    people, by person): a side on which that split cannot keep a face of each label (a
    label of one person, whom it must hold out) is refused too, by the CNN's own rule
    (:func:`aufeat.keras._training.validation_split`); None: not checked (logreg).
    """
    for (protocol, repeat), folds in splits.items():
        for k, (train, test) in enumerate(folds):
            where = f"fold {k} of repeat {repeat} ({protocol})"
            for label in labels:
                if not (found[train] & (y[train] == label)).any():
                    held = np.unique(subjects[test[found[test] & (y[test] == label)]])
                    who = ", ".join(held[:5]) + (", ..." if len(held) > 5 else "")
                    return (f"{where} has no '{label}' face to train on: all are in its "
                            f"test fold ({who}); give '{label}' faces of more people, or "
                            "fewer --folds")
            if validation is not None:
                seen = train[found[train]]  # the faces the CNN trains on, as run() fits it
                people = None if protocol == "leaky" else subjects[seen]
                problem = _validation_problem(labels, y[seen], people, *validation)
                if problem:
                    return f"{where}: {problem}"
    return None


def _validation_problem(labels, y, people, fraction, seed):
    """Why the CNN's validation split of one training side leaves a label out (or None)."""
    from aufeat.evaluation.protocols import has_person_ids
    from aufeat.keras._training import validation_split

    classes, codes = np.unique(y, return_inverse=True)
    try:
        validation_split(codes, people, fraction, seed, classes)
        return None
    except ValueError:
        pass
    if people is None:
        counts = {label: int((y == label).sum()) for label in labels}
        label = min(labels, key=counts.get)
        return (f"the small CNN's early stopping holds validation_fraction={fraction} of "
                f"its training faces out, and no split it tries keeps one of the "
                f"{counts[label]} '{label}' faces to train on; give more '{label}' faces, "
                "or fewer --folds")
    held = {label: np.unique(people[y == label]) for label in labels}
    label = min(labels, key=lambda label: len(held[label]))
    who = held[label]
    unit = ("person", "people") if has_person_ids(people) else ("image", "images")
    return (f"the small CNN's early stopping holds whole {unit[1]} out of its training "
            f"faces (validation_fraction={fraction}), and its '{label}' faces come from "
            f"{len(who)} {unit[len(who) != 1]} ({', '.join(who[:5])}"
            f"{', ...' if len(who) > 5 else ''}), so no split it tries keeps one to train "
            f"on; give '{label}' faces of more people, or fewer --folds")
