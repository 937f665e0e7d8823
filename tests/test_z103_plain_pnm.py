"""Z103 F4: plain PBM/PGM/PPM whose last sample has no white space after it are read.

netpbm needs no white space after a plain file's last number, and scripts that write them
with ``" ".join(...)`` end that way; OpenCV refused such files ("could not be decoded ...
complete?") while it read them with a final newline.
"""

import numpy as np
import pytest

from aufeat.exceptions import UnreadableFileError
from aufeat.io import read_image

RGB = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3) * 10


def _text(values) -> bytes:
    return " ".join(map(str, np.ravel(values))).encode()


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("rgb.ppm", b"P3\n3 2\n255\n" + _text(RGB), RGB),
    ("grey.pgm", b"P2\n3 2\n255\n" + _text(RGB[..., 0]), RGB[..., 0]),
    ("grey200.pgm", b"P2\n3 2\n200\n" + _text(RGB[..., 0]),
     np.rint(RGB[..., 0] * 255.0 / 200).astype(np.uint8)),
    ("bits.pbm", b"P1\n3 2\n0 1 0 1 0 1", np.array([[255, 0, 255], [0, 255, 0]], np.uint8)),
])
def test_a_plain_file_without_a_final_newline_is_read(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    image = read_image(path)
    np.testing.assert_array_equal(image, expected)
    path.write_bytes(data + b"\n")
    np.testing.assert_array_equal(read_image(path), image)


def test_a_plain_file_short_of_samples_is_still_refused(tmp_path):
    path = tmp_path / "short.pgm"
    path.write_bytes(b"P2\n3 2\n255\n1 2 3 4")
    with pytest.raises(UnreadableFileError, match=r"short\.pgm"):
        read_image(path)
