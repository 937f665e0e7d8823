"""faces='largest' does not take a weak detection over a much higher-scoring face."""

import cv2
import numpy as np
import pytest

from aufeat.face import FaceAligner, FaceBox, detect_faces
from aufeat.face._candidates import ranked_candidates


@pytest.fixture(scope="module")
def patch_frame(tmp_path_factory, astronaut):
    """Frame 3 of an MJPG video of the astronaut: HOG finds the mission patch too.

    The patch's box is larger than the face's and its landmarks fit a face shape,
    but it scores ~0.05 against the face's ~1.57.
    """
    path = tmp_path_factory.mktemp("patch") / "late.avi"
    frame = cv2.cvtColor(astronaut, cv2.COLOR_RGB2BGR)
    blank = np.full_like(frame, 90)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25, (512, 512))
    assert writer.isOpened()
    for image in [blank] * 3 + [frame] * 4 + [blank] * 3:
        writer.write(image)
    writer.release()
    capture = cv2.VideoCapture(str(path))
    for _ in range(4):
        ok, image = capture.read()
        assert ok
    capture.release()
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


@pytest.mark.parametrize("landmarks", [68, 5])
def test_the_real_face_wins_over_a_larger_weak_false_detection(patch_frame, landmarks):
    boxes = detect_faces(patch_frame)
    assert len(boxes) == 2
    weak, face = boxes  # largest first: the patch
    assert weak.score < 0.3
    assert face.score > 4 * weak.score
    record = FaceAligner(size=64, landmarks=landmarks).align(patch_frame)
    assert record.success
    assert record.box == face
    assert record.face_index == 1


def test_only_a_weak_box_beside_a_far_stronger_one_is_tried_later():
    big, mid, small = (FaceBox(0, 0, s, s, score) for s, score in
                       ((90, 0.1), (80, 0.45), (70, 0.2)))
    assert [i for i, _ in ranked_candidates([big, mid, small])] == [1, 2, 0]  # 0.45 > 4 x 0.1
    assert [i for i, _ in ranked_candidates([big, small])] == [0, 1]  # 0.2: not 4x
    strong = FaceBox(0, 0, 90, 90, 0.35)  # not weak, whatever scored higher
    assert [i for i, _ in ranked_candidates([strong, FaceBox(0, 0, 9, 9, 2.0)])] == [0, 1]
    nan = FaceBox(0, 0, 90, 90)  # no detector ran
    assert [i for i, _ in ranked_candidates([nan])] == [0]
    four = [FaceBox(0, 0, 90 - i, 90 - i, 1.0) for i in range(4)]
    assert [i for i, _ in ranked_candidates(four)] == [0, 1, 2]  # the three largest only
