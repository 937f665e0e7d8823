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

__all__ = ["check_cross_overlap"]


def check_cross_overlap(dataset, target, X=None, target_X=None) -> None:
    """Refuse a cross-data-set evaluation whose test data shares images or people with training.

    Two data sets overlap when they hold the same image (the same resolved
    file, the same file bytes, the same pixels for data held in memory, or,
    when features are given, the same feature row, unless that row is constant,
    as the all-zero geometry row of every unaligned crop is) or the same subject id
    (compared as text in Unicode form NFC: 'José' typed as one character or as 'e' and
    an accent, as macOS writes file names, is one id).
    Training on one and testing on the other would then not be
    subject-independent (the same data set twice scores 1.000).
    Subject ids are compared where either data set has person ids
    (:func:`~aufeat.evaluation.protocols.has_person_ids`: an id names several items),
    so a test set of one photo per person is checked against the people of training.
    Where neither has (every item its own subject: FER2013's ``fer00001, ...``, a
    folder's ``happy/001.png`` without a subject pattern) the ids name images, alike
    in every such data set, not people: they are not compared, and shared images are
    found by the image checks above.

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
    from aufeat.evaluation.protocols import has_person_ids
    from aufeat.exceptions import ProtocolError

    n_images, example = _shared_images(dataset, target, X, target_X)
    ids = [_nfc(dataset.subject), _nfc(target.subject)]
    subjects = sorted(set(ids[0]) & set(ids[1])) if any(map(has_person_ids, ids)) else []
    if not n_images and not subjects:
        return
    parts = []
    if n_images:
        parts.append(f"{n_images} image{'s' if n_images > 1 else ''} (e.g. {example})")
    if subjects:
        shown = ", ".join(subjects[:5]) + (", ..." if len(subjects) > 5 else "")
        parts.append(f"{len(subjects)} subject id{'s' if len(subjects) > 1 else ''} ({shown})")
    raise ProtocolError(
        f"{getattr(dataset, 'name', 'dataset')!r} and {getattr(target, 'name', 'target')!r} "
        f"share {' and '.join(parts)}: training on one and testing on the other would not be "
        "subject-independent. Test on a data set of other people and images (if the ids "
        "name different people, give one data set distinct ids).")


def _nfc(subjects) -> list[str]:
    """Return the subject ids (one per row) as text, in Unicode form NFC."""
    return [unicodedata.normalize("NFC", s) for s in np.asarray(subjects).astype(str).tolist()]


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
        X = np.asarray(X)
        flat = X.reshape(len(X), -1)
        # A constant row (all values equal) says nothing of its image: every unaligned
        # crop has the same all-zero geometry row, every uniform crop the same HOG row.
        varied = np.isfinite(flat).all(axis=1) & (flat != flat[:, :1]).any(axis=1)
        for i in np.flatnonzero(varied):
            row = np.ascontiguousarray(X[i])
            keys[i].add(("features", digest(row.dtype.str, row.tobytes())))
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
    return str(paths[i]) if paths is not None else f"image #{i} of {data.name!r}"
