"""Image files that OpenCV decodes wrong, or that are no image files at all (review Z91).

TIFFs stored plane by plane came back scrambled (16-bit, float) or lost their alpha; a
16-bit RGBA TIFF's associated alpha was left premultiplied; an RGB TIFF's unspecified 4th
sample was read as alpha (a white picture once blended); 16-bit MINISWHITE grey was read
as its negative; an animated PNG gave its first frame, not its default image as Pillow
gives it; a named pipe blocked ``read_image`` and a device was read until memory ran out.
"""

import os
import threading
import time

import numpy as np
import pytest
import tifffile
from PIL import Image

from aufeat._pil_pixels import pil_pixels
from aufeat.cache.keys import extractor_identity, store_dirname
from aufeat.datasets._io import list_images
from aufeat.estimators import HOGExtractor
from aufeat.exceptions import UnreadableFileError
from aufeat.io import READER_VERSION, encode_png, read_image
from tests.tiff_tags import without_extra_samples_tag


def _uniform(values, dtype, shape=(4, 6)):
    return np.dstack([np.full(shape, v, dtype) for v in values])


_PLANAR = {
    "rgb16": (_uniform((60000, 30000, 1000), np.uint16), {"photometric": "rgb"}),
    "rgba16": (_uniform((60000, 30000, 1000, 65535), np.uint16),
               {"photometric": "rgb", "extrasamples": [2]}),
    "rgb_float": (_uniform((0.9, 0.5, 0.1), np.float32), {"photometric": "rgb"}),
    "la8": (_uniform((200, 255), np.uint8), {"photometric": "minisblack", "extrasamples": [2]}),
    "la8_zlib": (_uniform((200, 40), np.uint8),
                 {"photometric": "minisblack", "extrasamples": [2], "compression": "zlib"}),
    "la16": (_uniform((50000, 65535), np.uint16),
             {"photometric": "minisblack", "extrasamples": [2]}),
}


@pytest.mark.parametrize("name", sorted(_PLANAR))
def test_planar_tiffs_read_as_their_pixels(tmp_path, name):
    picture, options = _PLANAR[name]
    picture = picture.copy()
    picture[1, 2, 0] = picture[1, 2, 0] // 2  # one odd pixel: where it lands shows the order
    path = tmp_path / f"{name}.tif"
    tifffile.imwrite(path, np.moveaxis(picture, -1, 0), planarconfig="separate", **options)
    expected = picture if picture.shape[2] != 2 else picture[..., [0, 0, 0, 1]]
    got = read_image(path)
    assert got.shape == expected.shape
    assert got.dtype == expected.dtype
    assert np.array_equal(got, expected)


def test_planar_tiff_is_turned_upright_as_the_contiguous_one(tmp_path, rng):
    picture = rng.integers(0, 65536, (4, 6, 3), dtype=np.uint16)
    turn = [(274, "H", 1, 6, True)]  # Orientation 6: stored turned, to be rotated clockwise
    tifffile.imwrite(tmp_path / "planar.tif", np.moveaxis(picture, -1, 0), photometric="rgb",
                     planarconfig="separate", extratags=turn)
    tifffile.imwrite(tmp_path / "contig.tif", picture, photometric="rgb", extratags=turn)
    contig = read_image(tmp_path / "contig.tif")  # OpenCV turns it
    assert contig.shape == (6, 4, 3)
    assert np.array_equal(read_image(tmp_path / "planar.tif"), contig)


def test_planar_tiff_of_a_layout_it_cannot_read_is_refused(tmp_path):
    stored = np.zeros((3, 4, 6), np.uint16)  # three planes of grey, no colour space
    stored[1], stored[2] = 30000, 60000
    tifffile.imwrite(tmp_path / "bands.tif", stored, photometric="minisblack",
                     planarconfig="separate")
    without_extra_samples_tag(tmp_path / "bands.tif")  # else grey + 2 samples: read
    with pytest.raises(UnreadableFileError, match=r"bands\.tif.* stored plane by plane"):
        read_image(tmp_path / "bands.tif")


def _premultiplied(straight, white):
    stored = straight.copy()
    alpha = straight[..., -1:] / white
    stored[..., :-1] = np.rint(straight[..., :-1] * alpha).astype(straight.dtype)
    return stored


def test_16bit_rgba_tiff_with_associated_alpha_reads_straight(tmp_path):
    straight = np.zeros((2, 3, 4), np.uint16)
    straight[...] = (60000, 30000, 1000, 32768)  # half-transparent orange
    straight[0, 0, 3] = 65535
    tifffile.imwrite(tmp_path / "assoc16.tif", _premultiplied(straight, 65535),
                     photometric="rgb", extrasamples=[1])
    got = read_image(tmp_path / "assoc16.tif")
    assert got.dtype == np.uint16
    assert np.abs(got.astype(int) - straight).max() <= 2  # rounding of the stored colours
    png = tmp_path / "straight.png"
    png.write_bytes(encode_png(straight))
    blended = read_image(tmp_path / "assoc16.tif", as_uint8=True).astype(int)
    assert np.abs(blended - read_image(png, as_uint8=True)).max() <= 1


