"""Image reading (review Z119): bit depths and an EXIF quirk that OpenCV and Pillow read apart.

F1: a 9- to 15-bit JPEG 2000, which OpenCV returns unscaled (0-4095 at 12 bits: nearly black),
is scaled by its white to 16 bits, as 10/12-bit AVIF and PGM are, and its PIL image gives the
same pixels. F2: a 12-bit TIFF's PIL image gives the pixels of its file (OpenCV shifts it to 16
bits). F5: a JPEG whose big-endian EXIF stores the orientation as a LONG is turned upright (it
was left as stored), and no other layout is turned twice. F3: valid files of a bit depth
OpenCV does not decode are refused naming it, not as damaged files.
"""

import io
import struct

import cv2
import numpy as np
import pytest
import tifffile
from PIL import Image

from aufeat._pil_pixels import pil_pixels
from aufeat.exceptions import UnreadableFileError
from aufeat.io import read_image

# ---------------------------------------------------------------------------------------------
# F1: JPEG 2000 of 9-15 bits


def _jp2_bytes(samples: np.ndarray, prec: int, raw: bool = False) -> bytes:
    """A lossless grey JPEG 2000 of precision ``prec`` whose samples decode to ``samples``.

    Pillow writes 16-bit grey only: the codestream is written at 16 bits, its declared
    precision (SIZ ``Ssiz``, and the JP2 ``ihdr`` box) then set to ``prec``, the DC level
    shift (2^(bits-1)) made up for in the values written.
    """
    buf = io.BytesIO()
    shifted = samples.astype(np.int64) + 2 ** 15 - 2 ** (prec - 1)
    Image.fromarray(shifted.astype(np.uint16)).save(buf, "JPEG2000", no_jp2=raw)
    data = bytearray(buf.getvalue())
    siz = data.find(b"\xff\x51")
    assert data[siz + 40] == 15  # 16 bits, unsigned
    data[siz + 40] = prec - 1
    if (ihdr := data.find(b"ihdr")) >= 0:
        assert data[ihdr + 14] == 15
        data[ihdr + 14] = prec - 1
    return bytes(data)


def _grey_samples(prec: int, seed: int = 0) -> np.ndarray:
    samples = np.random.default_rng(seed).integers(0, 2 ** prec, (12, 16))
    samples[:, :3] = 2 ** prec - 1  # a white band
    samples[:, 3] = 0
    return samples


@pytest.mark.parametrize("raw", [False, True], ids=["jp2", "j2k"])
@pytest.mark.parametrize("prec", [10, 12, 15])
def test_a_high_bit_jpeg_2000_is_scaled_by_its_white_to_16_bits(tmp_path, prec, raw):
    samples = _grey_samples(prec)
    path = tmp_path / ("grey.j2k" if raw else "grey.jp2")
    path.write_bytes(_jp2_bytes(samples, prec, raw))
    # the codestream holds the samples themselves (Pillow shifts them to 16 bits)
    with Image.open(path) as image:
        assert (np.asarray(image).astype(np.int64) >> (16 - prec) == samples).all()

    got = read_image(path)
    assert got.dtype == np.uint16
    # as a PGM of maxval 2^prec - 1 and a 10/12-bit AVIF: round(x / white * 65535)
    assert (got == np.rint(samples / (2 ** prec - 1) * 65535)).all()
    assert (got[:, :3] == 65535).all()
    assert (got[:, 3] == 0).all()
    as_uint8 = read_image(path, as_uint8=True)
    assert (as_uint8[:, :3] == 255).all()  # it was 16 at 12 bits: a nearly black picture
    assert abs(float(as_uint8.mean()) - float(samples.mean()) / (2 ** prec - 1) * 255) < 1


