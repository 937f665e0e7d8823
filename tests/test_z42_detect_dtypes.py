"""detect_faces reads pixel types as its docstring says (as check_image does).

Integers other than uint8 and uint16 must lie in 0-255 and are read as uint8 (not scaled
by their type's range, as img_as_float would); beyond it they are refused, with the fix.
"""

import numpy as np
import pytest

from aufeat.exceptions import InvalidImageError
from aufeat.face import detect_faces


@pytest.fixture(scope="module")
def head(astronaut):
    return np.ascontiguousarray(astronaut[20:260, 100:340])


@pytest.mark.parametrize("dtype", [np.int16, np.int32, np.int64, np.uint32])
def test_other_integers_in_0_255_are_read_as_uint8(head, dtype):
    assert detect_faces(head.astype(dtype)) == detect_faces(head)


def test_other_integers_beyond_255_are_refused_not_scaled(head):
    with pytest.raises(InvalidImageError, match="0-255"):
        detect_faces(head.astype(np.int16) * 128)


def test_the_docstring_says_what_happens():
    doc = " ".join(detect_faces.__doc__.split())
    assert "must lie in 0-255 and are read as uint8" in doc
    assert "other numeric types are scaled as" not in doc
