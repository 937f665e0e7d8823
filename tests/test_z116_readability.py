"""Round 21 (Z116): readability findings with a checkable shape.

Item 6: ``aufeat._exif.upright(image, data, name)`` never read ``name``, though
``aufeat.io`` passed it the file path, as if ``upright`` named the file in its errors; it
never raises. The parameter is gone.

Item 4: ``aufeat._sources`` (a docstring about list items) also held the conversion of PIL
images to pixels, and parsed a PNG's IHDR bit depth a second time beside
``_png_key.grey_key``. The conversion is in ``aufeat._pil_pixels`` (still importable from
``_sources``), and the bit depth is read by ``_png_key.ihdr_depth`` only.
"""

import inspect
import io

import numpy as np
import pytest
from PIL import Image

from aufeat import _exif, _pil_pixels, _png_key, _sources


def test_upright_takes_the_pixels_and_the_file_bytes_only():
    assert list(inspect.signature(_exif.upright).parameters) == ["image", "data"]
    with pytest.raises(TypeError):
        _exif.upright(np.zeros((2, 2, 3), np.uint8), b"", "photo.png")


def test_the_pil_conversion_has_its_own_module():
    assert "PIL image" in _pil_pixels.__doc__.splitlines()[0]
    assert not hasattr(_sources, "pil_pixels")
    assert "pil_pixels" not in _sources.__doc__.splitlines()[0]


@pytest.mark.parametrize(("mode", "bits"), [("1", 1), ("L", 8), ("I;16", 16), ("RGB", 8)])
def test_ihdr_depth_reads_the_bit_depth_a_png_was_written_at(mode, bits):
    buffer = io.BytesIO()
    Image.new(mode, (3, 2)).save(buffer, "PNG", transparency=0 if mode != "RGB" else (0, 0, 0))
    data = buffer.getvalue()
    assert _png_key.ihdr_depth(data) == bits
    if mode != "RGB":
        assert _png_key.grey_key(data) == (bits, 0)
    assert _png_key.ihdr_depth(data[:24]) is None  # cut short: no depth
    jpeg = io.BytesIO()
    Image.new("RGB", (3, 2)).save(jpeg, "JPEG")
    assert _png_key.ihdr_depth(jpeg.getvalue()) is None
