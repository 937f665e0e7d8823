"""TL10 F02: a tiled TIFF whose size tags claim more than its tiles cover is refused.

tifffile pads missing tiles with zeros, so a damaged ImageLength was read as a mostly-zero
image (exit 0), and a fuzzed one (ImageLength 11927589, one tile) made the reader allocate
gigabytes and run for more than 20 s; OpenCV, and aufeat before, refused such files.
"""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import tifffile

from aufeat.exceptions import UnreadableFileError
from aufeat.io import read_image


def _tall(path, height, orientation=1, tile=16):
    """Write a 37 x 53 tiled RGB TIFF at ``path`` whose ImageLength then claims ``height``."""
    pixels = np.random.default_rng(0).integers(1, 200, (37, 53, 3), dtype=np.uint8)
    tifffile.imwrite(path, pixels, photometric="rgb", tile=(tile, tile),
                     extratags=[(274, 3, 1, orientation, False)])
    data = bytearray(path.read_bytes())
    ifd = int.from_bytes(data[4:8], "little")
    for k in range(int.from_bytes(data[ifd:ifd + 2], "little")):
        entry = ifd + 2 + 12 * k
        if int.from_bytes(data[entry:entry + 2], "little") == 257:  # ImageLength, as LONG
            data[entry + 2:entry + 4] = (4).to_bytes(2, "little")
            data[entry + 8:entry + 12] = height.to_bytes(4, "little")
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(("height", "orientation"), [(400, 1), (4000, 6)])
def test_a_tiled_tiff_taller_than_its_tiles_is_refused(tmp_path, height, orientation):
    path = tmp_path / "tall.tif"
    _tall(path, height, orientation)
    with pytest.raises(UnreadableFileError, match=r"tall\.tif"):
        read_image(path)


def test_a_huge_damaged_image_length_is_refused_quickly(tmp_path):
    # as the fuzzed file: one 256 px tile, ImageLength 11927589 (632 M pixels, under
    # OpenCV's limit); run apart so that a regression is killed, not the test session
    path = tmp_path / "fuzzed.tif"
    _tall(path, 11927589, orientation=6, tile=256)
    code = textwrap.dedent(f"""
        from aufeat.exceptions import UnreadableFileError
        from aufeat.io import read_image
        try:
            read_image({str(path)!r})
        except UnreadableFileError:
            print("refused")
    """)
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=15)
    except subprocess.TimeoutExpired:
        pytest.fail("reading a tiled TIFF with a damaged ImageLength ran past 15 s")
    assert done.stdout.strip() == "refused", done.stderr[-2000:]


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads Linux's VmHWM")
def test_a_tiled_tiff_of_many_image_widths_is_refused_without_a_large_allocation(tmp_path):
    # FL1 F02: an ImageWidth of 45 values (a damaged tag) is a tuple to tifffile, and
    # ImageLength * ImageWidth then built a tuple of 45 x ImageLength items (4.6 GB here)
    path = tmp_path / "wide.tif"
    _tall(path, 4_000_000, tile=16)
    data = bytearray(path.read_bytes())
    ifd = int.from_bytes(data[4:8], "little")
    for k in range(int.from_bytes(data[ifd:ifd + 2], "little")):
        entry = ifd + 2 + 12 * k
        if int.from_bytes(data[entry:entry + 2], "little") == 256:  # ImageWidth: 45 LONGs
            data[entry + 2:entry + 4] = (4).to_bytes(2, "little")  # from the pixels
            data[entry + 4:entry + 8] = (45).to_bytes(4, "little")
            data[entry + 8:entry + 12] = (8).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    # the child's own peak (VmHWM, which starts anew at exec; ru_maxrss keeps the forking
    # pytest worker's, gigabytes late in a run)
    code = textwrap.dedent(f"""
        from aufeat.exceptions import UnreadableFileError
        from aufeat.io import read_image
        try:
            read_image({str(path)!r})
        except UnreadableFileError:
            with open("/proc/self/status") as status:
                peak, = (line.split()[1] for line in status if line.startswith("VmHWM:"))
            print("refused", int(peak) // 1024)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    word, peak_mib = done.stdout.split()
    assert word == "refused", done.stderr[-2000:]
    assert int(peak_mib) < 1024  # 4,000,000 x 45 tuple items: about 1.4 GB more before
