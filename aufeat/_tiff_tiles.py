"""Tiled TIFFs that OpenCV cannot decode from memory, read with tifffile instead.

OpenCV's ``imdecode`` refuses uncompressed 8-bit TIFFs of small tiles (16-48 px: "Invalid
tile byte count", libtiff's RGBA tile interface), which ``cv2.imread``, Pillow and tifffile
read: :func:`tiled_tiff` reads them, as aufeat reads the same picture stored in strips.
"""

from __future__ import annotations

import io
import numbers

import numpy as np

from ._exif import _ORIENT, opencv_pixel_limit
from ._tiff_alpha import unassociated
from ._tiff_header import TIFF_MAGIC, tiff_tags
from ._tiff_planar import _LAYOUTS, _missing_codec, laid_out
from .exceptions import MissingCodecError

__all__ = ["grey_extra_tiles", "tiled_tiff"]

# Compressions OpenCV's libtiff decodes itself (LZW, old and new JPEG, deflate, PackBits):
# where it failed on one of these, the tiles are damaged, and imagecodecs would not help
_OPENCV_DECODES = frozenset({5, 6, 7, 8, 32946, 32773})
#: MINISWHITE, MINISBLACK and palette (8-bit) files of one sample
_ONE_SAMPLE = frozenset({(0, 1, ()), (1, 1, ()), (3, 1, ())})


def tiled_tiff(data: bytes, path) -> np.ndarray | None:
    """Return a contiguous tiled TIFF of grey, RGB(A) or grey+alpha as aufeat reads it, else None.

    For a file OpenCV could not decode: the first page, read with tifffile (scikit-image's
    dependency), up to OpenCV's pixel limit, turned upright by its orientation tag, alpha
    straight, an RGB file's unspecified 4th sample dropped and grey+alpha as (grey, grey,
    grey, alpha), as :mod:`aufeat._tiff_planar` reads planar files; MINISWHITE grey
    inverted and 8-bit palette as RGB, as OpenCV reads them in strips. Other files, and files
    whose tiles lie (in part) past the end of ``data`` (cut short), that have fewer or more
    tiles than their size tags need, or that tifffile cannot read whole (damaged), give
    None: the caller's error stands. Raises MissingCodecError naming ``path`` for a
    compression that neither OpenCV nor tifffile decodes here (tifffile needs
    ``imagecodecs``, which is not installed); a damaged file of a compression OpenCV
    decodes (JPEG, LZW, deflate, PackBits) gives None.
    """
    if data[:4] not in TIFF_MAGIC:
        return None
    try:
        import tifffile
    except ImportError:  # pragma: no cover - installed with scikit-image
        return None
    try:
        with tifffile.TiffFile(io.BytesIO(data)) as tiff:
            page = tiff.pages[0]
            layout = _grey_extra((int(page.photometric), page.samplesperpixel,
                                  tuple(int(x) for x in page.extrasamples)))
            if (not page.is_tiled or page.planarconfig != 1 or page.imagedepth != 1
                    or (layout not in _LAYOUTS and layout not in _ONE_SAMPLE)
                    or page.dtype not in (np.uint8, np.uint16)
                    or (layout == (3, 1, ()) and page.dtype != np.uint8)
                    or not all(isinstance(n, numbers.Integral)  # a damaged tag's values:
                               for n in (page.imagelength, page.imagewidth))  # a tuple
                    or page.imagelength * page.imagewidth > opencv_pixel_limit()
                    or not _tiles_cover(page)
                    or not all(count > 0 and offset + count <= len(data) for offset, count
                               in zip(page.dataoffsets, page.databytecounts, strict=True))):
                return None
            missing = _missing_codec(tifffile, page)
            if missing is not None and int(page.compression) in _OPENCV_DECODES:
                return None  # OpenCV has this codec: its failure is the file's (damaged)
            pixels = None if missing else page.asarray()
            tag = page.tags.get(274)  # Orientation: tifffile gives the pixels as stored
            orientation = None if tag is None else int(tag.value)
            if missing is None:
                pixels = _as_read(pixels, layout, page)
    except Exception:  # a damaged or crafted file: tifffile raises many kinds
        return None
    if missing is not None:  # a setting of this environment, not of the file
        raise MissingCodecError(
            f"{str(path)!r} is a tiled TIFF whose {missing} tifffile decodes only with the "
            "'imagecodecs' package, which is not installed (nor can OpenCV decode it): "
            "install it (pip install imagecodecs), or save the image in strips (not tiled)")
    if pixels is None:
        return None
    turn = _ORIENT.get(orientation)
    try:
        return np.ascontiguousarray(pixels if turn is None else turn(pixels))
    except ValueError:  # pragma: no cover - the shape was checked in _as_read
        return None


