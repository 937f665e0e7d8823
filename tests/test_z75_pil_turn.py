"""A PIL image is turned by its EXIF orientation only while its pixels are as the file stores them.

An image the user turned (``transpose``/``rotate`` keep the EXIF tag) was turned a second
time; an orientation held only in XMP turned the PIL image but not the file; and a 16-bit
PGM's 'I' pixels were uint16 from ``Image.open`` but int32 from its ``copy()``.
"""

import numpy as np
import pytest
from PIL import Image, ImageOps, PngImagePlugin

from aufeat import extract_gabor
from aufeat._pil_pixels import pil_pixels
from aufeat.io import read_image


def _picture(rng):
    blocks = rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)
    return np.kron(blocks, np.ones((4, 4, 1), np.uint8))  # 80 x 120, JPEG keeps it nearly


@pytest.mark.parametrize(("fmt", "ext"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
@pytest.mark.parametrize("turn", [lambda im: im.transpose(Image.Transpose.ROTATE_270),
                                  lambda im: im.rotate(-90, expand=True)])
def test_an_image_the_user_turned_upright_is_not_turned_again(tmp_path, rng, fmt, ext, turn):
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / f"x.{ext}"
    options = {"quality": 95} if fmt == "JPEG" else {"lossless": True} if fmt == "WEBP" else {}
    Image.fromarray(_picture(rng)).save(path, fmt, exif=exif.tobytes(), **options)
    by_path = read_image(path)
    assert by_path.shape[:2] == (120, 80)
    with Image.open(path) as image:
        turned = turn(image)
        assert turned.getexif().get(0x0112) == 6  # Pillow keeps the tag
        np.testing.assert_array_equal(pil_pixels(turned), by_path)


@pytest.mark.parametrize(("fmt", "ext"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_an_orientation_only_in_xmp_turns_neither_file_nor_pil_image(tmp_path, rng, fmt, ext):
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
           b'02/22-rdf-syntax-ns#"><rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/"'
           b' tiff:Orientation="6"/></rdf:RDF></x:xmpmeta>')
    path = tmp_path / f"x.{ext}"
    options = {"quality": 95} if fmt == "JPEG" else {"lossless": True} if fmt == "WEBP" else {}
    Image.fromarray(_picture(rng)).save(path, fmt, xmp=xmp, **options)
    by_path = read_image(path)
    with Image.open(path) as image:
        np.testing.assert_array_equal(pil_pixels(image), by_path)
    assert by_path.shape[:2] == (80, 120)



@pytest.mark.parametrize(("fmt", "ext"), [("PNG", "png"), ("WEBP", "webp")])
def test_an_exif_block_without_orientation_leaves_xmp_orientation_unread(tmp_path, rng, fmt,
                                                                         ext):
    """An EXIF block naming only the camera, and the turn in XMP: the file reader read the
    XMP turn through Pillow's ``getexif`` fallback, the PIL image was not turned."""
    exif = Image.Exif()
    exif[0x010F] = "camera"  # Make, no orientation
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
           b'02/22-rdf-syntax-ns#"><rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/"'
           b' tiff:Orientation="6"/></rdf:RDF></x:xmpmeta>')
    path = tmp_path / f"x.{ext}"
    if fmt == "PNG":  # Pillow's PNG writer takes XMP as an iTXt chunk only
        text = PngImagePlugin.PngInfo()
        text.add_itxt("XML:com.adobe.xmp", xmp.decode())
        options = {"pnginfo": text}
    else:
        options = {"lossless": True, "xmp": xmp}
    picture = _picture(rng)
    Image.fromarray(picture).save(path, fmt, exif=exif.tobytes(), **options)
    with Image.open(path) as image:
        by_pil = pil_pixels(image)
    with Image.open(path) as image:
        image.load()  # a PNG's chunks after its pixels
        assert image.getexif().get(0x0112) == 6  # Pillow's fallback reads the XMP turn
    by_path = read_image(path)
    np.testing.assert_array_equal(by_path, picture)
    np.testing.assert_array_equal(by_pil, by_path)


@pytest.fixture
def pgm16(tmp_path, astronaut):
    grey = astronaut[20:260, 100:340].mean(axis=2)
    samples = np.rint(grey / 255 * 65535).astype(">u2")
    path = tmp_path / "face.pgm"
    path.write_bytes(b"P5\n240 240\n65535\n" + samples.tobytes())
    return path


@pytest.mark.parametrize("derive", [lambda im: im.copy(), lambda im: im.crop((0, 0, 240, 240)),
                                    ImageOps.exif_transpose])
def test_a_16_bit_pgm_derived_image_is_read_as_the_opened_one(pgm16, derive):
    with Image.open(pgm16) as image:
        opened = pil_pixels(image)
    with Image.open(pgm16) as image:
        derived = derive(image)
        assert derived.mode == "I"
        pixels = pil_pixels(derived)
    assert pixels.dtype == opened.dtype == np.uint16
    np.testing.assert_array_equal(pixels, read_image(pgm16))
    with Image.open(pgm16) as image:
        np.testing.assert_array_equal(extract_gabor(derive(image)),
                                      extract_gabor(read_image(pgm16)))
