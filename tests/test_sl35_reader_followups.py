"""SL35: follow-ups of the Z135 reader of TIFFs with extra samples.

F1: a planar TIFF of a layout aufeat reads (e.g. 16-bit or float grey + 2 unspecified
samples, MINISWHITE + alpha), cut short, was refused as "a layout aufeat does not read;
save it with its channels interleaved": the file is incomplete, which the message must
say. F2: an 8-bit planar RGB + associated alpha TIFF came back with its colours still
premultiplied (OpenCV's; Pillow cannot decode raw planar RGBA), unlike the same pixels
stored contiguous.
"""

import numpy as np
import pytest
import tifffile

from aufeat.exceptions import UnreadableFileError
from aufeat.io import read_image

H, W = 40, 50

# (dtype, photometric, ExtraSamples): the planar layouts SL35 saw refused for their layout
# when cut to 90 % (trunc_planar_all.py), and two of the planar_tiff path (16-bit RGB,
# 8-bit grey + alpha), refused with the same interleaving advice
_CUT_LAYOUTS = [
    *[(dtype, "minisblack", extra)
      for dtype in ("float32", "float64", "int8", "int16", "int32", "uint16", "uint32")
      for extra in ([0, 0], [2, 0])],
    *[(dtype, "miniswhite", extra)
      for dtype in ("int8", "int16", "uint8", "uint16") for extra in ([2], [0])],
    ("uint16", "rgb", []), ("uint8", "minisblack", [2]),
]


def _planar_file(path, dtype, photometric, extra, planar=True):
    """Write a TIFF of random 0-255 samples (0-1 for floats) of ``dtype``; return its bytes."""
    colours = 3 if photometric == "rgb" else 1
    rng = np.random.default_rng(35)
    pixels = rng.integers(0, 256, (H, W, colours + len(extra)))
    pixels = pixels / 255 if np.dtype(dtype).kind == "f" else pixels
    pixels = pixels.astype(dtype)
    options = {"photometric": photometric, "extrasamples": extra, "rowsperstrip": 8}
    if planar:
        options["planarconfig"] = "separate"
        pixels = np.moveaxis(pixels, -1, 0)
    tifffile.imwrite(path, pixels, **options)
    return path.read_bytes()


@pytest.mark.parametrize(("dtype", "photometric", "extra"), _CUT_LAYOUTS)
def test_cut_planar_tiff_is_refused_as_incomplete_not_for_its_layout(
        tmp_path, dtype, photometric, extra):
    data = _planar_file(tmp_path / "whole.tif", dtype, photometric, extra)
    assert read_image(tmp_path / "whole.tif").shape[:2] == (H, W)  # a layout aufeat reads
    cut = tmp_path / "cut.tif"
    cut.write_bytes(data[:int(len(data) * 0.9)])
    with pytest.raises(UnreadableFileError) as err:
        read_image(cut)
    message = str(err.value)
    assert "interleaved" not in message
    assert "does not read" not in message
    assert "cut short" in message
    assert "complete?" in message
    assert "cut.tif" in message


def test_cut_8bit_planar_grey_with_unspecified_samples_still_reads_its_grey(tmp_path):
    data = _planar_file(tmp_path / "whole.tif", "uint8", "minisblack", [0, 0])
    whole = read_image(tmp_path / "whole.tif")
    cut = tmp_path / "cut.tif"
    cut.write_bytes(data[:int(len(data) * 0.9)])  # the grey plane is whole: OpenCV reads it
    np.testing.assert_array_equal(read_image(cut), whole)


def test_cut_contiguous_tiff_keeps_its_message(tmp_path):
    data = _planar_file(tmp_path / "whole.tif", "uint16", "minisblack", [0, 0], planar=False)
    cut = tmp_path / "cut.tif"
    cut.write_bytes(data[:int(len(data) * 0.9)])
    with pytest.raises(UnreadableFileError, match=r"is it an image file, and complete\?"):
        read_image(cut)
