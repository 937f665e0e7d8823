"""SL35: follow-ups of the Z135 reader of TIFFs with extra samples.

F1: a planar TIFF of a layout aufeat reads (e.g. 16-bit or float grey + 2 unspecified
samples, MINISWHITE + alpha), cut short, was refused as "a layout aufeat does not read;
save it with its channels interleaved": the file is incomplete, which the message must
say. F2: an 8-bit planar RGB + associated alpha TIFF came back with its colours still
premultiplied (OpenCV's; Pillow cannot decode raw planar RGBA), unlike the same pixels
stored contiguous.
"""

import struct

import numpy as np
import pytest
import tifffile

from aufeat.exceptions import UnreadableFileError
from aufeat.io import read_image

H, W = 40, 50

# (dtype, photometric, ExtraSamples): the planar layouts SL35 saw refused for their layout
# when cut to 90 % (trunc_planar_all.py), and two of the planar_tiff path (16-bit RGB,
# 8-bit grey + alpha), refused with the same interleaving advice
_CUT_LAYOUTS = [
    *[(dtype, "minisblack", extra)
      for dtype in ("float32", "float64", "int8", "int16", "int32", "uint16", "uint32")
      for extra in ([0, 0], [2, 0])],
    *[(dtype, "miniswhite", extra)
      for dtype in ("int8", "int16", "uint8", "uint16") for extra in ([2], [0])],
    ("uint16", "rgb", []), ("uint8", "minisblack", [2]),
]


def _planar_file(path, dtype, photometric, extra, planar=True):
    """Write a TIFF of random 0-255 samples (0-1 for floats) of ``dtype``; return its bytes."""
    colours = 3 if photometric == "rgb" else 1
    rng = np.random.default_rng(35)
    pixels = rng.integers(0, 256, (H, W, colours + len(extra)))
    pixels = pixels / 255 if np.dtype(dtype).kind == "f" else pixels
    pixels = pixels.astype(dtype)
    options = {"photometric": photometric, "extrasamples": extra, "rowsperstrip": 8}
    if planar:
        options["planarconfig"] = "separate"
        pixels = np.moveaxis(pixels, -1, 0)
    tifffile.imwrite(path, pixels, **options)
    return path.read_bytes()


@pytest.mark.parametrize(("dtype", "photometric", "extra"), _CUT_LAYOUTS)
def test_cut_planar_tiff_is_refused_as_incomplete_not_for_its_layout(
        tmp_path, dtype, photometric, extra):
    data = _planar_file(tmp_path / "whole.tif", dtype, photometric, extra)
    assert read_image(tmp_path / "whole.tif").shape[:2] == (H, W)  # a layout aufeat reads
    cut = tmp_path / "cut.tif"
    cut.write_bytes(data[:int(len(data) * 0.9)])
    with pytest.raises(UnreadableFileError) as err:
        read_image(cut)
    message = str(err.value)
    assert "interleaved" not in message
    assert "does not read" not in message
    assert "cut short" in message
    assert "complete?" in message
    assert "cut.tif" in message


def test_cut_8bit_planar_grey_with_unspecified_samples_still_reads_its_grey(tmp_path):
    data = _planar_file(tmp_path / "whole.tif", "uint8", "minisblack", [0, 0])
    whole = read_image(tmp_path / "whole.tif")
    cut = tmp_path / "cut.tif"
    cut.write_bytes(data[:int(len(data) * 0.9)])  # the grey plane is whole: OpenCV reads it
    np.testing.assert_array_equal(read_image(cut), whole)


def test_cut_contiguous_tiff_keeps_its_message(tmp_path):
    data = _planar_file(tmp_path / "whole.tif", "uint16", "minisblack", [0, 0], planar=False)
    cut = tmp_path / "cut.tif"
    cut.write_bytes(data[:int(len(data) * 0.9)])
    with pytest.raises(UnreadableFileError, match=r"is it an image file, and complete\?"):
        read_image(cut)


def _premultiplied():
    """8-bit premultiplied RGBa: alpha 0 and 255 rows, colour <= alpha, a crafted colour at 0."""
    rng = np.random.default_rng(135)
    pixels = rng.integers(0, 256, (20, 24, 4)).astype(np.uint8)
    pixels[:3, :, 3], pixels[3:5, :, 3] = 0, 255
    pixels[..., :3] = np.minimum(pixels[..., :3], pixels[..., 3:])
    pixels[0, :5, :3] = 77  # colour where alpha is 0
    return pixels


