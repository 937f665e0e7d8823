"""Round 21 (Z116): readability findings with a checkable shape.

Item 6: ``aufeat._exif.upright(image, data, name)`` never read ``name``, though
``aufeat.io`` passed it the file path, as if ``upright`` named the file in its errors; it
never raises. The parameter is gone.
"""

import inspect

import numpy as np
import pytest

from aufeat import _exif


def test_upright_takes_the_pixels_and_the_file_bytes_only():
    assert list(inspect.signature(_exif.upright).parameters) == ["image", "data"]
    with pytest.raises(TypeError):
        _exif.upright(np.zeros((2, 2, 3), np.uint8), b"", "photo.png")
