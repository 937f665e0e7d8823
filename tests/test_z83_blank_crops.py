"""FaceFeatures(crops=True) keeps every declared crop but a blank one, as its docstring says."""

import cv2
import numpy as np
from skimage import data

from aufeat.estimators import FaceFeatures
from aufeat.face import detect_faces


def test_only_blank_crops_give_rows_of_nan():
    image = data.astronaut()
    box = detect_faces(image)[0]
    crop = image[int(box.top):int(box.bottom) + 1, int(box.left):int(box.right) + 1]
    face = cv2.resize(cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY), (48, 48),
                      interpolation=cv2.INTER_AREA)
    noise = np.random.default_rng(0).integers(0, 256, (48, 48), dtype=np.uint8)
    grey_card = np.full((48, 48), 128, np.uint8)
    X = FaceFeatures("geometry", crops=True, detector="hog").fit_transform(
        [face, noise, grey_card])
    assert np.isnan(X).all(axis=1).tolist() == [False, False, True]
    assert "except blank (one-colour) images" in " ".join(FaceFeatures.__doc__.split())
