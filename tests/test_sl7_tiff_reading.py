"""TIFF reading after the planar/alpha fixes: float associated alpha, missing codecs, cost.

- A contiguous float RGBA TIFF with associated alpha was read premultiplied while its
  planar copy was made straight: both are straight now, as 8- and 16-bit files are.
- A planar TIFF whose compression tifffile decodes only with ``imagecodecs`` (LZW, ...)
  raises MissingCodecError naming the package (whether it reads depends on what is
  installed, not on the file), not a plain UnreadableFileError.
- Every TIFF was parsed by tifffile (16-bit and 4-channel ones twice), which costs more
  than OpenCV's decoding of a small TIFF: the first page's tags, read without tifffile,
  now tell which files need it, and tifffile opens those only, once.
"""

import io
import struct

import numpy as np
import pytest
import tifffile

from aufeat._tiff_header import tiff_tags
from aufeat.exceptions import MissingCodecError, UnreadableFileError
from aufeat.io import encode_png, read_image
from tests.tiff_tags import without_extra_samples_tag


def _premultiplied(straight):
    stored = straight.copy()
    stored[..., :3] *= stored[..., 3:]
    return stored


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_rgba_tiff_with_associated_alpha_reads_straight_in_both_layouts(tmp_path, dtype):
    straight = np.zeros((2, 3, 4), dtype)
    straight[...] = (0.5, 0.2, 0.1, 0.5)  # half-transparent
    straight[0, 0] = (0.9, 0.6, 0.3, 1.0)
    stored = _premultiplied(straight)
    tifffile.imwrite(tmp_path / "contig.tif", stored, photometric="rgb", extrasamples=[1])
    tifffile.imwrite(tmp_path / "planar.tif", np.moveaxis(stored, -1, 0), photometric="rgb",
                     extrasamples=[1], planarconfig="separate")
    contig, planar = read_image(tmp_path / "contig.tif"), read_image(tmp_path / "planar.tif")
    assert contig.dtype == dtype
    np.testing.assert_allclose(contig, straight, atol=1e-6)
    np.testing.assert_allclose(planar, straight, atol=1e-6)
    png = tmp_path / "straight.png"
    png.write_bytes(encode_png(np.rint(straight * 65535).astype(np.uint16)))
    blended = read_image(tmp_path / "contig.tif", as_uint8=True).astype(int)
    assert np.abs(blended - read_image(png, as_uint8=True)).max() <= 1  # as a PNG of it


class _Lacking(dict):
    """tifffile's decompressor table as it is where ``imagecodecs`` lacks zlib's codec."""

    def __getitem__(self, key):
        try:
            raise AttributeError("module 'imagecodecs' has no attribute 'zlib_decode'")
        except AttributeError as exc:  # as tifffile.CompressionCodec raises it
            raise KeyError(f"{tifffile.COMPRESSION(key)!r} requires the 'imagecodecs' "
                           "package") from exc


def _without_imagecodecs(monkeypatch):
    monkeypatch.setattr(tifffile.TIFF, "DECOMPRESSORS", _Lacking())


def test_planar_tiff_whose_codec_is_not_installed_names_the_package(tmp_path, monkeypatch):
    picture = np.zeros((3, 8, 6), np.uint16)
    picture[0], picture[1], picture[2] = 60000, 30000, 1000
    path = tmp_path / "planar_zlib.tif"
    tifffile.imwrite(path, picture, photometric="rgb", planarconfig="separate",
                     compression="zlib")
    assert (read_image(path) == (60000, 30000, 1000)).all()  # with its codec: read
    _without_imagecodecs(monkeypatch)
    with pytest.raises(MissingCodecError, match=r"planar_zlib\.tif.*'imagecodecs'") as info:
        read_image(path)
    assert isinstance(info.value, UnreadableFileError)  # still the refusal of a file
    assert "pip install imagecodecs" in str(info.value)
    assert "DEFLATE" in str(info.value) or "ADOBE_DEFLATE" in str(info.value)


