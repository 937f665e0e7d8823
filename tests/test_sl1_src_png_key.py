"""SL1 F6: a 16-bit RGB PNG's colour key is told by the file's bit depth, not its value.

Pillow reads a 16-bit PNG's samples at 8 bits and keeps its key at 16: pil_pixels took a
key for 16-bit only when a value was above 255, so a dark key such as (10, 20, 30) was
compared with the 8-bit samples as it stands: the keyed pixels stayed opaque and opaque
pixels whose high bytes were (10, 20, 30) became transparent, the reverse of the file.
"""

import numpy as np
import pytest
from PIL import Image

from aufeat._pil_pixels import pil_pixels
from aufeat.io import read_image

from .test_z81_src_png_key import rgb16_png


@pytest.mark.parametrize("loaded", [False, True])  # loaded first: the depth from the file
def test_a_16_bit_pngs_dark_colour_key_makes_its_pixels_transparent(tmp_path, loaded):
    key = (10, 20, 30)  # every sample <= 255, at 16 bits
    row = [key, (10 * 256 + 5, 20 * 256 + 7, 30 * 256 + 1), (40000, 6000, 7000), (65535,) * 3]
    path = rgb16_png(tmp_path / "key16.png", row, key)
    from_file = read_image(path)
    assert from_file[0, :, 3].tolist() == [0, 65535, 65535, 65535]  # OpenCV applies the key
    with Image.open(path) as opened:
        if loaded:
            opened.load()
        pixels = pil_pixels(opened)
    assert pixels.shape == (1, len(row), 4)
    np.testing.assert_array_equal(pixels[..., 3] > 0, from_file[..., 3] > 0)
    np.testing.assert_array_equal(pixels[..., :3], from_file[..., :3] >> 8)



@pytest.mark.parametrize("twice", [False, True])
def test_a_keyed_16_bit_png_loaded_from_bytes_is_keyed_by_its_depth(tmp_path, twice):
    """Opened from bytes and loaded (Hugging Face datasets), or given to pil_pixels a
    second time (fit, then transform): no tile and no file name, the key was judged by
    its value again; the header is read from the stream Pillow keeps."""
    from io import BytesIO

    key = (10, 20, 30)
    row = [key, (10 * 256 + 5, 20 * 256 + 7, 30 * 256 + 1), (40000, 6000, 7000), (65535,) * 3]
    path = rgb16_png(tmp_path / "key16.png", row, key)
    from_file = read_image(path)
    image = Image.open(BytesIO(path.read_bytes()))
    if twice:
        pil_pixels(image)
    else:
        image.load()
    pixels = pil_pixels(image)
    np.testing.assert_array_equal(pixels[..., 3] > 0, from_file[..., 3] > 0)


@pytest.mark.parametrize("made", ["copy", "crop"])
def test_a_copy_of_a_keyed_8_bit_png_is_taken_as_the_user_left_it(tmp_path, made):
    rgb = np.random.default_rng(1).integers(1, 256, (8, 8, 3)).astype(np.uint8)
    rgb[:2] = 0
    Image.fromarray(rgb).save(tmp_path / "k8.png", transparency=(0, 0, 0))
    assert read_image(tmp_path / "k8.png")[0, 0].tolist() == [0, 0, 0, 0]  # the file
    with Image.open(tmp_path / "k8.png") as opened:
        image = opened.copy() if made == "copy" else opened.crop((0, 0, 8, 8))
    np.testing.assert_array_equal(pil_pixels(image), rgb)  # documented: its key not applied
