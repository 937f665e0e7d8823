"""TIFFs with extra samples that OpenCV reads as other pixels or refuses, read with tifffile.

OpenCV decodes a grey (MINISBLACK or MINISWHITE) TIFF with extra samples as it comes:
16-bit grey + 2 samples as a colour mixed to grey, 32-bit and float ones as colour,
signed 16-bit as black, 8-bit planar ones scrambled, an alpha lost; an RGB TIFF of more
than one extra sample (alpha and a saved selection) it refuses (4 channels at most).
:func:`extra_samples_tiff` reads them all in one way, as aufeat reads the same picture
without its unspecified samples (grey, grey + alpha, RGB or RGBA).
"""

from __future__ import annotations

import io
import math

import numpy as np

from ._exif import _ORIENT, opencv_pixel_limit
from ._tiff_alpha import unassociated
from ._tiff_header import TIFF_MAGIC, tiff_tags
from ._tiff_planar import _missing_codec, cut_short, data_ends, past_end
from ._tiff_tiles import _floor_unassociated, _tiles_cover
from .exceptions import MissingCodecError, UnreadableFileError

__all__ = ["extra_samples_tiff"]

_GREY = (0, 1)  # PhotometricInterpretation MINISWHITE, MINISBLACK
_ALPHA = (1, 2)  # ExtraSamples: associated, unassociated alpha (0: unspecified)


def extra_samples_tiff(data: bytes, path) -> np.ndarray | None:
    """Return a grey TIFF of extra samples, or RGB of 2 or more, as aufeat reads it; else None.

    Also 8-bit planar RGB + associated alpha, whose colours OpenCV leaves premultiplied
    (Pillow cannot decode it): read as the same picture stored contiguous is read.

    The first page, read with tifffile (scikit-image's dependency), in strips, tiles or
    planes, of 8, 16, 32 or 64-bit samples (unsigned, signed or float), up to OpenCV's
    pixel limit, turned upright by its orientation tag: the first sample is the grey
    (MINISWHITE inverted at 8 and 16 bits, as OpenCV reads such grey alone), the first
    extra sample marked alpha is kept, giving (grey, grey, grey, alpha) as an LA PNG is
    read, or RGBA, and unspecified ones (a mask, a selection, depth) are dropped;
    associated alpha is divided out (8 bits: rounded down, as Pillow reads grey + alpha
    and RGBA, RGB black where alpha is 0; planar grey and other types: to the nearest, as
    :mod:`aufeat._tiff_planar`). Other files, those of pixels past the end of ``data``
    (cut short), of fewer strips or tiles than their size needs, or that tifffile cannot
    read (damaged) give None: OpenCV's decoding then stands, or its error; but a planar
    file cut short (planes past the end) raises UnreadableFileError naming ``path`` as
    incomplete (:func:`aufeat._tiff_planar.cut_short`), as OpenCV misreads or refuses
    it, except 8-bit grey with unspecified samples only (OpenCV reads its grey); so does 8-bit
    contiguous grey + alpha, whose alpha :func:`aufeat._tiff_alpha.grey_alpha_tiff` reads
    with Pillow (within Pillow's pixel limit), as these rules do. Raises
    MissingCodecError naming ``path`` for a compression tifffile decodes only with
    ``imagecodecs`` (LZW, JPEG), unless Pillow or OpenCV read the file right (8-bit grey
    + alpha, 8-bit grey + unspecified samples, 8-bit planar RGB + associated alpha: None).
    """
    if data[:4] not in TIFF_MAGIC or (tags := tiff_tags(data)) is None:
        return None
    grey = tags.photometric in _GREY and tags.samples >= 2
    rgb = tags.photometric == 2 and (tags.samples >= 5 or (  # 8-bit planar RGB + associated
        tags.layout == (2, 4, (1,)) and tags.planar == 2 and tags.uint8))  # alpha: Pillow can't
    if not (grey or rgb) or not _plain_type(tags):
        return None
    if tags.layout in ((1, 2, (1,)), (1, 2, (2,))) and tags.uint8 and tags.planar == 1:
        return None  # 8-bit grey + alpha: Pillow reads it (aufeat._tiff_alpha.grey_alpha_tiff)
    try:
        import tifffile
    except ImportError:  # pragma: no cover - installed with scikit-image
        return None
    try:
        with tifffile.TiffFile(io.BytesIO(data)) as tiff:
            page = tiff.pages[0]
            extra = tuple(int(x) for x in page.extrasamples)
            colours = 1 if grey else 3
            if (int(page.photometric) != tags.photometric or page.imagedepth != 1
                    or page.samplesperpixel != tags.samples
                    or len(extra) != page.samplesperpixel - colours
                    or page.imagelength * page.imagewidth > opencv_pixel_limit()):
                return None
            if not _whole(page, len(data)):
                if page.planarconfig == 2 and past_end(page, len(data)) and not (
                        page.dtype == np.uint8 and tags.photometric == 1 and set(extra) == {0}):
                    raise cut_short(path, len(data))  # else OpenCV reads its grey, or refuses
                return None
            if (missing := _missing_codec(tifffile, page)) is not None:
                if (_read_right(page, extra) if grey else page.samplesperpixel == 4):
                    return None  # Pillow reads a compressed 8-bit planar RGBA right
                return _no_codec(path, page, extra, missing)
            pixels = page.asarray()
            planar = page.planarconfig == 2
            if planar:
                pixels = np.moveaxis(pixels, 0, -1)
            if pixels.shape != (page.imagelength, page.imagewidth, page.samplesperpixel):
                return None
            tag = page.tags.get(274)  # Orientation: tifffile gives the pixels as stored
            orientation = None if tag is None else int(tag.value)
    except UnreadableFileError:  # MissingCodecError, a file cut short
        raise
    except Exception:  # a damaged or crafted file: tifffile raises many kinds
        return None
    pixels = _kept(pixels, colours, extra, tags.photometric, planar)
    turn = _ORIENT.get(orientation)
    return np.ascontiguousarray(pixels if turn is None else turn(pixels))