def test_a_12_bit_colour_jpeg_2000_is_scaled_to_16_bits(tmp_path):
    """OpenCV's (lossy) writer at 16 bits, its three components declared 12-bit."""
    rng = np.random.default_rng(3)
    bgr = rng.integers(0, 4096, (40, 48, 3)).astype(np.int64)
    ok, encoded = cv2.imencode(".jp2", (bgr + 2 ** 15 - 2 ** 11).astype(np.uint16))
    assert ok
    data = bytearray(encoded.tobytes())
    siz = data.find(b"\xff\x51")
    assert data[siz + 38:siz + 40] == b"\0\3"  # Csiz: 3 components
    for i in range(3):
        data[siz + 40 + 3 * i] = 11
    if (ihdr := data.find(b"ihdr")) >= 0:
        data[ihdr + 14] = 11
    path = tmp_path / "colour.jp2"
    path.write_bytes(bytes(data))
    stored = cv2.imdecode(np.frombuffer(bytes(data), np.uint8), cv2.IMREAD_UNCHANGED)
    assert stored.dtype == np.uint16
    assert 4000 < stored.max() <= 4095  # OpenCV: the 12-bit samples, as stored

    got = read_image(path)
    assert got.dtype == np.uint16
    assert got.shape == (40, 48, 3)
    assert (got == np.rint(stored[..., ::-1] / 4095 * 65535)).all()  # white: 65535


def test_a_16_bit_jpeg_2000_is_read_as_stored(tmp_path):
    samples = _grey_samples(16)
    samples[:, 4] = 16  # no sample over 4095 would be needed to look 12-bit: still 16 bits
    path = tmp_path / "grey16.jp2"
    path.write_bytes(_jp2_bytes(samples, 16))
    assert (read_image(path) == samples).all()


@pytest.mark.parametrize("raw", [False, True], ids=["jp2", "j2k"])
@pytest.mark.parametrize("prec", [10, 12])
def test_a_high_bit_jpeg_2000_pil_image_gives_the_pixels_of_its_file(tmp_path, prec, raw):
    data = _jp2_bytes(_grey_samples(prec, seed=5), prec, raw)
    path = tmp_path / ("grey.j2k" if raw else "grey.jp2")
    path.write_bytes(data)
    from_file = read_image(path)
    assert np.array_equal(pil_pixels(Image.open(path)), from_file)
    assert np.array_equal(pil_pixels(Image.open(io.BytesIO(data))), from_file)
    loaded = Image.open(path)
    loaded.load()  # its file closed: the depth read from the file by name
    assert np.array_equal(pil_pixels(loaded), from_file)


# ---------------------------------------------------------------------------------------------
# F2: 12-bit TIFF as a PIL image


def _tiff_12bit(path, samples: np.ndarray) -> None:
    """Write uncompressed 12-bit MINISBLACK samples, packed two in three bytes."""
    height, width = samples.shape
    pixels = bytearray()
    for row in samples:
        for x, y in zip(row[::2].tolist(), row[1::2].tolist(), strict=True):
            pixels += bytes([x >> 4, ((x & 15) << 4) | (y >> 8), y & 255])
    tags = [(256, width), (257, height), (258, 12), (259, 1), (262, 1), (273, None),
            (277, 1), (278, height), (279, len(pixels))]
    start = 8 + 2 + 12 * len(tags) + 4
    ifd = b"".join(struct.pack("<HHII", tag, 4, 1, start if value is None else value)
                   for tag, value in tags)
    path.write_bytes(b"II*\0" + struct.pack("<IH", 8, len(tags)) + ifd + b"\0\0\0\0"
                     + bytes(pixels))


def test_a_12_bit_tiff_pil_image_gives_the_pixels_of_its_file(tmp_path):
    samples = np.random.default_rng(6).integers(0, 4096, (16, 20))
    samples[:, :4] = 4095
    path = tmp_path / "grey12.tif"
    _tiff_12bit(path, samples)
    with Image.open(path) as image:  # Pillow: the samples as stored, 0-4095
        assert image.mode == "I;16"
        assert (np.asarray(image) == samples).all()

    from_file = read_image(path)
    assert (from_file == samples << 4).all()  # OpenCV shifts them to 16 bits: white 65520
    from_pil = pil_pixels(Image.open(path))
    assert from_pil.dtype == np.uint16
    assert np.array_equal(from_pil, from_file)  # it was 16x darker: 0-4095


# ---------------------------------------------------------------------------------------------
# F5: EXIF orientation of every integer type and byte order

#: EXIF orientation -> Pillow's transpose making the picture upright (as ImageOps.exif_transpose)
_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
              6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}


def _exif(orientation: int, long: bool, order: bytes) -> bytes:
    """An EXIF block whose one tag, Orientation, is a SHORT or (a writer's quirk) a LONG."""
    f = ">" if order == b"MM" else "<"
    value = (struct.pack(f + "I", orientation) if long
             else struct.pack(f + "HH", orientation, 0))
    entry = struct.pack(f + "HHI", 0x0112, 4 if long else 3, 1) + value
    return (b"Exif\0\0" + order + struct.pack(f + "HI", 42, 8) + struct.pack(f + "H", 1)
            + entry + struct.pack(f + "I", 0))


