"""Second look SL29, F1: ``canonical_faces`` checked a record's shape only.

A grey 48x48 68-point record of ``FaceAligner(size=48, gray=True)`` (default scale 0.7,
the canonical 0.9: a face 0.78x the size) was stacked without a word, its features not
those of the canonical face. Records whose landmarks are not where ``face_aligner()``
puts the canonical face are now refused; every record ``face_aligner()`` gives (detected,
declared crop, badly fitting, unaligned, missing) is still stacked.
"""

import cv2
import numpy as np
import pytest

from aufeat.estimators.feature_sets import canonical_faces, face_aligner
from aufeat.exceptions import InvalidImageError
from aufeat.face import FaceAligner


@pytest.fixture(scope="module")
def face_crop(tmp_path_factory, astronaut):
    """The astronaut's face as a declared crop file (grey PNG)."""
    path = tmp_path_factory.mktemp("sl29") / "face.png"
    assert cv2.imwrite(str(path), cv2.cvtColor(astronaut[20:230, 140:300], cv2.COLOR_RGB2GRAY))
    return path


@pytest.mark.parametrize("options", [{}, {"mask": True}, {"border": "replicate",
                                                            "antialias": True}])
def test_canonical_faces_refuses_a_48px_grey_record_of_another_scale(astronaut, options):
    other = FaceAligner(size=48, gray=True, **options).align(astronaut)  # scale 0.7
    assert other.image.shape == (48, 48)
    assert other.landmarks.shape == (68, 2)
    records = [face_aligner().align(astronaut), other]
    with pytest.raises(InvalidImageError,
                       match=r"^records\[1\]: its landmarks are not where face_aligner\(\) puts "
                             r"the canonical face .*: its face is 0\.78x that size, .*"
                             r"align the images with face_aligner\(\)$"):
        canonical_faces(records)


def test_canonical_faces_stacks_every_record_face_aligner_gives(astronaut, face_crop, rng):
    noise = rng.integers(0, 256, (90, 70), dtype=np.uint8)  # a poor fit, aligned all the same
    records = [face_aligner().align(astronaut),
               *face_aligner(crops=True).align_images([face_crop, np.zeros((64, 64))]),
               face_aligner(crops=True).set_params(detect=False, crop_fit_error=1e-9)
               .align(face_crop),
               face_aligner(crops=True).set_params(detect=False, crop_fit_error=9.0)
               .align(noise),
               FaceAligner(size=48, scale=0.9, gray=True).align(astronaut)]  # same template
    assert [r.source for r in records] == ["detected", "detected", "none", "unaligned",
                                           "crop", "detected"]
    faces, landmarks = canonical_faces(records)
    assert faces.shape == (6, 48, 48)
    assert np.isnan(faces[2]).all()
    assert np.isnan(landmarks[[2, 3]]).all()
    assert np.isfinite(landmarks[[0, 1, 4, 5]]).all()
