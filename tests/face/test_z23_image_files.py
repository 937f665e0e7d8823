"""Image files OpenCV decodes but whose header it misreads or ignores: damaged EXIF blocks,
AVIF orientation (irot/imir) and images over OpenCV's pixel limit."""

import io
import struct
import zlib

import numpy as np
import pytest

from aufeat.io import UnreadableFileError, read_image


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def _png(image) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_damaged_exif_block_leaves_the_pixels_as_stored(tmp_path, astronaut):
    exif = b"MM\x00*\x00\x00"  # a TIFF header cut short: Pillow raises struct.error
    image = np.ascontiguousarray(astronaut[:30, :40])
    png = _png(image)
    path = tmp_path / "photo.png"
    path.write_bytes(png[:33] + _chunk(b"eXIf", exif) + png[33:])  # after IHDR
    np.testing.assert_array_equal(read_image(path), image)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_avif_is_turned_upright_by_its_orientation(tmp_path, orientation):
    from PIL import Image, ImageOps, features

    if not features.check("avif"):
        pytest.skip("Pillow without AVIF")
    stored = np.zeros((40, 60, 3), np.uint8)  # not square: a sideways read has the wrong shape
    stored[:20, :20] = (255, 0, 0)
    stored[30:, 40:] = (0, 0, 255)
    exif = Image.Exif()
    exif[0x0112] = orientation  # Pillow stores it as the AVIF's irot/imir boxes
    path = tmp_path / "photo.avif"
    Image.fromarray(stored).save(path, exif=exif, quality=100)
    shown = np.asarray(ImageOps.exif_transpose(Image.open(path)).convert("RGB"))  # as viewers
    read = read_image(path)[..., :3]
    assert read.shape == shown.shape
    assert np.abs(read.astype(int) - shown).mean() < 8  # lossy coding only


def test_an_image_over_opencvs_pixel_limit_says_so(tmp_path):
    # a valid 1-bit PNG of 40000 x 30000 pixels (1.2e9 > 2^30), written row by row
    width, height = 40000, 30000
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * (width // 8)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    path = tmp_path / "huge.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data)
                     + _chunk(b"IEND", b""))
    with pytest.raises(UnreadableFileError, match=r"40000 x 30000 pixels.*OPENCV_IO_MAX_IMAGE"):
        read_image(path)
