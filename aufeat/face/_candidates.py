"""Which detections ``FaceAligner(faces='largest')`` tries, and in which order.

The three largest, largest first; a weak one (score under 0.3) is tried last
when another of them scored over 4 times higher. dlib's HOG detector now and
then reports a larger false face (a badge, a pattern) scoring ~0.05 beside the
real one scoring over 1, and its landmarks may fit a face shape well enough:
neither the area nor the fit check tells them apart, the score does.
"""

from __future__ import annotations

from .detect import FaceBox

__all__ = ["ranked_candidates"]

#: faces='largest' tries at most this many detections, largest first.
MAX_CANDIDATES = 3
#: A detection scoring under this is weak ...
WEAK_SCORE = 0.3
#: ... and is tried last when another candidate scored more than this many times higher.
SCORE_RATIO = 4.0


def ranked_candidates(boxes: list[FaceBox]) -> list[tuple[int, FaceBox]]:
    """Return ``(index, box)`` of the boxes to try, in the order to try them.

    ``boxes`` are largest first (as :func:`detect_faces` returns them); the index is
    each box's place there. Boxes without a score (NaN: no detector ran) are never weak.

    Examples
    --------
    >>> patch, face = FaceBox(0, 0, 104, 104, 0.05), FaceBox(0, 0, 87, 87, 1.57)
    >>> [index for index, _ in ranked_candidates([patch, face])]
    [1, 0]
    """
    candidates = list(enumerate(boxes[:MAX_CANDIDATES]))
    scores = [box.score for box in boxes[:MAX_CANDIDATES]]

    def weak(box: FaceBox) -> bool:
        return box.score < WEAK_SCORE and any(s > SCORE_RATIO * box.score for s in scores)

    return ([c for c in candidates if not weak(c[1])]
            + [c for c in candidates if weak(c[1])])
