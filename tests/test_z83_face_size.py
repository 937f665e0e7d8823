"""Landmarks and geometry of a face do not depend on its size in pixels.

``predict_landmarks(refine='auto')`` refits only faces with a jaw span under 70 px;
dlib's first fit of a face filling its image (a tight crop, as CK+ and FER2013 give)
is biased, so a 2x copy of a crop gave geometry up to 0.1 jaw spans away. FaceAligner
always refits.
"""

import cv2
import numpy as np
import pytest
from skimage import data

from aufeat.estimators import GeometryExtractor
from aufeat.face import FaceAligner, detect_faces
from aufeat.face.align import canonical_pose


@pytest.fixture(scope="module")
def tight_crop():
    """The astronaut's face cut at dlib's detection box: the face fills the image."""
    image = data.astronaut()
    box = detect_faces(image)[0]
    return image[int(box.top):int(box.bottom) + 1, int(box.left):int(box.right) + 1]


def _jaw_span(image) -> float:
    record = FaceAligner(detect=False).align(image)
    return canonical_pose(record.image_landmarks)[0]


@pytest.mark.parametrize("detect", [False, "auto"])
def test_geometry_of_a_crop_does_not_depend_on_its_size(tight_crop, detect):
    small = cv2.resize(tight_crop, (56, 56), interpolation=cv2.INTER_AREA)
    large = cv2.resize(tight_crop, (128, 128), interpolation=cv2.INTER_CUBIC)
    assert _jaw_span(small) < 65 < 80 < _jaw_span(large)  # either side of 70 px
    features = GeometryExtractor(detect=detect).transform([small, large])
    assert not np.isnan(features).any()
    assert np.abs(features[0] - features[1]).max() < 0.03


def test_aligned_landmarks_do_not_depend_on_the_crop_size(tight_crop):
    aligner = FaceAligner(size=112, detect=False)
    small = aligner.align(cv2.resize(tight_crop, (56, 56), interpolation=cv2.INTER_AREA))
    large = aligner.align(cv2.resize(tight_crop, (128, 128), interpolation=cv2.INTER_CUBIC))
    assert small.source == large.source == "crop"
    # the crops' landmarks, in pixels of the same 112-px canonical frame
    assert np.abs(small.landmarks - large.landmarks).max() < 0.03 * 112 * aligner.scale