def grey_extra_tiles(data: bytes, path) -> np.ndarray | None:
    """Return a tiled grey TIFF with unspecified extra samples as :func:`tiled_tiff` reads it.

    OpenCV decodes such a file (tiles of 32 px and more, or compressed) with scrambled
    partial edge tiles: tifffile's pixels (the grey sample, as OpenCV reads the same
    picture in strips) instead. None for other files, and where tifffile cannot read it (a
    compression it needs ``imagecodecs`` for): OpenCV's pixels then stand. A tiled file of
    an orientation other than 1 reaches here as orientation 1 (:func:`aufeat.io.decode_image`
    decodes it as stored, then turns it), as it reaches :func:`tiled_tiff`.
    """
    tags = tiff_tags(data, frozenset({262, 277, 322, 338}))
    if tags is None or not tags.tiled or _grey_extra(tags.layout) != (1, 2, (0,)):
        return None  # alpha: re-read with Pillow (aufeat._tiff_alpha)
    try:
        return tiled_tiff(data, path)
    except MissingCodecError:
        return None


def _grey_extra(layout: tuple) -> tuple:
    """``layout``, grey with any number of unspecified extra samples as with one."""
    photometric, samples, extra = layout
    if photometric == 1 and samples > 2 and extra == (0,) * (samples - 1):
        return 1, 2, (0,)
    return layout


def _tiles_cover(page) -> bool:
    """Whether ``page`` has one offset and byte count for each tile its size tags need.

    tifffile pads missing tiles with zeros to the tags' size: a damaged size tag (an
    ImageLength of millions) would give a mostly-zero image, gigabytes of it.
    """
    high, wide = page.tilelength, page.tilewidth
    if high <= 0 or wide <= 0:
        return False
    tiles = -(-page.imagelength // high) * -(-page.imagewidth // wide)
    return len(page.dataoffsets) == len(page.databytecounts) == tiles


def _as_read(pixels, layout, page) -> np.ndarray | None:
    """Return tifffile's ``pixels`` of ``page`` as aufeat reads them, None unless they are whole.

    A damaged tag (e.g. an ImageWidth of an invalid field type) can give pixels of 0 or 1
    dimensions, or of another size than the tags say: None, so the caller refuses the file.
    """
    height, width, samples = page.imagelength, page.imagewidth, page.samplesperpixel
    shape = (height, width) if samples == 1 else (height, width, samples)
    if height <= 0 or width <= 0 or pixels is None or pixels.shape != shape:
        return None
    if layout == (0, 1, ()):  # MINISWHITE: white 0, as OpenCV reads it in strips
        return np.iinfo(pixels.dtype).max - pixels
    if layout == (3, 1, ()):  # palette: RGB, by a colormap of 16 bits (or 8, as libtiff)
        colours = page.colormap
        colours = colours if colours.max() < 256 else colours >> 8
        return np.ascontiguousarray(colours.astype(np.uint8).T[pixels])
    if layout != (1, 1, ()):
        pixels, alpha = laid_out(pixels, layout)
        if layout == (1, 2, (1,)) and pixels.dtype == np.uint8:  # grey + associated alpha
            pixels = _floor_unassociated(pixels)  # as Pillow reads the same picture in strips
        elif alpha == 1:
            pixels = unassociated(pixels)
    return pixels


def _floor_unassociated(pixels: np.ndarray) -> np.ndarray:
    """Return 8-bit colour + alpha with the colours divided by alpha as Pillow's ``La`` -> ``LA``.

    ``colour * 255 // alpha`` (rounded down, not to the nearest as :func:`unassociated`),
    clipped to 255, where alpha is above 0: the pixels of such a file in strips, which
    :func:`aufeat._tiff_alpha.grey_alpha_tiff` reads with Pillow.
    """
    alpha = pixels[..., -1:].astype(np.int32)
    colour = pixels[..., :-1].astype(np.int32)
    straight = np.where(alpha > 0, np.minimum(colour * 255 // np.maximum(alpha, 1), 255), colour)
    return np.concatenate([straight.astype(np.uint8), pixels[..., -1:]], axis=-1)
