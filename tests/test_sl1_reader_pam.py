"""SL1 F2: the numbers of a PNM/PAM header are read with a bound.

Python's ``int()`` refuses strings of more than 4300 digits with a raw ValueError: a
damaged PAM whose WIDTH had 5000 digits stopped ``aufeat crop`` with a traceback (it
names the file and goes on for an UnreadableFileError), and so did a PGM whose numbers
OpenCV reads with thousands of leading zeros.
"""

import numpy as np
import pytest

from aufeat.exceptions import UnreadableFileError
from aufeat.io import read_image

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