def test_16bit_grey_alpha_tiff_with_associated_alpha_keeps_it_straight(tmp_path):
    straight = _uniform((50000, 32768), np.uint16, (2, 3))
    tifffile.imwrite(tmp_path / "la16.tif", _premultiplied(straight, 65535),
                     photometric="minisblack", extrasamples=[1])
    got = read_image(tmp_path / "la16.tif")
    assert got.shape == (2, 3, 4)
    assert np.abs(got.astype(int) - straight[..., [0, 0, 0, 1]]).max() <= 2


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_unspecified_fourth_sample_of_an_rgb_tiff_is_not_alpha(tmp_path, rng, dtype):
    stored = rng.integers(0, np.iinfo(dtype).max, (3, 5, 4), dtype=dtype)
    stored[..., 3] = 0  # not alpha: as alpha, the picture would blend to white
    tifffile.imwrite(tmp_path / "rgbx.tif", stored, photometric="rgb", extrasamples=[0])
    got = read_image(tmp_path / "rgbx.tif")
    assert got.dtype == dtype
    assert np.array_equal(got, stored[..., :3])
    if dtype == np.uint8:  # the PIL image of the file gives the same RGB picture
        assert np.array_equal(pil_pixels(Image.open(tmp_path / "rgbx.tif")), got)


def test_16bit_miniswhite_tiff_reads_as_its_picture_not_its_negative(tmp_path):
    ink = np.array([[0, 5000, 50000, 65535]], np.uint16)  # 0 is white in this file
    tifffile.imwrite(tmp_path / "mw16.tif", ink, photometric="miniswhite")
    tifffile.imwrite(tmp_path / "mw8.tif", (ink // 257).astype(np.uint8),
                     photometric="miniswhite")
    expected = 65535 - ink
    assert np.array_equal(read_image(tmp_path / "mw16.tif"), expected)
    assert np.array_equal(pil_pixels(Image.open(tmp_path / "mw16.tif")), expected)
    wide, narrow = (read_image(tmp_path / f, as_uint8=True).astype(int)
                    for f in ("mw16.tif", "mw8.tif"))
    assert np.abs(wide - narrow).max() <= 1


@pytest.mark.parametrize("default_is_frame", [False, True])
def test_animated_png_reads_as_its_default_image_as_pillow_gives_it(tmp_path, default_is_frame):
    red, green, blue = ((200, 0, 0), (0, 200, 0), (0, 0, 200))
    path = tmp_path / "animated.png"
    Image.new("RGB", (8, 6), red).save(
        path, save_all=True, duration=100, default_image=not default_is_frame,
        append_images=[Image.new("RGB", (8, 6), c) for c in (green, blue)])
    got = read_image(path)
    assert got.shape == (6, 8, 3)
    assert (got == red).all()  # the IDAT image: a still, or the first frame
    assert np.array_equal(got, pil_pixels(Image.open(path)))


@pytest.mark.parametrize("default_is_frame", [False, True])
@pytest.mark.parametrize("cut", [12, 30])  # no IEND; the last chunk (an fdAT) cut short
def test_damaged_animated_png_still_reads_as_its_default_image(tmp_path, cut,
                                                               default_is_frame):
    red, green, blue = ((200, 0, 0), (0, 200, 0), (0, 0, 200))
    path = tmp_path / "animated.png"
    Image.new("RGB", (8, 6), red).save(
        path, save_all=True, duration=100, default_image=not default_is_frame,
        append_images=[Image.new("RGB", (8, 6), c) for c in (green, blue)])
    whole = path.read_bytes()
    assert whole.endswith(b"IEND\xaeB`\x82")
    path.write_bytes(whole[:-cut])  # a download that stopped at or inside the last chunk
    got = read_image(path)
    assert (got == red).all()  # not refused, not the first frame
    assert np.array_equal(got, pil_pixels(Image.open(path)))


def _write_png_into(fifo, png, stop):
    """Write ``png`` into ``fifo`` once a reader opens it (until ``stop`` is set)."""
    while not stop.is_set():
        try:
            handle = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # no reader yet
            time.sleep(0.01)
            continue
        os.set_blocking(handle, True)
        try:
            os.write(handle, png)
        finally:
            os.close(handle)
        return


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes: POSIX")
def test_named_pipe_is_refused(tmp_path):
    fifo = tmp_path / "face.png"
    os.mkfifo(fifo)
    stop = threading.Event()
    writer = threading.Thread(target=_write_png_into, daemon=True,
                              args=(fifo, encode_png(np.zeros((2, 2), np.uint8)), stop))
    writer.start()  # before the fix read_image read the pipe: an image, no error
    try:
        with pytest.raises(UnreadableFileError, match=r"face\.png.* is a named pipe"):
            read_image(fifo)
    finally:
        stop.set()
        writer.join(5)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes: POSIX")
def test_list_images_leaves_out_named_pipes_but_not_broken_links(tmp_path):
    os.mkfifo(tmp_path / "face.png")
    (tmp_path / "real.png").write_bytes(encode_png(np.zeros((2, 2), np.uint8)))
    (tmp_path / "broken.png").symlink_to(tmp_path / "gone.png")  # still named when read
    assert list_images(tmp_path) == [str(tmp_path / n) for n in ("broken.png", "real.png")]


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="a character device")
def test_device_is_refused_with_its_kind():
    with pytest.raises(UnreadableFileError, match="'/dev/null' is a character device"):
        read_image("/dev/null")


def test_features_cached_from_the_earlier_reading_are_recomputed(monkeypatch):
    import aufeat.cache.keys as keys

    assert READER_VERSION >= 11  # version 10 read the files above as other pixels
    now = store_dirname(extractor_identity(HOGExtractor()))
    monkeypatch.setattr(keys, "READER_VERSION", 10)
    assert store_dirname(extractor_identity(HOGExtractor())) != now
