"""The rows one ``evaluate`` configuration uses: labelled items, their features, folds.

Items without a label are never scored: the emotion task leaves out a row whose
emotion is missing (``''``), and says how many (:func:`unlabelled_notes`); the AU
tasks a row with no AU coded.
"""

from __future__ import annotations

import numpy as np

from aufeat.datasets._labels import resolve_labels

from ._arguments import dense_features
from ._cross import cross_setup
from ._emotion_classes import spelled_as
from ._folds import nan_rows
from ._subject_ids import twins_note
from .overlap import fold_copies_note
from .protocols import make_splits, pooled_splits_note, validation_fold

__all__ = ["check_emotion_classes", "kept_rows", "unlabelled_notes"]


def kept_rows(dataset, X, task, parsed, target, target_X, labels):
    """Return ``(X, y, subjects, found, folds, validation, labels, au_names, notes)``.

    Every labelled item is kept, with or without a face (``found``); ``notes`` are
    the warnings given about subject ids that look alike (maybe one person), for
    ``result.warnings``. ``labels`` (emotion classes) given for an AU task is refused.
    """
    if task != "emotion" and labels is not None:  # scored every AU: refused, not ignored
        raise ValueError(f"labels keeps emotion classes, and task {task!r} evaluates every AU "
                         "the data set codes: leave labels out (labels=None); to evaluate some "
                         "AUs only, give a FaceDataset with only their columns (aus=, "
                         "au_names=), or read each AU in result.metrics['per_au']")
    if task == "emotion" and labels is not None and getattr(dataset, "emotion", None) is not None:
        labels = spelled_as(labels, dataset.emotion)  # [1, 2] for a float column's '1.0', '2.0'
    y, keep, au_names = dataset.targets(task, labels)
    if task == "emotion" and labels is not None:  # as the data set names them ('happy')
        labels = resolve_labels(labels, y, dataset.name)
    if task == "emotion" and parsed.name != "cross":  # cross: the classes both data sets have
        check_emotion_classes(dataset.name, y, keep, labels)
    X = dense_features(X)  # a sparse matrix refused
    if len(X) != len(dataset):
        raise ValueError(f"X has {len(X)} rows but the data set has {len(dataset)} samples")
    subjects = np.asarray(dataset.subject).astype(str)
    validation = None
    if parsed.name == "cross":
        X, y, subjects, folds, labels, au_names, notes = cross_setup(
            X, y, keep, subjects, dataset, target, target_X, task, labels, au_names)
    else:
        X, y, subjects = X[keep], y[keep], subjects[keep]
        split = None if getattr(dataset, "split", None) is None else np.asarray(dataset.split)[keep]
        folds = make_splits(parsed, subjects, split)  # warns about ids that look alike
        notes = list(filter(None, [twins_note(subjects), fold_copies_note(X, folds, subjects)]))
        if parsed.name == "split":  # warned by make_splits: kept for the results file too
            notes += list(filter(None, [pooled_splits_note(split, subjects)]))
            validation = validation_fold(subjects, split)
    found = ~nan_rows(X)
    if parsed.name == "cross" and not found[folds[0][0]].any():  # no folds to choose
        raise ValueError(f"no face was found in any of the {len(folds[0][0])} training images "
                         f"of {dataset.name!r} (every feature row is NaN), so there is nothing "
                         "to fit; if they are face crops, align them as crops "
                         "(aufeat-bench --crops, FaceFeatures(crops=True))")
    if not found.any():
        raise ValueError(f"no face was found in any of the {len(X)} images of "
                         f"{dataset.name!r} (every feature row is NaN); if they are face "
                         "crops, align them as crops (aufeat-bench --crops, "
                         "FaceFeatures(crops=True))")
    return X, y, subjects, found, folds, validation, labels, au_names, notes


def check_emotion_classes(name, y, keep, labels) -> None:
    """Refuse emotion rows ``y[keep]`` of fewer than 2 classes, naming ``labels`` no image has.

    A classifier that accepts one class would score every item right (accuracy
    1.0, an interval [1, 1]); ``cross:`` and ``aufeat-bench run`` refuse it too.
    """
    present, own = sorted(set(y[keep].tolist())), sorted(set(y.tolist()) - {""})
    if len(present) >= 2:
        return
    absent = [str(label) for label in labels or () if label not in own]
    raise ValueError(too_few_classes(name, present, own, absent, "labels="))


def too_few_classes(name, present, own, absent, option) -> str:
    """Word the refusal of emotion data with fewer than 2 classes (``present``).

    ``own`` are the data set's classes, ``absent`` the asked-for labels no image
    has and ``option`` how the user asked for them (``'labels='``, ``'--labels '``).
    """
    return (f"{name}: the emotion task needs images of at least 2 classes, and "
            + (f"only {present[0]} has any" if present else "none has any")
            + (f" ({option}{', '.join(absent)}: no image has "
               f"{'it' if len(absent) == 1 else 'them'})" if absent else "")
            + (f"; choose {option.strip(' =')} among its classes: {', '.join(own)}"
               if len(own) > 1 else "; add images of another class"))


def unlabelled_notes(task, *datasets) -> list:
    """Say, per data set, how many of its images the emotion task leaves out for want of a label.

    A row whose emotion is missing (``''``: FaceDataset's missing cell) is neither
    right nor wrong, so it is not evaluated (not in ``n_samples``); ``datasets``
    are the training data set and, under ``cross``, the test one (None: skipped).
    """
    notes = []
    for data in datasets:
        if task != "emotion" or data is None or getattr(data, "emotion", None) is None:
            continue
        n = int(np.sum(np.asarray(data.emotion).astype(str) == ""))
        if n:
            notes.append(f"{n} of the {len(data)} images of {data.name!r} have no emotion label "
                         "and are not evaluated (not in n_samples)")
    return notes
