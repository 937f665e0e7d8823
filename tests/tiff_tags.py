"""Test helper: edit a TIFF file's tags in place (layouts no writer produces)."""

import struct


def without_extra_samples_tag(path):
    """Rename the ExtraSamples tag (338) of a classic little-endian TIFF's first page.

    Three grey planes with no tag saying what the two extra ones are: a layout aufeat
    does not read (with the tag, grey + 2 unspecified samples, it reads the grey: Z135 F1).
    """
    data = bytearray(path.read_bytes())
    offset = struct.unpack_from("<I", data, 4)[0]
    for at in range(offset + 2, offset + 2 + 12 * struct.unpack_from("<H", data, offset)[0], 12):
        if struct.unpack_from("<H", data, at)[0] == 338:
            struct.pack_into("<H", data, at, 65000)
    path.write_bytes(bytes(data))
