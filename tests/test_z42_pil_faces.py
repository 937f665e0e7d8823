"""The face package reads PIL images as the extractors do: palette and CMYK by colour.

``np.asarray`` of a palette ('P', as GIFs open) image gives its index numbers, of a CMYK
one its ink channels: the face was lost (success=False, no box). They go through the
extractors' conversion (:func:`aufeat._pil_pixels.pil_pixels`) first.
"""

import numpy as np
import pytest
from PIL import Image

from aufeat.face import FaceAligner, detect_faces, predict_landmarks


@pytest.fixture(scope="module")
def head(astronaut):
    return np.ascontiguousarray(astronaut[20:260, 100:340])


MODES = {
    "P": lambda im: im.convert("P", palette=Image.Palette.ADAPTIVE),
    "CMYK": lambda im: im.convert("CMYK"),
    "LA": lambda im: im.convert("LA"),
    "1": lambda im: im.convert("L").point(lambda v: 255 * (v > 100)).convert("1"),
}


@pytest.mark.parametrize("mode", ["P", "CMYK", "LA"])
def test_a_pil_image_of_any_mode_finds_the_face(head, mode):
    pil = MODES[mode](Image.fromarray(head))
    [expected] = detect_faces(np.asarray(pil.convert("RGB")))
    [box] = detect_faces(pil)
    assert np.allclose(box[:4], expected[:4], atol=2)
    aligner = FaceAligner(size=64, on_missing="nan")
    record = aligner.align(pil)
    assert record.success
    assert record.image.shape[:2] == (64, 64)
    batch = aligner.align_batch([pil, pil])
    assert batch.success.all()
    points = predict_landmarks(pil, box)
    assert np.isfinite(points).all()


def test_a_palette_image_gives_the_crop_of_its_colours(head):
    pil = MODES["P"](Image.fromarray(head))
    aligner = FaceAligner(size=64, on_missing="nan")
    assert np.array_equal(aligner.align(pil).image,
                          aligner.align(np.asarray(pil.convert("RGB"))).image)


def test_a_one_bit_image_is_read_as_8_bit_grey(head):
    pil = MODES["1"](Image.fromarray(head))
    aligner = FaceAligner(size=64, detect=False, on_missing="nan")
    ours = aligner.align(pil)
    assert ours.image.dtype == np.uint8
    assert set(np.unique(ours.image)) <= set(range(256))
    assert np.array_equal(ours.image, aligner.align(np.asarray(pil.convert("L"))).image)
