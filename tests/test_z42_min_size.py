"""``detect_faces(min_size=m)`` keeps a face whose box is m pixels or larger.

The image was shrunk so that an m-pixel face met an 80-pixel window, but dlib's HOG
boxes step by 6/5 from 72 pixels: such a face was boxed 72 there, 0.9 m back in the
image, and dropped as smaller than m.
"""

import cv2
import numpy as np
import pytest

from aufeat.datasets import make_synthetic_faces
from aufeat.face import FaceAligner, detect_faces


@pytest.fixture(scope="module")
def faces(astronaut):
    synthetic = make_synthetic_faces(n_subjects=3, n_per_subject=1, size=400,
                                     random_state=5).load_images()
    return [*synthetic, cv2.resize(astronaut[0:300, 80:380], (400, 400))]


@pytest.mark.parametrize("side", [240, 300, 340, 400])
def test_a_face_as_large_as_min_size_is_kept(faces, side):
    for face in faces:
        image = cv2.resize(face, (side, side), interpolation=cv2.INTER_AREA)
        found = detect_faces(image, upsample=0)
        if not found:
            continue
        box = max(found[0].width, found[0].height)
        for ratio in (0.6, 0.8, 0.9, 0.95, 1.0):
            kept = detect_faces(image, min_size=box * ratio)
            assert kept, (side, box, ratio)
            assert min(max(b.width, b.height) for b in kept) >= box * ratio * (1 - 1e-9)


def test_the_aligner_keeps_a_face_as_large_as_min_size(faces):
    image = cv2.resize(faces[2], (340, 340), interpolation=cv2.INTER_AREA)
    box = detect_faces(image, upsample=0)[0]
    record = FaceAligner(size=48, min_size=box.width, on_missing="nan").align(image)
    assert record.success


def test_far_smaller_faces_are_still_dropped(faces):
    image = cv2.resize(faces[0], (300, 300), interpolation=cv2.INTER_AREA)
    box = detect_faces(image, upsample=0)[0]
    assert detect_faces(image, min_size=1.5 * box.width) == []
    assert np.isfinite(box.score)