@pytest.mark.parametrize("orientation", [1, 3, 5, 6, 8])
@pytest.mark.parametrize("order", [b"II", b"MM"], ids=["II", "MM"])
@pytest.mark.parametrize("long", [False, True], ids=["SHORT", "LONG"])
def test_a_jpeg_is_turned_once_by_its_orientation_of_any_type(tmp_path, orientation, order,
                                                              long):
    rng = np.random.default_rng(1)
    rgb = np.kron(rng.integers(0, 8, (2, 3, 3)) * 32, np.ones((8, 8, 1))).astype(np.uint8)
    plain, tagged = tmp_path / "plain.jpg", tmp_path / "tagged.jpg"
    Image.fromarray(rgb).save(plain, quality=95, subsampling=0)
    Image.fromarray(rgb).save(tagged, quality=95, subsampling=0,
                              exif=_exif(orientation, long, order))
    stored = read_image(plain)  # the same coded pixels, without EXIF
    expected = stored if orientation == 1 else np.asarray(
        Image.fromarray(stored).transpose(_TRANSPOSE[orientation]))

    got = read_image(tagged)
    assert got.shape == expected.shape  # (16, 24) as stored: (24, 16) turned
    assert np.array_equal(got, expected)
    assert pil_pixels(Image.open(tagged)).shape == expected.shape  # its PIL image: as the file


# ---------------------------------------------------------------------------------------------
# F3: valid files of a bit depth OpenCV does not decode


def _grey_tiff(path, bits: int, height: int = 6, width: int = 8) -> None:
    """Write uncompressed grey samples of ``bits`` (1-8) bits, packed MSB first."""
    samples = np.random.default_rng(bits).integers(0, 2 ** bits, (height, width))
    rows = np.unpackbits(samples.astype(np.uint8)[..., None], axis=-1)[..., 8 - bits:]
    pixels = np.packbits(rows.reshape(height, -1), axis=-1).tobytes()  # rows padded to bytes
    tags = [(256, width), (257, height), (258, bits), (259, 1), (262, 1), (273, None),
            (277, 1), (278, height), (279, len(pixels))]
    start = 8 + 2 + 12 * len(tags) + 4
    ifd = b"".join(struct.pack("<HHII", tag, 4, 1, start if value is None else value)
                   for tag, value in tags)
    path.write_bytes(b"II*\0" + struct.pack("<IH", 8, len(tags)) + ifd + b"\0\0\0\0" + pixels)


@pytest.mark.parametrize("bits", [2, 4])
def test_a_low_bit_grey_tiff_is_refused_naming_its_bits(tmp_path, bits):
    path = tmp_path / f"grey{bits}.tif"
    _grey_tiff(path, bits)
    with Image.open(path) as image:  # a valid file: Pillow reads it
        image.load()
    with pytest.raises(UnreadableFileError, match=f"TIFF of {bits} bits per sample") as err:
        read_image(path)
    assert "convert it to an 8- or 16-bit PNG or TIFF" in str(err.value)
    assert "complete?" not in str(err.value)


def test_a_half_float_tiff_is_refused_naming_its_samples(tmp_path):
    path = tmp_path / "half.tif"
    tifffile.imwrite(path, np.random.default_rng(0).random((6, 8)).astype(np.float16),
                     photometric="minisblack")
    assert tifffile.imread(path).dtype == np.float16  # a valid file
    with pytest.raises(UnreadableFileError, match="TIFF of 16-bit float samples, which OpenCV "
                       "does not decode; convert it to an 8- or 16-bit PNG or TIFF"):
        read_image(path)


def test_a_4_bit_jpeg_2000_is_refused_naming_its_precision(tmp_path):
    samples = np.random.default_rng(0).integers(0, 16, (8, 12))
    buf = io.BytesIO()
    Image.fromarray((samples + 128 - 8).astype(np.uint8)).save(buf, "JPEG2000")
    data = bytearray(buf.getvalue())
    data[data.find(b"\xff\x51") + 40] = 3  # precision 4
    data[data.find(b"ihdr") + 14] = 3
    path = tmp_path / "prec4.jp2"
    path.write_bytes(bytes(data))
    with Image.open(path) as image:  # a valid file: Pillow reads it
        image.load()
    with pytest.raises(UnreadableFileError, match="JPEG 2000 of 4-bit precision, which OpenCV "
                       "does not decode; convert it to an 8- or 16-bit PNG or TIFF"):
        read_image(path)


