"""Declared face crops of one flat colour are blank (no face), whatever the colour.

Blankness is measured per channel: a flat red or skin-toned placeholder tile differs
between its channels, not within them, and holds no face.
"""

import numpy as np
import pytest

from aufeat.face import FaceAligner
from aufeat.face._image import texture

COLOURS = [(0, 0, 0), (128, 128, 128), (255, 0, 0), (135, 206, 235), (224, 172, 105)]


@pytest.mark.parametrize("colour", COLOURS)
@pytest.mark.parametrize("detect", [False, "auto"])
def test_a_flat_colour_crop_is_missing(colour, detect):
    image = np.empty((64, 64, 3), np.uint8)
    image[:] = colour
    record = FaceAligner(size=48, detect=detect, on_missing="nan").align(image)
    assert not record.success
    assert record.source == "none"
    batch = FaceAligner(size=48, detect=detect, on_missing="nan").align_batch([image, image])
    assert not batch.success.any()
    assert np.isnan(batch.landmarks).all()


def test_a_flat_rgba_colour_and_a_float_one_are_missing():
    rgba = np.zeros((64, 64, 4), np.uint8)
    rgba[:] = (224, 172, 105, 255)
    floats = np.empty((64, 64, 3))
    floats[:] = (0.9, 0.1, 0.3)
    for image in (rgba, floats):
        assert not FaceAligner(size=48, detect=False, on_missing="nan").align(image).success


def test_a_declared_face_crop_is_still_aligned(astronaut):
    face = astronaut[30:180, 150:290]  # the face filling the crop
    record = FaceAligner(size=48, detect=False, on_missing="nan").align(face)
    assert record.success
    assert record.source == "crop"


def test_texture_is_the_largest_channel_std(rng):
    flat = np.empty((10, 10, 3), np.uint8)
    flat[:] = (255, 0, 0)
    assert texture(flat) == 0.0
    grey = rng.integers(0, 256, (10, 10), dtype=np.uint8)
    assert texture(grey) == pytest.approx(float(grey.std()))
    stripes = flat.copy()
    stripes[:, ::2, 1] = 100  # texture in one channel only
    assert texture(stripes) == pytest.approx(50.0)
    assert texture(flat[:0]) == 0.0
