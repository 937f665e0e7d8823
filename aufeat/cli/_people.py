"""Which faces of a video's frames are one person, for ``aufeat predict``'s normalisation.

``aufeat predict`` predicts a video's frames together, and a model that normalises per
person (``normalize='person'``, or ``'auto'`` where it chose so) centres each person's
faces on that person. A face's rank in its frame (0: the largest) is no person: when a
larger face comes in, the face followed so far becomes face 1, and it was normalised
with the newcomer's faces (the same pixels were labelled anger, then neutral). Here each
face joins the person whose face overlapped it most in the last frame that person was
seen (intersection over union of their boxes, at least :data:`MIN_OVERLAP`), or starts
a new person; a still image's faces are one person each.
"""

from __future__ import annotations

import itertools

import numpy as np

__all__ = ["MIN_OVERLAP", "link_people", "people_of"]

#: The least intersection over union of two boxes that makes them one person's face.
MIN_OVERLAP = 0.3


def _overlap(a, b) -> float:
    """Intersection over union of boxes ``(left, top, right, bottom)``."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def link_people(frames) -> list[list[int]]:
    """Return a person number for each face of each frame.

    Parameters
    ----------
    frames : sequence of lists of boxes
        One list per frame, in frame order; in it, each face's box ``(left, top,
        right, bottom)``, largest face first (the first claims its person first).

    Examples
    --------
    A face followed while a larger one comes in beside it, then alone again:

    >>> link_people([[(0, 0, 10, 10)], [(50, 50, 80, 80), (1, 0, 11, 10)], [(2, 0, 12, 10)]])
    [[0], [1, 0], [0]]
    """
    last: list = []  # each person's box, in the last frame they were seen
    people = []
    for boxes in frames:
        free, ids = set(range(len(last))), []
        for box in boxes:
            scores = {p: _overlap(box, last[p]) for p in free}
            person = max(scores, key=scores.get, default=None)
            if person is None or scores[person] < MIN_OVERLAP:
                person = len(last)
                last.append(box)
            else:
                free.discard(person)
                last[person] = box
            ids.append(person)
        people.append(ids)
    return people


def _box(record):
    """Return the image box of an aligned face: its detection's, else around its landmarks."""
    if record.box is not None:
        return tuple(record.box[:4])
    points = np.asarray(record.image_landmarks)
    return (*points.min(axis=0), *points.max(axis=0))


def people_of(found) -> np.ndarray:
    """Person numbers of ``aufeat predict``'s ``[(frame, rank, record), ...]``, frame by frame."""
    frames = [[_box(record) for *_, record in faces]
              for _, faces in itertools.groupby(found, key=lambda face: face[0])]
    return np.array([person for ids in link_people(frames) for person in ids])
