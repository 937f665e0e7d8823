"""Z81 F3: PAM (netpbm P7) files are read as the same picture in PPM/PGM/PNG is.

OpenCV gives a PAM's samples in the file's (RGB) order, and the BGR -> RGB swap turned
red into blue; it ignores MAXVAL (a 10-bit camera's 1023: nearly black), reads MAXVAL 1
as packed bits, and gives grey+alpha as 2 channels, which the extractors refuse.
"""

import cv2
import numpy as np
import pytest
from PIL import Image

from aufeat import HOGExtractor
from aufeat.exceptions import UnreadableFileError
from aufeat.io import read_image


def pam(path, samples, maxval=255, tupltype=None, header=""):
    """Write ``samples`` (H, W, DEPTH) as a PAM file, as netpbm's pamfile(5) defines it."""
    height, width, depth = samples.shape
    head = (f"P7\n{header}WIDTH {width}\nHEIGHT {height}\nDEPTH {depth}\nMAXVAL {maxval}\n"
            + (f"TUPLTYPE {tupltype}\n" if tupltype else "") + "ENDHDR\n")
    path.write_bytes(head.encode() + samples.astype(">u2" if maxval > 255 else np.uint8)
                     .tobytes())
    return path


@pytest.fixture
def rgb():
    return np.random.default_rng(1).integers(0, 256, (12, 17, 3)).astype(np.uint8)


@pytest.mark.parametrize("tupltype", ["RGB", None])
def test_rgb_is_read_in_netpbm_order_as_the_same_ppm(tmp_path, rgb, tupltype):
    path = pam(tmp_path / "face.pam", rgb, tupltype=tupltype)
    ppm = tmp_path / "face.ppm"
    ppm.write_bytes(b"P6\n17 12\n255\n" + rgb.tobytes())
    np.testing.assert_array_equal(read_image(path), rgb)
    np.testing.assert_array_equal(read_image(path), read_image(ppm))


@pytest.mark.parametrize("bits", [8, 16])
def test_rgb_alpha_is_read_as_the_same_png(tmp_path, rgb, bits):
    alpha = np.arange(12 * 17).reshape(12, 17, 1) % 256
    rgba = np.concatenate([rgb, alpha], axis=2).astype(np.uint16 if bits == 16 else np.uint8)
    if bits == 16:
        rgba = rgba * 257
    path = pam(tmp_path / "face.pnm", rgba, 255 if bits == 8 else 65535, "RGB_ALPHA")
    assert cv2.imwrite(str(tmp_path / "face.png"), cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA))
    read = read_image(path)
    assert read.dtype == rgba.dtype
    np.testing.assert_array_equal(read, rgba)
    np.testing.assert_array_equal(read, read_image(tmp_path / "face.png"))


@pytest.mark.parametrize("maxval", [1023, 4095, 100, 1, 300])
def test_samples_are_scaled_by_maxval_as_pgm_samples_are(tmp_path, maxval):
    samples = np.random.default_rng(maxval).integers(0, maxval + 1, (9, 11, 1))
    white = 255 if maxval <= 255 else 65535
    expected = np.rint(samples[..., 0] / maxval * white).astype(np.uint8 if white == 255
                                                                 else np.uint16)
    tupltype = "BLACKANDWHITE" if maxval == 1 else "GRAYSCALE"
    read = read_image(pam(tmp_path / "cam.pam", samples, maxval, tupltype))
    assert read.dtype == expected.dtype
    np.testing.assert_array_equal(read, expected)
    pgm = tmp_path / "cam.pgm"
    pgm.write_bytes(f"P5\n11 9\n{maxval}\n".encode()
                    + samples.astype(">u2" if maxval > 255 else np.uint8).tobytes())
    np.testing.assert_array_equal(read, read_image(pgm))


def test_grey_alpha_is_read_as_an_la_png_is(tmp_path):
    rng = np.random.default_rng(2)
    la = rng.integers(0, 256, (20, 24, 2)).astype(np.uint8)
    path = pam(tmp_path / "ga.pam", la, tupltype="GRAYSCALE_ALPHA",
               header="# written by a camera\n")
    Image.fromarray(la, "LA").save(tmp_path / "ga.png")
    read = read_image(path)
    assert read.shape == (20, 24, 4)
    np.testing.assert_array_equal(read, read_image(tmp_path / "ga.png"))
    np.testing.assert_array_equal(read, np.asarray(Image.fromarray(la, "LA").convert("RGBA")))


def test_grey_alpha_features_are_those_of_the_la_png(tmp_path):
    la = np.random.default_rng(3).integers(0, 256, (48, 48, 2)).astype(np.uint8)
    path = pam(tmp_path / "ga.pam", la, tupltype="GRAYSCALE_ALPHA")
    Image.fromarray(la, "LA").save(tmp_path / "ga.png")
    got = HOGExtractor().fit_transform([str(path), str(tmp_path / "ga.png")])
    np.testing.assert_array_equal(got[0], got[1])


def test_an_incomplete_pam_is_refused_with_what_is_missing(tmp_path, rgb):
    path = pam(tmp_path / "cut.pam", rgb, tupltype="RGB")
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(UnreadableFileError, match=r"cut\.pam.*incomplete PAM.*602 of the 612"):
        read_image(path)


@pytest.mark.parametrize(("tupltype", "depth"), [("CMYK", 4), ("GRAYSCALE", 3)])
def test_a_tuple_type_aufeat_does_not_read_is_refused_by_name(tmp_path, tupltype, depth):
    path = pam(tmp_path / "ink.pam", np.zeros((4, 4, depth)), tupltype=tupltype)
    with pytest.raises(UnreadableFileError, match=rf"TUPLTYPE {tupltype} and DEPTH {depth}.*RGB"):
        read_image(path)


def test_a_header_without_maxval_is_refused(tmp_path):
    path = tmp_path / "bad.pam"
    path.write_bytes(b"P7\nWIDTH 2\nHEIGHT 1\nDEPTH 1\nENDHDR\n\x00\x01")
    with pytest.raises(UnreadableFileError, match=r"bad\.pam.*not a complete PAM.*MAXVAL"):
        read_image(path)
