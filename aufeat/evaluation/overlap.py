"""Cross-data-set evaluation needs two independent data sets: no shared image, no shared person.

:func:`check_cross_overlap` is called by :func:`aufeat.evaluation.evaluate` for
``cross:...`` protocols (on the rows it keeps, with their features) and by
``aufeat-bench run --cross`` before any face is aligned.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata

import numpy as np

from ._subject_ids import cross_twins_note, same_id

__all__ = ["check_cross_overlap", "fold_copies_note"]


def check_cross_overlap(dataset, target, X=None, target_X=None) -> list[str]:
    """Refuse a cross-data-set evaluation whose test data shares images or people with training.

    Two data sets overlap when they hold the same image (the same resolved
    file, the same file bytes, the same pixels for data held in memory, or,
    when features are given, the same feature row, unless that row is constant,
    as the all-zero geometry row of every unaligned crop is) or the same subject id
    (compared as text in Unicode form NFC: 'José' typed as one character or as 'e' and
    an accent, as macOS writes file names, is one id; numbers by value: a float
    column's '1.0' is an int column's '1'). Ids that differ only in case, surrounding
    spaces, Unicode form or invisible characters ('S01', 's01 ') are different people,
    with a warning naming them, since they may be one.
    Training on one and testing on the other would then not be
    subject-independent (the same data set twice scores 1.000).
    Subject ids are compared where either data set has person ids
    (:func:`~aufeat.evaluation.protocols.has_person_ids`: an id names several items),
    so a test set of one photo per person is checked against the people of training.
    Where neither has (every item its own subject: FER2013's ``fer00001, ...``, a
    folder's ``happy/001.png`` without a subject pattern) the ids name images, alike
    in every such data set, not people: they are not compared, and shared images are
    found by the image checks above.

    Returns
    -------
    list of str
        The warnings given (ids that look alike), for ``result.warnings``.

    Raises
    ------
    aufeat.exceptions.ProtocolError
        Naming how many test images overlap (with an example) and which subject
        ids are shared (the first few).

    Examples
    --------
    >>> import numpy as np
    >>> from aufeat.datasets import FaceDataset
    >>> a = FaceDataset(images=np.zeros((3, 8, 8), np.uint8), subject=["s1", "s1", "s2"],
    ...                 name="a")
    >>> check_cross_overlap(a, a)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    aufeat.exceptions.ProtocolError: 'a' and 'a' share 3 images ... and 2 subject ids (s1, s2)...
    """
    from aufeat.exceptions import ProtocolError

    n_images, example = _shared_images(dataset, target, X, target_X)
    names = getattr(dataset, "name", "dataset"), getattr(target, "name", "target")
    (ids, people), (t_ids, t_people) = _ids(dataset), _ids(target)
    compared = people or t_people
    subjects = sorted(set(ids) & set(t_ids)) if compared else []
    if not n_images and not subjects:
        note = cross_twins_note(list(ids.values()), list(t_ids.values()), *names) if compared \
            else None
        if note:
            from aufeat._warnings import warn

            warn(note)
        return [note] if note else []
    parts = []
    if n_images:
        parts.append(f"{n_images} image{'s' if n_images > 1 else ''} (e.g. {example})")
    if subjects:  # as training writes them, and the target where it is another number
        shown = ", ".join(ids[s] + ("" if _nfc(ids[s]) == _nfc(t_ids[s]) else
                                    f" ({t_ids[s]} in {names[1]!r})")
                          for s in subjects[:5]) + (", ..." if len(subjects) > 5 else "")
        parts.append(f"{len(subjects)} subject id{'s' if len(subjects) > 1 else ''} ({shown})")
    raise ProtocolError(
        f"{names[0]!r} and {names[1]!r} share {' and '.join(parts)}: training on one and "
        "testing on the other would not be subject-independent. Test on a data set of other "
        "people and images (if the ids name different people, give one data set distinct ids).")


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _ids(data) -> tuple[dict, bool]:
    """Map the subject ids of ``data`` by :func:`~._subject_ids.same_id` to a spelling of each.

    Also say whether it has person ids (:func:`~.protocols.has_person_ids`: an id
    that names several items).
    """
    spelled = {}
    for s in np.unique(np.asarray(data.subject).astype(str)).tolist():
        spelled.setdefault(same_id(s), s)
    return spelled, len(spelled) < len(data.subject)


def _image_keys(data, X) -> list[set]:
    """Per row, the keys under which two rows count as the same image."""
    def digest(*parts) -> str:
        h = hashlib.blake2b(digest_size=16)
        for part in parts:
            h.update(part if isinstance(part, bytes) else str(part).encode())
        return h.hexdigest()

    n = len(data.subject)
    keys: list[set] = [set() for _ in range(n)]
    paths = getattr(data, "paths", None)
    frames = getattr(data, "_video_frame", None)
    if paths is not None:
        files: dict[str, str] = {}
        for i, path in enumerate(paths):
            frame = -1 if frames is None else int(frames[i])
            resolved = os.path.realpath(path)
            if resolved not in files:
                with open(resolved, "rb") as handle:
                    files[resolved] = digest(handle.read())
            keys[i] |= {("path", resolved, frame), ("bytes", files[resolved], frame)}
    elif getattr(data, "in_memory", False):
        for i in range(n):
            pixels = np.ascontiguousarray(data[i])
            keys[i].add(("pixels", digest(pixels.dtype.str, pixels.shape, pixels.tobytes())))
    if X is not None:
        for i, key in enumerate(_feature_keys(X)):
            if key is not None:
                keys[i].add(("features", key))
    return keys


def _feature_keys(X) -> list:
    """Per row of ``X``, a digest of its features; None where the row tells no image.

    A constant row (all values equal) says nothing of its image: every unaligned crop
    has the same all-zero geometry row, every uniform crop the same HOG row; a row with
    NaN is an image without a face.
    """
    X = np.asarray(X)
    flat = X.reshape(len(X), -1)
    varied = np.isfinite(flat).all(axis=1) & (flat != flat[:, :1]).any(axis=1)
    keys = []
    for row, ok in zip(X, varied, strict=True):
        if ok:
            h = hashlib.blake2b(X.dtype.str.encode(), digest_size=16)
            h.update(np.ascontiguousarray(row).tobytes())
        keys.append(h.hexdigest() if ok else None)
    return keys


def _shared_images(dataset, target, X, target_X) -> tuple[int, str]:
    """Return how many test rows repeat a training image, and an example."""
    train = {}
    for i, row in enumerate(_image_keys(dataset, X)):
        for key in row:
            train.setdefault(key, i)
    count, example = 0, ""
    for j, row in enumerate(_image_keys(target, target_X)):
        hits = [train[key] for key in row if key in train]
        if hits:
            count += 1
            example = example or f"{_describe(target, j)} is {_describe(dataset, hits[0])}"
    return count, example


def _describe(data, i: int) -> str:
    paths = getattr(data, "paths", None)
    if paths is None:
        return f"image #{i} of {data.name!r}"
    frames = getattr(data, "_video_frame", None)  # a video's frame: which one
    frame = -1 if frames is None else int(frames[i])
    return str(paths[i]) + (f" frame {frame}" if frame >= 0 else "")


def fold_copies_note(X, folds, subjects) -> str | None:
    """Warn of tested rows whose features equal a training row's of their fold, or None.

    Folds keep people apart by subject id; the same image under two ids (a file copied
    or linked into another person's folder, FER2013's test images that repeat training
    images) is then on both sides, and scored as if unseen. Rows are compared by their
    features (equal for copies, links and lossless re-encodings; constant and NaN rows,
    which say nothing of the image, left out), so this costs one hash per row.
    """
    keys = _feature_keys(X)
    rows_of: dict = {}
    for i, key in enumerate(keys):
        if key is not None:
            rows_of.setdefault(key, []).append(i)
    twin = np.zeros(len(keys), bool)  # rows whose features another row has: maybe a copy
    for rows in rows_of.values():
        if len(rows) > 1:
            twin[rows] = True
    copies, example = set(), ""
    for train, test in folds if twin.any() else ():  # one pass per fold, over the twins only
        trained = np.zeros(len(keys), bool)
        trained[train] = True
        for j in np.asarray(test)[twin[test]]:
            seen = [i for i in rows_of[keys[j]] if trained[i]]
            if seen:
                copies.add(int(j))
                example = example or (f"e.g. an image of {str(subjects[j])!r} tested is "
                                      f"one of {str(subjects[seen[-1]])!r} trained on")
    if not copies:
        return None
    note = (f"{len(copies)} tested image(s) have the features of a training image of their "
            f"fold under another subject id ({example}): the same image under two ids (a "
            "copy, a link, a data set's repeated images) is scored as if unseen; remove the "
            "copies, or give each image one subject id")
    from aufeat._warnings import warn

    warn(note)
    return note
