"""8-bit RGBA TIFFs read with straight alpha, as a PNG of the same picture.

OpenCV reads them through libtiff's RGBA interface, which premultiplies unassociated
alpha: half-transparent colours came back darkened by their alpha, and were then blended
on white a second time (177 where the PNG gives 227).
"""

import io

import numpy as np
import pytest
import tifffile
from PIL import Image

from aufeat.cache.keys import extractor_identity, store_dirname
from aufeat.estimators import HOGExtractor
from aufeat.io import READER_VERSION, encode_png, read_image


@pytest.fixture
def picture(rng):
    """A 6x10 RGBA picture with alpha 255, partial and 0."""
    rgba = rng.integers(0, 256, (6, 10, 4), dtype=np.uint8)
    rgba[:, :3, 3], rgba[:, -2:, 3] = 255, 0
    return rgba


def _png(folder, rgba):
    path = folder / "picture.png"
    path.write_bytes(encode_png(rgba))
    return path


@pytest.mark.parametrize("writer", ["pil", "unassociated", "associated"])
def test_rgba_tiff_reads_as_the_png_of_the_same_picture(tmp_path, picture, writer):
    path = tmp_path / "picture.tif"
    if writer == "pil":
        Image.fromarray(picture, "RGBA").save(path)
    else:
        stored = picture
        if writer == "associated":  # colours stored premultiplied by alpha
            stored = picture.copy()
            stored[..., :3] = np.rint(picture[..., :3] * (picture[..., 3:] / 255.0))
        tifffile.imwrite(path, stored, photometric="rgb", planarconfig="contig",
                         extrasamples=[1 if writer == "associated" else 2])
    png = _png(tmp_path, picture)
    got = read_image(path)
    assert got.shape == picture.shape
    assert got.dtype == np.uint8
    opaque = picture[..., 3] == 255
    assert np.array_equal(got[opaque], picture[opaque])
    assert np.array_equal(got[..., 3], picture[..., 3])
    if writer != "associated":  # straight alpha stored: the very pixels
        assert np.array_equal(got, read_image(png))
    blended, expected = (read_image(p, as_uint8=True).astype(int) for p in (path, png))
    assert np.abs(blended - expected).max() <= (1 if writer == "associated" else 0)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_rgba_tiff_is_turned_upright_by_its_orientation(tmp_path, picture, orientation):
    exif = Image.Exif()
    exif[274] = orientation
    Image.fromarray(picture, "RGBA").save(tmp_path / "rgba.tif", exif=exif)
    Image.fromarray(picture[..., :3], "RGB").save(tmp_path / "rgb.tif", exif=exif)
    got = read_image(tmp_path / "rgba.tif")
    rgb = read_image(tmp_path / "rgb.tif")  # OpenCV turns it
    assert got.shape == (*rgb.shape[:2], 4)
    assert np.array_equal(got[..., :3], rgb)


def test_other_four_channel_tiffs_are_read_as_rgb_or_as_before(tmp_path, picture):
    buffer = io.BytesIO()  # an unspecified extra sample: not alpha, RGB as Pillow reads it
    tifffile.imwrite(buffer, picture, photometric="rgb", planarconfig="contig",
                     extrasamples=[0])
    (tmp_path / "x.tif").write_bytes(buffer.getvalue())
    assert np.array_equal(read_image(tmp_path / "x.tif"), picture[..., :3])
    Image.fromarray(picture[..., :3]).convert("CMYK").save(tmp_path / "cmyk.tif")
    cmyk = read_image(tmp_path / "cmyk.tif")
    assert cmyk.shape == (6, 10, 4)
    assert (cmyk[..., 3] == 255).all()


def test_features_cached_from_the_premultiplied_reading_are_recomputed(monkeypatch):
    import aufeat.cache.keys as keys

    assert READER_VERSION >= 8  # version 7 read 8-bit RGBA TIFFs premultiplied
    now = store_dirname(extractor_identity(HOGExtractor()))
    monkeypatch.setattr(keys, "READER_VERSION", 7)
    assert store_dirname(extractor_identity(HOGExtractor())) != now