def test_planar_tiff_of_an_unreadable_layout_is_no_missing_codec(tmp_path, monkeypatch):
    stored = np.zeros((3, 4, 6), np.uint16)  # three planes of grey, no colour space
    tifffile.imwrite(tmp_path / "bands.tif", stored, photometric="minisblack",
                     planarconfig="separate")
    without_extra_samples_tag(tmp_path / "bands.tif")  # else grey + 2 samples: read
    _without_imagecodecs(monkeypatch)
    with pytest.raises(UnreadableFileError) as info:
        read_image(tmp_path / "bands.tif")
    assert not isinstance(info.value, MissingCodecError)


class _Counted(tifffile.TiffFile):
    opened = 0

    def __init__(self, *args, **kwargs):
        type(self).opened += 1
        super().__init__(*args, **kwargs)


_FILES = {  # name: (pixels, tifffile options, times tifffile is needed)
    "rgb8": (np.full((8, 6, 3), 100, np.uint8), {"photometric": "rgb"}, 0),
    "grey8": (np.full((8, 6), 100, np.uint8), {"photometric": "minisblack"}, 0),
    "grey16": (np.full((8, 6), 40000, np.uint16), {"photometric": "minisblack"}, 0),
    "rgb16_big_endian": (np.full((8, 6, 3), 40000, np.uint16),
                         {"photometric": "rgb", "byteorder": ">"}, 0),
    "rgba16_bigtiff": (np.full((8, 6, 4), 40000, np.uint16),
                       {"photometric": "rgb", "extrasamples": [2], "bigtiff": True}, 0),
    "rgb8_planar": (np.full((3, 8, 6), 100, np.uint8),
                    {"photometric": "rgb", "planarconfig": "separate"}, 0),
    "rgb16_planar": (np.full((3, 8, 6), 40000, np.uint16),
                     {"photometric": "rgb", "planarconfig": "separate"}, 1),
    "rgb16_planar_bigtiff_be": (np.full((3, 8, 6), 40000, np.uint16),
                                {"photometric": "rgb", "planarconfig": "separate",
                                 "bigtiff": True, "byteorder": ">"}, 1),
    "la8_planar": (np.full((2, 8, 6), 100, np.uint8),
                   {"photometric": "minisblack", "planarconfig": "separate",
                    "extrasamples": [2]}, 1),
}


@pytest.mark.parametrize("name", sorted(_FILES))
def test_tifffile_parses_only_the_tiffs_that_need_it_once(tmp_path, monkeypatch, name):
    pixels, options, needed = _FILES[name]
    path = tmp_path / f"{name}.tif"
    tifffile.imwrite(path, pixels, **options)
    monkeypatch.setattr(tifffile, "TiffFile", _Counted)
    _Counted.opened = 0
    read_image(path)
    assert _Counted.opened == needed


@pytest.mark.parametrize("name", sorted(_FILES))
def test_first_page_tags_are_those_tifffile_reads(tmp_path, name):
    pixels, options, _ = _FILES[name]
    path = tmp_path / f"{name}.tif"
    tifffile.imwrite(path, pixels, **options, extratags=[(339, "H", 1, 1, True)])
    tags = tiff_tags(path.read_bytes())
    with tifffile.TiffFile(path) as tiff:
        page = tiff.pages[0]
        assert tags.layout == (int(page.photometric), page.samplesperpixel,
                               tuple(int(x) for x in page.extrasamples))
        assert tags.planar == int(page.planarconfig)
        assert tags.uint8 == (page.dtype == np.uint8)


def test_damaged_first_page_is_left_to_tifffile(tmp_path):
    path = tmp_path / "a.tif"
    tifffile.imwrite(path, np.full((8, 6), 40000, np.uint16), photometric="minisblack")
    data = path.read_bytes()
    assert tiff_tags(data[:12]) is None  # the page cut off
    assert tiff_tags(b"II*\x00" + (10**6).to_bytes(4, "little")) is None  # past the end
    assert tiff_tags(b"\x89PNG\r\n\x1a\n") is None


