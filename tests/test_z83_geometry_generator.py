"""GeometryExtractor.transform of a generator or map: one row per image, as for a list."""

import cv2
import numpy as np
from skimage import data

from aufeat.estimators import GeometryExtractor


def _images():
    face = cv2.resize(data.astronaut(), (256, 256), interpolation=cv2.INTER_AREA)
    return [face, np.ascontiguousarray(face[:, ::-1])]


def test_generator_gives_the_rows_of_the_list():
    images = _images()
    extractor = GeometryExtractor()
    expected = extractor.transform(images)
    assert expected.shape == (2, 136)
    assert not np.isnan(expected).any()
    np.testing.assert_array_equal(extractor.transform(im for im in images), expected)
    np.testing.assert_array_equal(extractor.transform(map(np.asarray, images)), expected)
