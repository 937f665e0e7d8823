"""align_face(mask=True) refuses 5 landmarks, as FaceAligner(landmarks=5, mask=True) does.

The hull of 5 points (eye corners, nose base) kept an eye-nose triangle, about 5% of the
crop: mouth, brows and cheeks were blacked out with no error.
"""
import numpy as np
import pytest
from skimage import data

from aufeat.face import FaceAligner, align_face, detect_faces, predict_landmarks


@pytest.fixture(scope="module")
def astronaut():
    image = data.astronaut()
    box = detect_faces(image)[0]
    return image, predict_landmarks(image, box, model=5), predict_landmarks(image, box)


def test_mask_with_five_points_is_refused_as_the_aligner_refuses_it(astronaut):
    image, five, _ = astronaut
    with pytest.raises(ValueError, match="mask=True needs landmarks=68"):
        FaceAligner(landmarks=5, mask=True).align(image)
    # align_face takes landmarks, not a landmarks= count: its message says how many it got
    with pytest.raises(ValueError, match="mask=True needs 68 landmarks, got 5"):
        align_face(image, five, size=64, mask=True)
    with pytest.raises(ValueError, match="mask=True needs 68 landmarks, got 5"):
        align_face(image, five, size=64, mask=np.True_)


def test_five_points_without_mask_and_68_with_it_still_align(astronaut):
    image, five, sixty_eight = astronaut
    assert align_face(image, five, size=64).image.shape == (64, 64, 3)
    masked = align_face(image, sixty_eight, size=64, mask=True).image
    assert 0.3 < masked.any(axis=2).mean() < 0.9  # the face kept, the corners black