def test_a_missing_codec_is_not_stored_by_the_cache(tmp_path, monkeypatch):
    """Whether imagecodecs is installed is the environment's, not the file's: not stored."""
    from aufeat.cache import FeatureCache
    from aufeat.estimators import HOGExtractor

    picture = np.zeros((3, 48, 48), np.uint16)
    picture[0, 8:40, 8:40] = 60000
    path = tmp_path / "planar_zlib.tif"
    tifffile.imwrite(path, picture, photometric="rgb", planarconfig="separate",
                     compression="zlib")
    other = tmp_path / "face.png"
    other.write_bytes(encode_png(np.random.default_rng(0).integers(0, 255, (48, 48), np.uint8)))
    cache = FeatureCache(tmp_path / "cache")
    with monkeypatch.context() as patched:
        _without_imagecodecs(patched)
        first = cache.features([str(other), str(path)], HOGExtractor(), progress=False)
    assert np.isnan(first[1]).all()
    (failure,) = cache.last_fill.failures
    assert "imagecodecs" in failure["reason"]
    again = cache.features([str(other), str(path)], HOGExtractor(), progress=False)
    assert np.isfinite(again[1]).all()  # installed now: computed, not the stored failure
    np.testing.assert_array_equal(again[1], HOGExtractor().transform([str(path)])[0])


def _with_entry(data, tag, kind, count, value, *, big):
    """``data`` with its Software entry (305) made ``tag`` of ``kind``, ``count``, ``value``."""
    data = bytearray(data)
    offset = struct.unpack_from("<Q" if big else "<I", data, 8 if big else 4)[0]
    n = struct.unpack_from("<Q" if big else "<H", data, offset)[0]
    size, first = (20, offset + 8) if big else (12, offset + 2)
    for k in range(n):
        at = first + size * k
        if struct.unpack_from("<H", data, at)[0] == 305:
            struct.pack_into("<HHQQ" if big else "<HHII", data, at, tag, kind, count, value)
            return bytes(data)
    raise AssertionError("no Software entry")


def test_a_tag_whose_values_lie_past_any_file_is_left_to_the_readers(tmp_path):
    """TL6 f01: an offset of 2**63 or more raised a raw OverflowError from struct."""
    buffer = io.BytesIO()
    tifffile.imwrite(buffer, np.full((16, 16, 3), 100, np.uint8), bigtiff=True,
                     photometric="rgb", software="y" * 20)
    data = _with_entry(buffer.getvalue(), 339, 3, 5, 2**63, big=True)  # 5 SampleFormats
    assert tiff_tags(data) is None
    (tmp_path / "far.tif").write_bytes(data)
    try:
        image = read_image(tmp_path / "far.tif")
    except UnreadableFileError:  # refused by a reader is fine too: not a raw error
        return
    assert image.shape[:2] == (16, 16)


def test_a_tag_given_twice_is_read_from_its_first_entry(tmp_path):
    """TL6 f02: the last PlanarConfiguration of two (2, then 1) was kept, unlike libtiff and
    tifffile, so a planar 16-bit file skipped tifffile and came back scrambled."""
    planes = np.random.default_rng(0).integers(0, 65535, (3, 16, 16)).astype("<u2")
    buffer = io.BytesIO()
    tifffile.imwrite(buffer, planes, photometric="rgb", planarconfig="separate",
                     software="y" * 20)
    data = _with_entry(buffer.getvalue(), 284, 3, 1, 1, big=False)  # a second one, 1
    assert tiff_tags(data).planar == 2
    (tmp_path / "twice.tif").write_bytes(data)
    np.testing.assert_array_equal(read_image(tmp_path / "twice.tif"), np.moveaxis(planes, 0, -1))
