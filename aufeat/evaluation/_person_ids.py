"""Data without person ids (every item its own subject): how evaluations say so."""

from __future__ import annotations

import numpy as np

__all__ = ["NO_PERSON_IDS_NOTE", "NO_TARGET_IDS_NOTE", "has_no_person_ids", "has_person_ids",
           "intervals_by_image", "no_person_ids_note", "target_has_no_person_ids",
           "warn_without_person_ids"]


#: The part of the message of :func:`warn_without_person_ids` that reports look for.
NO_PERSON_IDS_NOTE = "has its own subject id, so one person's images may be on both sides"


#: The part of the message for a ``cross`` target without person ids (its intervals
#: resample images, not people).
NO_TARGET_IDS_NOTE = "has its own subject id (no person ids), so intervals resample images"


def has_person_ids(subjects) -> bool:
    """Whether some subject id names several items (else each is its own: no person ids).

    A corpus without person ids (FER2013, a folder without a subject pattern) gives
    each image its own subject id; folds "by person" are then folds by image.

    Examples
    --------
    >>> has_person_ids(["s1", "s1", "s2"]), has_person_ids(["a.png", "b.png"])
    (True, False)
    """
    subjects = np.asarray(subjects)
    return len(np.unique(subjects)) < len(subjects)


def warn_without_person_ids(result, subjects) -> None:
    """Warn where every item of an evaluation is its own subject (no person ids).

    ``subjects`` are the ids of every row the evaluation used (training,
    validation and test): under ``split`` each test person may well have one
    photo while the training people have many, so the tested items alone
    cannot tell. Folds then cannot keep a person's images together. The
    message is also added to ``result.warnings``, so that the results file
    keeps it (and :func:`has_no_person_ids` finds it there). Under ``cross`` the
    data sets are apart anyway: the target's tested rows (``result.predictions``)
    decide, and the message (:data:`NO_TARGET_IDS_NOTE`) says that the intervals
    resample images.
    """
    from aufeat._warnings import warn

    if result.protocol.startswith("cross"):
        tested = (result.predictions or {}).get("subjects")
        if tested is None or has_person_ids(tested):
            return
        message = (f"every tested item of {result.protocol.removeprefix('cross:')!r} "
                   f"{NO_TARGET_IDS_NOTE}, not people; {_WHERE} for intervals over people")
    elif (message := no_person_ids_note(result.dataset, result.protocol, subjects)) is None:
        return
    warn(message)
    result.warnings = sorted({*result.warnings, message})


_WHERE = "give person ids (a manifest's subject column, load_image_folder(subject_pattern=...))"


def no_person_ids_note(name: str, protocol: str, subjects) -> str | None:
    """Return the warning for an evaluation whose every item is its own subject, or None.

    ``protocol`` is any but ``cross`` (:func:`warn_without_person_ids` decides there,
    from the target's tested rows). Under ``loso`` it also says that a model is
    fitted per item: given before the first fit, it lets a user stop a run of
    35,887 fits (FER2013 without person ids) and choose ``group-kfold:K``.

    Examples
    --------
    >>> note = no_person_ids_note("fer", "loso", ["a.png", "b.png"])
    >>> note[:40], note[-37:]
    ("every item of 'fer' has its own subject ", "item: 2 fits; 'group-kfold:5' fits 5)")
    >>> no_person_ids_note("ck", "loso", ["s1", "s1", "s2"]) is None
    True
    """
    if has_person_ids(subjects):
        return None
    note = (f"every item of {name!r} {NO_PERSON_IDS_NOTE} of a fold; {_WHERE} for a "
            "subject-independent estimate")
    if protocol == "loso":
        note += f" ('loso' fits a model per item: {len(subjects)} fits; 'group-kfold:5' fits 5)"
    return note


def has_no_person_ids(result) -> bool:
    """Whether ``result`` was warned to have no person ids (see :func:`warn_without_person_ids`)."""
    return any(NO_PERSON_IDS_NOTE in w for w in result.warnings)


def target_has_no_person_ids(result) -> bool:
    """Whether a ``cross`` result's tested data set was warned to have no person ids."""
    return any(NO_TARGET_IDS_NOTE in w for w in result.warnings)


def intervals_by_image(result) -> bool:
    """Whether ``result``'s intervals resample images: its tested items have no person ids.

    A plain run on a data set without person ids (every item its own subject) or a
    ``cross`` onto one: either way each "person" resampled is one image. Reports,
    ``aufeat-bench compare`` and :func:`~aufeat.evaluation.plots.plot_per_au` say so.
    """
    return has_no_person_ids(result) or target_has_no_person_ids(result)
