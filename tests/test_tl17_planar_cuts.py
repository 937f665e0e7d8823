"""TL17 F1, F3: planar TIFFs cut short, and planar TIFFs whose StripByteCounts overstate.

F1: an 8-bit planar RGB, RGBA (unassociated alpha) or RGB + unspecified TIFF cut short was
read with its missing planes as zeros; it is now refused as cut short. F3: a whole planar
file (every pixel in it) whose last StripByteCounts states more bytes than the strip needs,
past the end of the file, was refused as cut short; it is read again.
"""

import struct

import numpy as np
import pytest

tifffile = pytest.importorskip("tifffile")

from aufeat.exceptions import UnreadableFileError  # noqa: E402
from aufeat.io import read_image  # noqa: E402

H, W, ROWS = 19, 23, 8  # the last strip of each plane holds 3 rows of 8
_TYPES = {3: "H", 4: "I"}  # SHORT, LONG


def _write(path, pixels, planar=True, **kwargs):
    """Write ``(H, W, samples)`` pixels as an uncompressed TIFF of ROWS-row strips."""
    tifffile.imwrite(path, np.moveaxis(pixels, -1, 0) if planar else pixels,
                     planarconfig="separate" if planar else "contig", rowsperstrip=ROWS,
                     **kwargs)
    return path


def _set_strip_counts(path, counts):
    """Set StripByteCounts (279) of a classic little-endian TIFF's first page in place."""
    data = bytearray(path.read_bytes())
    offset = struct.unpack_from("<I", data, 4)[0]
    for at in range(offset + 2, offset + 2 + 12 * struct.unpack_from("<H", data, offset)[0], 12):
        tag, kind, count = struct.unpack_from("<HHI", data, at)
        if tag != 279:
            continue
        code = "<" + _TYPES[kind] * count
        where = at + 8 if struct.calcsize(code) <= 4 else struct.unpack_from("<I", data, at + 8)[0]
        assert count == len(counts)
        struct.pack_into(code, data, where, *counts)
    path.write_bytes(bytes(data))


def _overstate(path):
    """Give every strip a full strip's count (the last strips of each plane hold fewer rows)."""
    with tifffile.TiffFile(path) as tiff:
        page = tiff.pages[0]
        per_row = W * page.dtype.itemsize * (1 if page.planarconfig == 2 else page.samplesperpixel)
        ends = [o + c for o, c in zip(page.dataoffsets, page.databytecounts, strict=True)]
        counts = [ROWS * per_row] * len(ends)
    size = path.stat().st_size
    assert max(ends) == size  # every pixel is in the file ...
    _set_strip_counts(path, counts)
    with tifffile.TiffFile(path) as tiff:
        page = tiff.pages[0]
        assert max(o + c for o, c in zip(page.dataoffsets, page.databytecounts,
                                          strict=True)) > size  # ... the last count past it
    return path


def _pixels(dtype, samples, seed=0):
    rng = np.random.default_rng(seed)
    top = np.iinfo(dtype).max
    return rng.integers(0, top, (H, W, samples), endpoint=True).astype(dtype)


_RGB8 = {  # 8-bit planar layouts OpenCV reads (libtiff's RGBA interface)
    "rgb": (3, {"photometric": "rgb"}),
    "rgba_unassociated": (4, {"photometric": "rgb", "extrasamples": [2]}),
    "rgb_unspecified": (4, {"photometric": "rgb", "extrasamples": [0]}),
}


@pytest.mark.parametrize("compression", [None, "zlib"])
@pytest.mark.parametrize("layout", sorted(_RGB8))
@pytest.mark.parametrize("keep", [0.5, 0.8, 0.97])
def test_cut_8bit_planar_rgb_is_refused_as_cut_short(tmp_path, layout, keep, compression):
    samples, kwargs = _RGB8[layout]
    pixels = _pixels(np.uint8, samples)
    if samples == 4:
        pixels[..., 3] = np.maximum(pixels[..., 3], 1)
    path = _write(tmp_path / "whole.tif", pixels, compression=compression, **kwargs)
    read_image(path)  # whole, it reads
    data = path.read_bytes()
    cut = tmp_path / "cut.tif"
    cut.write_bytes(data[:int(len(data) * keep)])
    with pytest.raises(UnreadableFileError, match="cut short") as err:
        read_image(cut)
    assert str(cut) in str(err.value)
    assert f"{int(len(data) * keep)} bytes" in str(err.value)


