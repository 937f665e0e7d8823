"""PIL 'La' (grey with premultiplied alpha) images are read as grey+alpha.

PIL converts 'La' to nothing but 'LA': :func:`aufeat._pil_pixels.pil_pixels` goes
through 'LA' to RGBA, so the face functions and the extractors read such an image
as they read the same picture in 'LA', not with PIL's bare ValueError.
"""

import numpy as np
import pytest
from PIL import Image

import aufeat
from aufeat._pil_pixels import pil_pixels
from aufeat.face import FaceAligner, detect_faces


@pytest.fixture(scope="module")
def pictures(astronaut):
    head = np.ascontiguousarray(astronaut[20:260, 100:340])
    la = Image.fromarray(head).convert("LA")  # opaque: premultiplying changes nothing
    return la, la.convert("La")


def test_la_pixels_are_the_la_image_s(pictures):
    la, premultiplied = pictures
    assert premultiplied.mode == "La"
    assert np.array_equal(pil_pixels(premultiplied), pil_pixels(la))
    assert pil_pixels(premultiplied).shape == (240, 240, 4)


def test_translucent_la_is_unpremultiplied(pictures):
    la, _ = pictures
    grey = np.asarray(la)[..., 0]
    alpha = np.tile(np.linspace(40, 255, 240).astype(np.uint8), (240, 1))
    translucent = Image.fromarray(np.dstack([grey, alpha]), "LA")
    pixels = pil_pixels(translucent.convert("La"))
    assert np.array_equal(pixels[..., 3], alpha)
    assert np.abs(pixels[..., 0].astype(int) - grey).max() <= 8  # premultiplied rounding


def test_the_face_functions_read_an_la_image(pictures):
    la, premultiplied = pictures
    [expected] = detect_faces(la)
    [box] = detect_faces(premultiplied)
    assert np.array_equal(box[:4], expected[:4])
    aligner = FaceAligner(size=48, on_missing="nan")
    record, reference = aligner.align(premultiplied), aligner.align(la)
    assert record.success
    assert np.array_equal(record.image, reference.image)


def test_the_extractors_read_an_la_image(pictures):
    la, premultiplied = pictures
    got = aufeat.extract_hog([premultiplied], pixels_per_cell=(16, 16))
    assert np.array_equal(got, aufeat.extract_hog([la], pixels_per_cell=(16, 16)))