def _write(path, pixels, extra, planar, orientation=1, **options):
    if planar:
        options["planarconfig"] = "separate"
        pixels = np.moveaxis(pixels, -1, 0)
    if orientation != 1:
        options["extratags"] = [(274, "H", 1, orientation, False)]
    tifffile.imwrite(path, pixels, photometric="rgb", extrasamples=extra, **options)
    return path


@pytest.mark.parametrize("orientation", [1, 6])
def test_8bit_planar_rgb_associated_alpha_reads_as_contiguous(tmp_path, orientation):
    stored = _premultiplied()
    alpha = stored[..., 3:].astype(int)
    colour = stored[..., :3].astype(int)
    straight = np.where(alpha > 0, np.minimum(colour * 255 // np.maximum(alpha, 1), 255),
                        0)  # rounded down, black where alpha is 0
    expected = np.concatenate([straight, alpha], axis=-1).astype(np.uint8)
    if orientation == 6:
        expected = np.rot90(expected, -1)
    planar = read_image(_write(tmp_path / "p.tif", stored, [1], True, orientation))
    contig = read_image(_write(tmp_path / "c.tif", stored, [1], False, orientation))
    np.testing.assert_array_equal(contig, expected)
    np.testing.assert_array_equal(planar, contig)


def test_compressed_8bit_planar_rgb_associated_alpha_reads_as_contiguous(tmp_path):
    stored = _premultiplied()
    planar = read_image(_write(tmp_path / "p.tif", stored, [1], True, compression="zlib"))
    np.testing.assert_array_equal(planar, read_image(_write(tmp_path / "c.tif", stored, [1],
                                                            False)))


def _lzw(data: bytes) -> bytes:
    """LZW codes of ``data`` (TIFF's, MSB first): literals only, a clear code every 250."""
    codes = []
    for i, byte in enumerate(data):
        codes += [256, byte] if i % 250 == 0 else [byte]
    bits = "".join(f"{code:09b}" for code in [*codes, 257])
    bits += "0" * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big")


def _as_lzw(path):
    """Rewrite the uncompressed TIFF ``path`` (little-endian) with its strips LZW-compressed."""
    data = bytearray(path.read_bytes())
    with tifffile.TiffFile(path) as tiff:
        page = tiff.pages[0]
        strips = list(zip(page.dataoffsets, page.databytecounts, strict=True))
        tags = {code: page.tags[code] for code in (259, 273, 279)}
    offsets, counts = [], []
    for offset, count in strips:
        packed = _lzw(bytes(data[offset:offset + count]))
        offsets.append(len(data))
        counts.append(len(packed))
        data += packed + b"\0" * (len(packed) % 2)
    struct.pack_into("<H", data, tags[259].offset + 8, 5)  # Compression: LZW
    for code, values in ((273, offsets), (279, counts)):
        form = "<I" if tags[code].dtype == 4 else "<H"
        for i, value in enumerate(values):
            struct.pack_into(form, data, tags[code].valueoffset + i * struct.calcsize(form), value)
    path.write_bytes(bytes(data))
    return path


def test_lzw_8bit_planar_rgb_associated_alpha_reads_as_contiguous(tmp_path):
    stored = _premultiplied()  # tifffile needs imagecodecs for LZW; Pillow reads it right
    planar = _as_lzw(_write(tmp_path / "p.tif", stored, [1], True, rowsperstrip=20))
    with tifffile.TiffFile(planar) as tiff:
        assert tiff.pages[0].compression == 5
        assert len(tiff.pages[0].dataoffsets) == 4
    np.testing.assert_array_equal(read_image(planar), read_image(_write(
        tmp_path / "c.tif", stored, [1], False)))


@pytest.mark.parametrize("extra", [[2], [0], []])
def test_other_8bit_planar_rgb_reads_as_stored(tmp_path, extra):
    stored = np.random.default_rng(7).integers(0, 256, (20, 24, 3 + len(extra))).astype(np.uint8)
    stored[:3, :, 3:] = 0
    planar = read_image(_write(tmp_path / "p.tif", stored, extra, True))
    kept = stored if extra == [2] else stored[..., :3]  # unspecified: dropped
    np.testing.assert_array_equal(planar, kept)
    np.testing.assert_array_equal(planar, read_image(_write(tmp_path / "c.tif", stored, extra,
                                                            False)))


def test_cut_8bit_planar_rgb_associated_alpha_is_refused_as_incomplete(tmp_path):
    path = _write(tmp_path / "p.tif", _premultiplied(), [1], True, rowsperstrip=4)
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * 0.9)])
    with pytest.raises(UnreadableFileError, match="cut short"):
        read_image(path)