def test_a_cut_8_bit_tiff_is_still_refused_as_damaged(tmp_path):
    path = tmp_path / "cut.tif"
    tifffile.imwrite(path, np.zeros((64, 64), np.uint8))
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(UnreadableFileError, match=r"complete\?"):
        read_image(path)


# ---------------------------------------------------------------------------------------------
# Second look (SL24): mixed precisions, signed samples, damaged files of a decoded depth


def _colour_jp2(samples: np.ndarray, precs: list) -> bytes:
    """A lossless RGB JPEG 2000 whose components declare ``precs`` and decode to ``samples``."""
    shifted = samples.astype(np.int64) + 2 ** 15 - 2 ** (np.array(precs) - 1)
    ok, buf = cv2.imencode(".jp2", np.ascontiguousarray(shifted.astype(np.uint16)[..., ::-1]),
                           [cv2.IMWRITE_JPEG2000_COMPRESSION_X1000, 1000])
    assert ok
    data = bytearray(buf.tobytes())
    siz = data.find(b"\xff\x51")
    for i, prec in enumerate(precs):
        assert data[siz + 40 + 3 * i] == 15
        data[siz + 40 + 3 * i] = prec - 1
    data[data.find(b"ihdr") + 14] = 0xFF  # components of different precisions
    return bytes(data)


def test_a_jpeg_2000_of_mixed_precisions_has_each_channel_scaled_by_its_white(tmp_path):
    rng = np.random.default_rng(3)
    samples = np.dstack([rng.integers(0, 4096, (32, 40)), rng.integers(0, 256, (32, 40, 2))])
    samples[0, 0] = (4095, 255, 255)  # white
    path = tmp_path / "mixed.jp2"
    path.write_bytes(_colour_jp2(samples, [12, 8, 8]))
    image = read_image(path)
    # OpenCV gives each component at its own scale: one white (4095's) pushed the 8-bit
    # ones 16 times too high (a red cast); none left the picture dark
    expected = np.rint(samples / np.array([4095, 255, 255]) * 65535).astype(np.uint16)
    np.testing.assert_array_equal(image, expected)
    assert image[0, 0].tolist() == [65535] * 3


def test_a_signed_jpeg_2000_is_refused_naming_its_samples(tmp_path):
    data = bytearray(_jp2_bytes(_grey_samples(12), 12))
    data[data.find(b"\xff\x51") + 40] |= 0x80  # signed, as CT images are
    path = tmp_path / "signed.jp2"
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableFileError, match="JPEG 2000 of signed samples, which OpenCV"):
        read_image(path)


def test_a_cut_4_bit_palette_tiff_is_refused_as_damaged(tmp_path):
    height = width = 64
    pixels = np.random.default_rng(0).integers(0, 16, (height, width))
    packed = (pixels[:, 0::2] << 4 | pixels[:, 1::2]).astype(np.uint8).tobytes()
    tags = [(256, 3, 1, width), (257, 3, 1, height), (258, 3, 1, 4), (259, 3, 1, 1),
            (262, 3, 1, 3), (273, 4, 1, None), (277, 3, 1, 1), (278, 3, 1, height),
            (279, 4, 1, len(packed)), (320, 3, 48, None)]
    colormap_at = 8 + 2 + 12 * len(tags) + 4
    ifd = b"".join(
        struct.pack("<HHI", tag, kind, count) + (
            struct.pack("<I", colormap_at + 96 if tag == 273 else colormap_at)
            if value is None else struct.pack("<HH", value, 0) if kind == 3
            else struct.pack("<I", value))
        for tag, kind, count, value in tags)
    whole = (b"II*\0" + struct.pack("<IH", 8, len(tags)) + ifd + b"\0\0\0\0"
             + struct.pack("<48H", *[i * 4369 for i in range(16)] * 3) + packed)
    path = tmp_path / "palette4.tif"
    path.write_bytes(whole)
    assert read_image(path).shape == (height, width, 3)  # OpenCV decodes a whole one
    path.write_bytes(whole[:len(whole) * 6 // 10])
    with pytest.raises(UnreadableFileError, match=r"complete\?"):
        read_image(path)
