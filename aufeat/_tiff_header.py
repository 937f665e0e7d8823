"""The few tags of a TIFF's first page that decide how aufeat reads it, read without tifffile.

Parsing a small TIFF with tifffile costs several times OpenCV's decoding of it; most TIFFs
(contiguous RGB or grey of 8 or 16 bits) need none of the fixes of :mod:`aufeat._tiff_planar`
and :mod:`aufeat._tiff_alpha`, which these tags tell.
"""

from __future__ import annotations

import struct

__all__ = ["TIFF_MAGIC", "TiffTags", "tiff_tags", "unturned_tiled"]

TIFF_MAGIC = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")  # classic and BigTIFF

# PhotometricInterpretation, SamplesPerPixel, PlanarConfiguration, ExtraSamples,
# BitsPerSample, SampleFormat
_WANTED = frozenset({262, 277, 284, 338, 258, 339})
_TYPES = {1: "B", 3: "H", 4: "I", 16: "Q"}  # BYTE, SHORT, LONG, LONG8: unsigned integers
#: and the signed ones (SBYTE, SSHORT, SLONG), which libtiff also reads an Orientation from
_ANY_INTEGER = {**_TYPES, 6: "b", 8: "h", 9: "i"}
_MAX_ENTRIES = 4096  # more tags than a page has: a damaged or crafted file


class TiffTags:
    """The first page's tags that decide how it is read (TIFF's defaults where it has none).

    Attributes
    ----------
    photometric : int
        PhotometricInterpretation (0 MINISWHITE, 1 MINISBLACK, 2 RGB, ...).
    samples : int
        SamplesPerPixel.
    planar : int
        PlanarConfiguration (1 contiguous, 2 plane by plane).
    extra : tuple of int
        ExtraSamples (0 unspecified, 1 associated alpha, 2 unassociated alpha).
    bits : tuple of int
        BitsPerSample, one a sample.
    formats : tuple of int
        SampleFormat (1 unsigned integer, 2 signed, 3 float), one a sample.
    tiled : bool
        Whether the page is stored in tiles (where TileWidth is among the tags asked for).
    """

    def __init__(self, found: dict[int, tuple[int, ...]]):
        self.photometric = found[262][0]
        self.samples = found.get(277, (1,))[0]
        self.planar = found.get(284, (1,))[0]
        self.extra = found.get(338, ())
        self.bits = found.get(258, (1,))
        self.formats = found.get(339, (1,))
        self.tiled = 322 in found  # TileWidth: read only where asked for (``wanted``)

    @property
    def layout(self) -> tuple[int, int, tuple[int, ...]]:
        """``(photometric, samples, extra)``, as tifffile's page gives them."""
        return self.photometric, self.samples, self.extra

    @property
    def uint8(self) -> bool:
        """Whether every sample is an unsigned 8-bit integer."""
        return set(self.bits) == {8} and set(self.formats) == {1}


def _first_ifd(data: bytes) -> tuple[str, bool, list[tuple[int, int, int]]] | None:
    """Return ``(byte order, BigTIFF?, [(tag, field type, entry offset), ...])`` of page 1.

    None for other files and for a page of more entries than a page has (damaged or
    crafted). Raises struct.error or OverflowError where the page lies past the data.
    """
    if data[:4] not in TIFF_MAGIC:
        return None
    order = "<" if data[:2] == b"II" else ">"
    big = data[2:4] in (b"+\x00", b"\x00+")
    count_code, entry_size, offset_code = ("Q", 20, "Q") if big else ("H", 12, "I")
    offset = struct.unpack_from(order + offset_code, data, 8 if big else 4)[0]
    n = struct.unpack_from(order + count_code, data, offset)[0]
    if n > _MAX_ENTRIES:
        return None
    start = offset + (8 if big else 2)
    return order, big, [(*struct.unpack_from(order + "HH", data, at), at)
                        for at in range(start, start + n * entry_size, entry_size)]


def _count(data: bytes, order: str, big: bool, at: int) -> int:
    """Return the number of values of the entry at ``at``."""
    return struct.unpack_from(order + ("Q" if big else "I"), data, at + 4)[0]


def tiff_tags(data: bytes, wanted: frozenset[int] = _WANTED) -> TiffTags | None:
    """Return the tags of the first page (IFD) of the TIFF or BigTIFF ``data``, else None.

    None for other files and for a first page that cannot be read here or has no
    PhotometricInterpretation (whose reading is then left to tifffile). ``wanted``: the
    tags read (PhotometricInterpretation among them; TileWidth too, for ``tiled``).
    """
    try:
        if (ifd := _first_ifd(data)) is None:
            return None
        order, big, entries = ifd
        inline = 8 if big else 4
        found = {}
        for tag, kind, at in entries:
            if tag not in wanted or tag in found:  # a tag given twice: the first, as
                continue  # libtiff and tifffile read it
            if kind not in _TYPES:
                return None
            count = _count(data, order, big, at)
            if not 0 < count <= 64:
                return None
            code = order + _TYPES[kind] * count
            where = at + (12 if big else 8)
            if struct.calcsize(code) > inline:  # the values elsewhere, at this offset
                where = struct.unpack_from(order + ("Q" if big else "I"), data, where)[0]
            found[tag] = struct.unpack_from(code, data, where)
    except (struct.error, OverflowError):  # past the end of the data (an offset of 2**63
        return None  # or more: OverflowError): a damaged file, left to tifffile
    return TiffTags(found) if 262 in found else None


def unturned_tiled(data: bytes) -> tuple[bytes, int] | None:
    """Return a tiled TIFF of an orientation other than 1 as orientation 1, and that orientation.

    A copy of ``data`` whose first page's Orientation tag says 1 (top left); None for other
    files (strips, orientation 1 or none, a tag that is no integer, of another count, or
    one that cannot be read here). libtiff's RGBA tile interface,
    which OpenCV decodes tiles with, scrambles the pixels of some orientations (2, 3, 6,
    7) but reads tiles right as stored.
    """
    try:
        if (ifd := _first_ifd(data)) is None:
            return None
        order, big, entries = ifd
        value = at = None
        for tag, kind, entry in entries:
            count = _count(data, order, big, entry)  # every entry whole, or a damaged file
            if tag == 274 and at is None:  # given twice: the first, as libtiff reads it
                code = order + _ANY_INTEGER.get(kind, "")  # libtiff takes any integer type
                if code == order or count != 1 or struct.calcsize(code) > (8 if big else 4):
                    return None  # not an integer, or its value not in the entry
                at = entry + (12 if big else 8)
                value = struct.unpack_from(code, data, at)[0]
    except (struct.error, OverflowError):  # past the end of the data: a damaged file
        return None
    tiled = any(tag == 322 for tag, _, _ in entries)
    if not tiled or value not in range(2, 9):
        return None
    return data[:at] + struct.pack(code, 1) + data[at + struct.calcsize(code):], value
