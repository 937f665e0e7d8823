"""The ``cross:`` protocol's data: one data set for training, another for testing."""

from __future__ import annotations

import numpy as np

from aufeat.exceptions import ProtocolError

from ._arguments import target_features
from ._subject_ids import _by_value, twins_note
from .overlap import check_cross_overlap

__all__ = ["cross_setup"]


def cross_setup(X, y, keep, subjects, dataset, target, target_X, task, labels, au_names):
    """Stack the training and the test data set into one fold, on what both label.

    Returns ``(X, y, subjects, folds, labels, au_names, notes)``: emotion classes both
    have, plain numbers compared by value as subject ids are (the test set's ``'1.0'``
    is the training set's ``'1'``, and is written so: :func:`_respelled`; ``labels``
    narrows them), AUs both code (by name,
    in the training order; rows with none of them coded are left out), subject ids
    prefixed ``train:`` /
    ``test:``, and the warnings given about ids that look alike (within a data set or
    across the two: maybe one person), for ``result.warnings``.
    """
    if target is None or target_X is None:
        raise ValueError("protocol 'cross:...' needs target= (the test data set) and target_X=")
    if task == "emotion" and labels is not None and getattr(target, "emotion", None) is not None:
        labels_t = _respelled(labels, target.emotion)  # as the test set spells them ('1.0')
    else:
        labels_t = labels
    ty, tkeep, t_au_names = target.targets(task, labels_t)
    if au_names is not None:  # AUs matched by name, not by column position
        y, ty, au_names = _shared_aus(y, au_names, ty, t_au_names, dataset.name, target.name)
        # only rows coding at least one shared AU (not those coding only AUs the other lacks)
        keep, tkeep = ~np.isnan(y).all(axis=1), ~np.isnan(ty).all(axis=1)
        for data, rows in ((dataset, keep), (target, tkeep)):
            if not rows.any():
                raise ProtocolError(f"{data.name!r} codes none of the AUs both data sets name "
                                    f"({', '.join(au_names)}) in any image; cross-data-set AU "
                                    "evaluation needs AUs coded in both")
    tX = target_features(target_X, target, X)  # its rows and width, before numpy meets them
    tsubjects = np.asarray(target.subject).astype(str)
    if task == "emotion":
        ty = _spelled_as_training(ty, y[keep])
        shared = sorted(set(y[keep]) & set(ty[tkeep]))
        if labels is not None:  # in the order asked
            shared = [label for label in labels if label in shared]
        if len(shared) < 2:
            raise ProtocolError(f"{dataset.name!r} and {target.name!r} share fewer than two "
                                f"emotion classes ({', '.join(map(str, shared)) or 'none'}); "
                                "cross-data-set evaluation needs at least two")
        keep &= np.isin(y, shared)
        untested = ty[tkeep & ~np.isin(ty, shared)]  # classes never learnt: not tested
        tkeep &= np.isin(ty, shared)
        labels = shared
    notes = check_cross_overlap(dataset.subset(keep), target.subset(tkeep), X[keep], tX[tkeep])
    if task == "emotion" and len(untested):
        notes.append(_untested_note(len(untested), sorted(set(untested)), dataset.name,
                                    target.name))
    notes += _twins(((dataset.name, subjects[keep]), (target.name, tsubjects[tkeep])))
    n_train = int(keep.sum())
    X = np.concatenate([X[keep], tX[tkeep]])
    y = np.concatenate([y[keep], ty[tkeep]])
    # prefix ids so two corpora's "S001" are never mistaken for one person
    subjects = np.concatenate([np.char.add("train:", subjects[keep]),
                               np.char.add("test:", tsubjects[tkeep])])
    folds = [(np.arange(n_train), np.arange(n_train, len(X)))]
    return X, y, subjects, folds, labels, au_names, notes


def _spelled_as_training(ty, y) -> np.ndarray:
    """Return the test set's emotion classes ``ty`` as the training set's ``y`` spells them.

    A float column's ``'1.0'`` is an int column's ``'1'`` (:func:`_respelled`), and
    becomes it, so that the model's ``classes_``, the metrics' ``labels`` and both
    sets' rows use one spelling.
    """
    own = sorted(set(ty.tolist()) - {""})
    spelling = dict(zip(own, _respelled(own, y), strict=True))
    return np.array([spelling.get(label, label) for label in ty.tolist()], dtype=str)


def _respelled(labels, present) -> list:
    """``labels`` as ``present`` (the other data set's classes) spells them, where equal by value.

    Only a class written as a plain decimal number (ASCII digits, a sign, a point, an
    exponent: ``1``, ``01``, ``1.0``, ``1e0``), read by value as subject ids are
    (:func:`~._subject_ids.same_id`), or as ``True``/``False`` (1 and 0) is respelled;
    any other (``' 1'``, ``'1_0'``, ``'\u0661'``) is compared as text, so is never taken
    for another class. A label whose text is one of ``present``, or that matches none
    of them by value (or several), is left as it is.
    """
    present = {str(p) for p in np.asarray(present).ravel().tolist()}
    by_value = {}
    for name in sorted(present):
        by_value.setdefault(_class_value(name), []).append(name)
    out = []
    for label in labels:
        same = by_value.get(_class_value(str(label)), [])
        out.append(same[0] if str(label) not in present and len(same) == 1 else label)
    return out


def _class_value(text: str) -> str:
    """``text`` by value where it is a plain decimal number or a bool; else as it is."""
    return {"True": "1", "False": "0"}.get(text) or _by_value(text)


def _twins(named_ids) -> list[str]:
    """Warn about ids of each data set (``(name, ids)``) that look alike; return the warnings."""
    from aufeat._warnings import warn

    notes = [twins_note(ids, f" of {name!r}", "that person counts as two (in the intervals "
                        "over people, and in normalize='person')") for name, ids in named_ids]
    for note in filter(None, notes):
        warn(note)
    return list(filter(None, notes))


def _shared_aus(y, au_names, ty, t_au_names, name, t_name):
    """Return both AU matrices restricted to the AUs both name, in training order."""
    shared = [au for au in au_names if au in t_au_names]
    if not shared:
        raise ProtocolError(f"{name!r} ({', '.join(au_names)}) and {t_name!r} "
                            f"({', '.join(t_au_names)}) share no AU; cross-data-set AU "
                            "evaluation needs AUs coded in both")
    train_cols = [list(au_names).index(au) for au in shared]
    test_cols = [list(t_au_names).index(au) for au in shared]
    return y[:, train_cols], ty[:, test_cols], shared


def _untested_note(n: int, classes, source: str, target: str) -> str:
    """Warn that ``n`` labelled test images of ``classes`` (none in training) are not tested."""
    from aufeat._warnings import warn

    note = (f"{n} labelled image(s) of the test set {target!r} show emotions absent from the "
            f"training set {source!r} ({', '.join(map(str, classes))}): not tested, as no "
            "model trained there can name them; the scores are over the emotions both have")
    warn(note)
    return note
