"""A PIL image gives the pixels read_image gives for its file: upright, and 16-bit PGMs too.

pil_pixels never looked at the EXIF orientation, so ``FaceAligner().align(Image.open(p))``
of a phone photo stored sideways found no face where ``align(p)`` found it; and Pillow
opens a 16-bit PGM in mode 'I' (int32), which was refused where the path is read.
"""

import cv2
import numpy as np
import pytest
from PIL import Image, ImageOps

from aufeat import extract_hog
from aufeat._pil_pixels import pil_pixels
from aufeat.face import detect_faces
from aufeat.io import read_image

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "TIFF": "tif"}


def _save(path, array, fmt, orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    options = {"quality": 95} if fmt == "JPEG" else {"lossless": True} if fmt == "WEBP" else {}
    Image.fromarray(array).save(path, fmt, exif=exif.tobytes(), **options)
    return path


@pytest.fixture
def picture(rng):
    """An 80x120 picture of 4x4 blocks (JPEG keeps it nearly as it is)."""
    blocks = rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)
    return np.kron(blocks, np.ones((4, 4, 1), np.uint8))


@pytest.mark.parametrize("orientation", [3, 6])
@pytest.mark.parametrize(("fmt", "mode"), [(fmt, mode) for fmt in FORMATS
                                           for mode in ("RGB", "L", "RGBA")
                                           if not (fmt == "JPEG" and mode == "RGBA")])
def test_a_pil_image_is_turned_as_its_file_is_read(tmp_path, picture, orientation, fmt, mode):
    array = {"RGB": picture, "L": picture[..., 0],
             "RGBA": np.dstack([picture, picture[..., :1]])}[mode]
    path = _save(tmp_path / f"x.{FORMATS[fmt]}", array, fmt, orientation)
    by_path = read_image(path)
    assert by_path.shape[:2] == ((120, 80) if orientation == 6 else (80, 120))
    with Image.open(path) as image:
        np.testing.assert_array_equal(pil_pixels(image), by_path)
    if fmt == "TIFF" and mode != "RGB" and orientation == 6:
        return  # Pillow's own loading (memory map) garbles these: pil_pixels loads them itself
    with Image.open(path) as image:  # turned by the user first: not turned again
        np.testing.assert_array_equal(pil_pixels(ImageOps.exif_transpose(image)), by_path)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_sideways_photo_given_as_pil_image_has_its_face_found(tmp_path, astronaut, fmt):
    head = np.ascontiguousarray(astronaut[20:260, 100:340])
    stored = np.ascontiguousarray(np.rot90(head, 1))  # as a phone stores a portrait photo
    path = _save(tmp_path / f"phone.{FORMATS[fmt]}", stored, fmt, 6)
    with Image.open(path) as image:
        assert len(detect_faces(image)) == len(detect_faces(read_image(path))) == 1
    with Image.open(path) as image:
        np.testing.assert_array_equal(extract_hog(image), extract_hog(read_image(path)))


@pytest.mark.parametrize("maxval", [1023, 65535])
def test_a_16_bit_pgm_given_as_pil_image_is_read_as_its_file(tmp_path, astronaut, maxval):
    grey = cv2.cvtColor(np.ascontiguousarray(astronaut[20:260, 100:340]), cv2.COLOR_RGB2GRAY)
    samples = np.rint(grey / 255 * maxval).astype(">u2")
    path = tmp_path / "face.pgm"
    path.write_bytes(f"P5\n240 240\n{maxval}\n".encode() + samples.tobytes())
    with Image.open(path) as image:
        assert image.mode == "I"
        pixels = pil_pixels(image)
    assert pixels.dtype == np.uint16
    np.testing.assert_array_equal(pixels, read_image(path))
    with Image.open(path) as image:
        assert len(detect_faces(image)) == 1


def test_mode_i16_grey_is_kept_as_16_bits(tmp_path, rng):
    grey = rng.integers(0, 65536, (6, 9), dtype=np.uint16)
    cv2.imwrite(str(tmp_path / "g.png"), grey)
    with Image.open(tmp_path / "g.png") as image:
        np.testing.assert_array_equal(pil_pixels(image), read_image(tmp_path / "g.png"))


def test_int32_pixels_of_other_sources_are_left_to_the_integer_rules():
    image = Image.fromarray(np.array([[0, 70000]], np.int32))
    assert pil_pixels(image).dtype == np.int32  # not cut to 16 bits: refused where read
