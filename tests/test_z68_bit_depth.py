"""PGM/PPM and 10/12-bit AVIF files are read by the white level they declare, as Pillow reads them.

OpenCV returns a PNM's samples as stored whatever its maxval, and a 10-bit AVIF as uint16
holding 0-1023: read as 16 bits, a 10-bit (maxval 1023) face was 1.4 % of white, found
by no detector, and a maxval-100 PGM a dimmed uint8 picture.
"""

import cv2
import numpy as np
import pytest
from PIL import Image

from aufeat._bitdepth import scale_white
from aufeat.face import detect_faces
from aufeat.io import READER_VERSION, read_image


def _pnm(path, magic, maxval, samples):
    """Write ``samples`` (0-maxval) as a PNM file by hand: binary (P5/P6) or plain text."""
    height, width = samples.shape[:2]
    header = f"{magic}\n# written by the test\n{width} {height}\n{maxval}\n".encode()
    if magic in ("P2", "P3"):
        body = "\n".join(" ".join(map(str, row.ravel())) for row in samples).encode() + b"\n"
    else:
        body = samples.astype(">u2" if maxval > 255 else np.uint8).tobytes()
    path.write_bytes(header + body)
    return path


@pytest.fixture
def head(astronaut):
    """The astronaut's head (a real photograph the HOG detector finds)."""
    return np.ascontiguousarray(astronaut[20:260, 100:340])


@pytest.mark.parametrize("magic", ["P5", "P6", "P2", "P3"])
@pytest.mark.parametrize("maxval", [1, 100, 254, 256, 1023, 4095])
def test_pnm_is_read_by_its_maxval_as_pillow_reads_it(tmp_path, rng, magic, maxval):
    channels = () if magic in ("P2", "P5") else (3,)
    samples = rng.integers(0, maxval + 1, (5, 7, *channels))
    samples.flat[0], samples.flat[1] = 0, maxval  # black and white present
    path = _pnm(tmp_path / "x.pnm", magic, maxval, samples)
    image = read_image(path)
    pil = np.asarray(Image.open(path))
    assert image.dtype == (np.uint8 if maxval <= 255 else np.uint16)
    assert image.flat[0] == 0
    assert image.flat[1] == np.iinfo(image.dtype).max
    if maxval <= 255 or not channels:  # Pillow: 8-bit to 255, 16-bit grey (mode I) to 65535
        assert np.array_equal(image, pil)
    else:  # Pillow reads a 16-bit PPM as 8 bits
        assert np.abs(read_image(path, as_uint8=True).astype(int) - pil).max() <= 1


@pytest.mark.parametrize("maxval", [255, 65535])
def test_pnm_of_full_8_or_16_bits_is_read_as_stored(tmp_path, rng, maxval):
    samples = rng.integers(0, maxval + 1, (4, 6, 3))
    image = read_image(_pnm(tmp_path / "x.ppm", "P6", maxval, samples))
    assert np.array_equal(image, samples)


@pytest.mark.parametrize("maxval", [100, 1023, 4095])
def test_a_face_in_a_pgm_of_another_maxval_is_found(tmp_path, head, maxval):
    grey = cv2.cvtColor(head, cv2.COLOR_RGB2GRAY)
    samples = np.rint(grey / 255 * maxval).astype(int)
    path = _pnm(tmp_path / "face.pgm", "P5", maxval, samples)
    assert np.abs(read_image(path, as_uint8=True).astype(int) - grey).max() <= 1
    assert len(detect_faces(read_image(path))) == 1


@pytest.mark.parametrize("depth", [10, 12])
def test_high_bit_depth_avif_is_read_by_its_depth(tmp_path, head, depth):
    bgr = np.ascontiguousarray(head[..., ::-1])
    eight, high = tmp_path / "face8.avif", tmp_path / f"face{depth}.avif"
    try:
        written = (cv2.imwrite(str(eight), bgr, [cv2.IMWRITE_AVIF_QUALITY, 100])
                   and cv2.imwrite(str(high), bgr.astype(np.uint16) * ((2 ** depth - 1) // 255),
                                   [cv2.IMWRITE_AVIF_DEPTH, depth, cv2.IMWRITE_AVIF_QUALITY, 100]))
    except (cv2.error, AttributeError):
        written = False
    if not written:
        pytest.skip("this OpenCV writes no AVIF")
    image = read_image(high)
    assert image.dtype == np.uint16
    # the same picture as the 8-bit file and as Pillow reads it (up to the codec's loss)
    assert np.abs(image / 65535 - read_image(eight) / 255).mean() < 0.02
    assert np.abs(read_image(high, as_uint8=True).astype(int) - np.asarray(Image.open(high))
                  ).mean() < 2
    assert len(detect_faces(image)) == 1


def test_scaling_rounds_as_pillow_and_clips_samples_over_the_maxval():
    assert scale_white(np.array([0, 1, 2, 3]), 3).tolist() == [0, 85, 170, 255]
    assert scale_white(np.array([0, 1023, 1024]), 1023).tolist() == [0, 65535, 65535]
    assert scale_white(np.array([[0, 50, 100]]), 100).dtype == np.uint8


def test_features_cached_from_the_unscaled_reading_are_recomputed():
    assert READER_VERSION >= 9  # part of every cache key: version 8 read them unscaled
