"""SL1 F2, F4, F5: PAM files in folders, with CRLF headers, and absurd header numbers.

F4: ``.pam`` (netpbm's own name for the format) was not in IMAGE_EXTENSIONS: folders of
PAM files were refused as "not images by extension ... convert them". F5: a header
written with CRLF line ends (text mode on Windows) went to OpenCV, which read the raster
one byte off with red and blue swapped. F2: Python's ``int()`` refuses strings of more
than 4300 digits with a raw ValueError: a damaged PAM whose WIDTH had 5000 digits stopped
``aufeat crop`` with a traceback (it names the file and goes on for an
UnreadableFileError), and so did a PGM whose numbers OpenCV reads with thousands of
leading zeros.
"""

import numpy as np
import pytest

from aufeat.datasets import load_image_folder
from aufeat.exceptions import UnreadableFileError
from aufeat.io import read_image

_HEADER = "P7\nWIDTH {w}\nHEIGHT {h}\nDEPTH 3\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n"

_FIELDS = {"WIDTH": "2", "HEIGHT": "1", "DEPTH": "3", "MAXVAL": "255"}


@pytest.mark.parametrize("field", list(_FIELDS))
def test_a_pam_header_number_of_thousands_of_digits_is_an_unreadable_file(tmp_path, field):
    fields = dict(_FIELDS, **{field: "9" * 5000})
    path = tmp_path / "damaged.pam"
    path.write_bytes(b"P7\n" + "".join(f"{k} {v}\n" for k, v in fields.items()).encode()
                     + b"ENDHDR\n" + bytes(6))
    with pytest.raises(UnreadableFileError, match=r"damaged\.pam.*not a complete PAM"):
        read_image(path)


@pytest.mark.parametrize("where", [0, 2])  # WIDTH, MAXVAL
def test_a_pgm_number_with_thousands_of_leading_zeros_is_read_as_opencv_reads_it(tmp_path,
                                                                                   where):
    samples = np.arange(12, dtype=np.uint8).reshape(3, 4) * 8
    numbers = ["4", "3", "100"]
    plain = tmp_path / "plain.pgm"
    plain.write_bytes(f"P5\n{' '.join(numbers)}\n".encode() + samples.tobytes())
    numbers[where] = "0" * 5000 + numbers[where]
    zeros = tmp_path / "zeros.pgm"
    zeros.write_bytes(f"P5\n{' '.join(numbers)}\n".encode() + samples.tobytes())
    np.testing.assert_array_equal(read_image(zeros), read_image(plain))


def test_a_folder_of_pam_files_is_read(tmp_path):
    rng = np.random.default_rng(0)
    expected = {}
    for label in ("happy", "sad"):
        (tmp_path / label).mkdir()
        for i in range(2):
            rgb = rng.integers(0, 256, (8, 6, 3)).astype(np.uint8)
            path = tmp_path / label / f"f{i}.pam"
            path.write_bytes(_HEADER.format(w=6, h=8).encode() + rgb.tobytes())
            expected[str(path)] = rgb
    data = load_image_folder(tmp_path)
    assert sorted(map(str, data.paths)) == sorted(expected)
    for path, image in zip(data.paths, data.load_images(), strict=True):
        np.testing.assert_array_equal(image, expected[str(path)])


def test_a_pam_header_with_crlf_line_ends_is_read_as_with_lf(tmp_path):
    rgb = np.array([[[200, 10, 0], [0, 10, 200]]], np.uint8)
    path = tmp_path / "windows.pam"
    path.write_bytes(_HEADER.format(w=2, h=1).replace("\n", "\r\n").encode() + rgb.tobytes())
    np.testing.assert_array_equal(read_image(path), rgb)