def _plain_type(tags) -> bool:
    """Whether every sample is of one type tifffile gives as NumPy's: 8-64-bit integers, floats."""
    bits, formats = set(tags.bits), set(tags.formats)
    if len(bits) != 1 or len(formats) != 1:
        return False
    (bit,), (kind,) = bits, formats
    return bit in (8, 16, 32, 64) and (kind in (1, 2) or (kind == 3 and bit in (32, 64)))


def _whole(page, size: int) -> bool:
    """Whether ``page`` has all its strips or tiles, each inside the file's ``size`` bytes.

    Each as :func:`aufeat._tiff_planar.data_ends` tells: uncompressed, the bytes its
    pixels need, however many its count states.
    """
    if page.is_tiled:
        if not _tiles_cover(page):
            return False
    else:
        rows = page.rowsperstrip if 0 < page.rowsperstrip < page.imagelength else page.imagelength
        planes = page.samplesperpixel if page.planarconfig == 2 else 1
        if len(page.dataoffsets) != math.ceil(page.imagelength / max(rows, 1)) * planes:
            return False
    return len(page.dataoffsets) == len(page.databytecounts) and all(
        end is not None and end <= size for end in data_ends(page))


def _kept(pixels: np.ndarray, colours: int, extra: tuple, photometric: int,
          planar: bool) -> np.ndarray:
    """Return ``(H, W, samples)`` pixels as read: grey, RGB, grey x 3 + alpha or RGBA."""
    colour = pixels[..., :colours]
    if photometric == 0 and colour.dtype in (np.uint8, np.int8, np.uint16):
        colour = ~colour  # MINISWHITE, as OpenCV reads 8-bit and aufeat 16-bit grey
    alpha = next((i for i, kind in enumerate(extra) if kind in _ALPHA), None)
    if alpha is None:
        return colour[..., 0] if colours == 1 else colour
    if colours == 1:
        colour = colour[..., [0, 0, 0]]
    pixels = np.concatenate([colour, pixels[..., colours + alpha:colours + alpha + 1]], axis=-1)
    if extra[alpha] != 1:
        return pixels
    if pixels.dtype != np.uint8 or (planar and colours == 1):
        return unassociated(pixels)
    pixels = _floor_unassociated(pixels)
    if colours == 3:  # as Pillow's RGBa -> RGBA, which 8-bit RGBA TIFFs are read with
        pixels[..., :3][pixels[..., 3] == 0] = 0
    return pixels


def _read_right(page, extra: tuple) -> bool:
    """Whether Pillow or OpenCV read this grey file right (8-bit grey + alpha, + unspecified)."""
    return page.dtype == np.uint8 and page.samplesperpixel <= 4 and (
        set(extra) == {0} or (len(extra) == 1 and int(page.photometric) == 1))


def _no_codec(path, page, extra: tuple, missing: str):
    """Raise MissingCodecError for a file of extra samples whose compression tifffile lacks."""
    kind = "grey" if page.samplesperpixel - len(extra) == 1 else "RGB"
    raise MissingCodecError(
        f"{str(path)!r} is a TIFF of {kind} and {len(extra)} extra samples (ExtraSamples "
        f"{list(extra)}; {page.dtype}), which OpenCV reads wrong, and whose {missing} "
        "tifffile decodes only with the 'imagecodecs' package, which is not installed: "
        "install it (pip install imagecodecs), or save the image uncompressed or with "
        "deflate (zip) compression, or as grey, grey + alpha, RGB or RGBA")