@pytest.mark.parametrize("layout", sorted(_RGB8))
def test_whole_8bit_planar_rgb_reads_as_its_contiguous_twin(tmp_path, layout):
    samples, kwargs = _RGB8[layout]
    pixels = _pixels(np.uint8, samples, seed=1)
    if samples == 4:
        pixels[..., 3] = np.where(pixels[..., 3] < 128, 255, pixels[..., 3])
    planar = read_image(_write(tmp_path / "planar.tif", pixels, **kwargs))
    contig = read_image(_write(tmp_path / "contig.tif", pixels, planar=False, **kwargs))
    assert planar.dtype == np.uint8
    assert planar.shape == contig.shape
    np.testing.assert_array_equal(planar, contig)
    np.testing.assert_array_equal(planar[..., :3], pixels[..., :3])


@pytest.mark.parametrize("layout", sorted(_RGB8))
def test_overstated_8bit_planar_rgb_still_reads(tmp_path, layout):
    samples, kwargs = _RGB8[layout]
    pixels = _pixels(np.uint8, samples, seed=2)
    if samples == 4:
        pixels[..., 3] = 255
    whole = read_image(_write(tmp_path / "whole.tif", pixels, **kwargs))
    over = _overstate(_write(tmp_path / "over.tif", pixels, **kwargs))
    np.testing.assert_array_equal(read_image(over), whole)


_GREY_EXTRA = {  # planar grey with an extra sample, read with tifffile
    "grey_alpha": (2, {"photometric": "minisblack", "extrasamples": [2]}),
    "grey_associated_alpha": (2, {"photometric": "minisblack", "extrasamples": [1]}),
    "grey_unspecified": (2, {"photometric": "minisblack", "extrasamples": [0]}),
}


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16])
@pytest.mark.parametrize("layout", sorted(_GREY_EXTRA))
def test_overstated_planar_grey_extra_reads_as_whole(tmp_path, layout, dtype):
    samples, kwargs = _GREY_EXTRA[layout]
    pixels = _pixels(dtype, samples, seed=3)
    if layout == "grey_associated_alpha":  # premultiplied: grey <= alpha
        pixels[..., 1] = np.maximum(pixels[..., 1], 1)
        pixels[..., 0] = np.minimum(pixels[..., 0], pixels[..., 1])
    whole = read_image(_write(tmp_path / "whole.tif", pixels, **kwargs))
    over = _overstate(_write(tmp_path / "over.tif", pixels, **kwargs))
    read = read_image(over)
    assert read.dtype == whole.dtype
    np.testing.assert_array_equal(read, whole)


def test_overstated_8bit_planar_grey_alpha_and_unspecified_reads_as_whole(tmp_path):
    kwargs = {"photometric": "minisblack", "extrasamples": [2, 0]}
    pixels = _pixels(np.uint8, 3, seed=4)
    whole = read_image(_write(tmp_path / "whole.tif", pixels, **kwargs))
    np.testing.assert_array_equal(whole[..., 0], pixels[..., 0])
    np.testing.assert_array_equal(whole[..., 3], pixels[..., 1])
    over = _overstate(_write(tmp_path / "over.tif", pixels, **kwargs))
    np.testing.assert_array_equal(read_image(over), whole)


@pytest.mark.parametrize("layout", sorted(_GREY_EXTRA))
def test_cut_planar_grey_extra_still_refused_as_cut_short(tmp_path, layout):
    samples, kwargs = _GREY_EXTRA[layout]
    path = _write(tmp_path / "whole.tif", _pixels(np.uint16, samples, seed=5), **kwargs)
    data = path.read_bytes()
    cut = tmp_path / "cut.tif"
    cut.write_bytes(data[:int(len(data) * 0.8)])
    with pytest.raises(UnreadableFileError, match="cut short"):
        read_image(cut)


def test_overstated_count_past_the_pixels_it_needs_is_still_a_cut(tmp_path):
    # an uncompressed strip whose pixels themselves end past the file is cut short,
    # whatever its count says
    kwargs = {"photometric": "minisblack", "extrasamples": [2]}
    path = _write(tmp_path / "whole.tif", _pixels(np.uint16, 2, seed=6), **kwargs)
    data = path.read_bytes()
    cut = _overstate(path)
    cut.write_bytes(cut.read_bytes()[:len(data) - 10])
    with pytest.raises(UnreadableFileError, match="cut short"):
        read_image(cut)


@pytest.mark.parametrize("options", [{"bigtiff": True}, {"bigtiff": True, "byteorder": ">"},
                                     {"byteorder": ">"}])
def test_cut_8bit_planar_rgb_bigtiff_and_big_endian_refused(tmp_path, options):
    pixels = _pixels(np.uint8, 3, seed=7)
    path = _write(tmp_path / "whole.tif", pixels, photometric="rgb", **options)
    np.testing.assert_array_equal(read_image(path), pixels)  # whole, it reads
    data = path.read_bytes()
    cut = tmp_path / "cut.tif"
    cut.write_bytes(data[:len(data) - 40])
    with pytest.raises(UnreadableFileError, match="cut short"):
        read_image(cut)
