"""TIFFs stored plane by plane ("per channel", PlanarConfiguration 2), which OpenCV reads wrong.

OpenCV decodes 16-bit and float planar RGB(A) TIFFs as if their planes were interleaved
(a scramble of the picture) and planar grey+alpha as grey, and PIL misreads planar
grey+alpha: :func:`planar_tiff` reads them with tifffile (scikit-image's dependency)
instead. 8-bit planar RGB(A), which OpenCV reads right (libtiff's RGBA interface), is left
to it, unless cut short (OpenCV returns the planes past the cut as zeros).
"""

from __future__ import annotations

import io
import struct

import numpy as np

from ._exif import _ORIENT
from ._tiff_alpha import unassociated
from ._tiff_header import _TYPES, TIFF_MAGIC, TiffTags, _count, _first_ifd
from .exceptions import MissingCodecError, UnreadableFileError

__all__ = ["cut_short", "data_ends", "laid_out", "past_end", "planar_tiff"]

# (PhotometricInterpretation, SamplesPerPixel, ExtraSamples) -> (channels kept, alpha kind):
# RGB, RGB + alpha (2 unassociated, 1 associated) or an unspecified 4th sample (0: not
# alpha, dropped, as Pillow reads it); grey + alpha as :mod:`aufeat._tiff_alpha` reads it,
# grey + an unspecified sample as grey (its extra sample dropped, as contiguous)
_LAYOUTS = {(2, 3, ()): (3, None), (2, 4, (2,)): (4, 2), (2, 4, (1,)): (4, 1),
            (2, 4, (0,)): (3, None), (1, 2, (2,)): (2, 2), (1, 2, (0,)): (1, None),
            (1, 2, (1,)): (2, 1)}
# the tags that tell where strips or tiles end: ImageWidth, ImageLength, Compression,
# StripOffsets, RowsPerStrip, StripByteCounts, TileWidth, TileLength, TileOffsets, TileByteCounts
_ENDS_TAGS = frozenset({256, 257, 259, 273, 278, 279, 322, 323, 324, 325})


def planar_tiff(data: bytes, path, tags: TiffTags | None = None) -> np.ndarray | None:
    """Return a planar TIFF that OpenCV reads wrong as RGB ``(H, W, 3)``, RGBA or grey, else None.

    Planar files of 2 samples, or of more than 8 bits or non-uint8 samples, are read
    with tifffile, the first page, planes moved last, turned upright by the orientation
    tag (as OpenCV turns TIFFs), alpha straight (associated alpha divided out, as in
    RGBA TIFFs), an unspecified 4th sample of RGB dropped, grey+alpha as (grey,
    grey, grey, alpha) and grey + an unspecified sample as grey ``(H, W)``, as aufeat
    reads the same picture stored contiguous. Other files
    give None, told by the first page's ``tags`` (:func:`aufeat._tiff_header.tiff_tags`
    of ``data``) without tifffile where they could be read. Raises UnreadableFileError
    naming ``path`` for a planar layout that it cannot read (other colour spaces or sample
    counts, a damaged file; a file whose strips or tiles end past its end as cut short, not
    for its layout: :func:`cut_short`, 8-bit RGB(A) too, but not 8-bit grey with
    unspecified samples only), MissingCodecError for a compression that tifffile decodes
    only with a package not installed (``imagecodecs``: LZW, JPEG, ...).
    """
    if data[:4] not in TIFF_MAGIC:
        return None
    if tags is not None and not (tags.planar == 2 and tags.samples >= 2):
        return None  # contiguous or one sample: OpenCV reads it
    if tags is not None and tags.samples > 2 and tags.uint8:  # 8-bit RGB(A): OpenCV reads
        return _eight_bit(data, path, tags.photometric, tags.extra)  # it, if whole
    try:
        import tifffile
    except ImportError:  # pragma: no cover - installed with scikit-image
        return None
    what, missing, cut = "its samples", None, False
    try:
        with tifffile.TiffFile(io.BytesIO(data)) as tiff:
            page = tiff.pages[0]
            cut = past_end(page, len(data))
            samples = page.samplesperpixel
            if page.planarconfig != 2 or samples < 2:
                return None  # contiguous or one sample: OpenCV reads it
            if samples > 2 and page.dtype == np.uint8:  # 8-bit RGB(A): OpenCV reads it, if
                extra = tuple(int(x) for x in page.extrasamples)  # whole
                if cut and not _grey_unspecified(int(page.photometric), extra):
                    raise cut_short(path, len(data))
                return None
            layout = (int(page.photometric), samples, tuple(int(x) for x in page.extrasamples))
            what = f"{samples} {page.dtype} samples of PhotometricInterpretation {layout[0]}"
            if layout not in _LAYOUTS or len(page.shape) != 3:
                raise ValueError("a layout aufeat does not read")
            missing = _missing_codec(tifffile, page)
            pixels = None if missing else np.moveaxis(page.asarray(), 0, -1)
            tag = page.tags.get(274)  # Orientation: tifffile gives the pixels as stored
            orientation = None if tag is None else int(tag.value)
    except Exception as exc:  # a layout it lacks, a damaged file: tifffile raises many kinds
        if cut:  # not the layout's fault: the file is incomplete
            raise cut_short(path, len(data)) from None
        raise UnreadableFileError(
            f"{str(path)!r} is a TIFF stored plane by plane (planar, 'per channel') with "
            f"{what}, which could not be read ({exc}); save it with its channels "
            "interleaved (contiguous), as RGB, RGBA or grey") from None
    if missing is not None:  # a setting of this environment, not of the file
        raise MissingCodecError(
            f"{str(path)!r} is a TIFF stored plane by plane (planar, 'per channel') with "
            f"{what}, whose {missing} tifffile decodes only with the 'imagecodecs' package, "
            "which is not installed: install it (pip install imagecodecs), or save the "
            "image with its channels interleaved (contiguous)")
    pixels, alpha = laid_out(pixels, layout)
    if alpha == 1:
        pixels = unassociated(pixels)
    turn = _ORIENT.get(orientation)
    return np.ascontiguousarray(pixels if turn is None else turn(pixels))


def _eight_bit(data: bytes, path, photometric: int, extra: tuple) -> None:
    """Check an 8-bit planar TIFF of 3 or more samples, which OpenCV reads: None.

    Raises :func:`cut_short` where its strips or tiles end past the end of ``data``
    (OpenCV returns the planes past the cut as zeros), except for grey with unspecified
    samples only, whose grey OpenCV reads or refuses. Told by the first page's tags, read
    here (tifffile costs more than OpenCV's decoding); a page they do not tell is left to
    OpenCV.
    """
    if _grey_unspecified(photometric, extra):
        return None
    try:
        ifd = _first_ifd(data)
        if ifd is None:
            return None
        order, big, entries = ifd
        found = {}
        for tag, kind, at in entries:
            if tag in _ENDS_TAGS and tag not in found and kind in _TYPES:
                count = _count(data, order, big, at)
                code = f"{order}{count}{_TYPES[kind]}"
                where = at + (12 if big else 8)
                if struct.calcsize(code) > (8 if big else 4):  # the values elsewhere
                    where = struct.unpack_from(order + ("Q" if big else "I"), data, where)[0]
                found[tag] = struct.unpack_from(code, data, where)
        tiled = 324 in found
        offsets, counts = (found[324], found[325]) if tiled else (found[273], found[279])
        ends = _ends(offsets, counts, found.get(259, (1,))[0] == 1 and photometric != 6,
                     found[322][0] if tiled else found[256][0],
                     found[323][0] if tiled else found[257][0],
                     None if tiled else found.get(278, (0,))[0], 8, 1)
    except (struct.error, OverflowError, KeyError, IndexError, MemoryError):  # damaged
        return None  # or crafted: OpenCV's reading stands
    if any(end is not None and end > len(data) for end in ends):
        raise cut_short(path, len(data))
    return None


def _grey_unspecified(photometric: int, extra: tuple) -> bool:
    """Whether a page is grey (MINISWHITE, MINISBLACK) with unspecified extra samples only."""
    return photometric in (0, 1) and set(extra) == {0}


def past_end(page, size: int) -> bool:
    """Whether a strip or tile of tifffile's ``page`` ends past the file's ``size`` bytes."""
    return any(end is not None and end > size for end in data_ends(page))


def data_ends(page) -> list[int | None]:
    """Where each strip or tile of tifffile's ``page`` ends in the file (None: a count of 0).

    Its offset + its StripByteCounts or TileByteCounts, or, uncompressed, + the bytes its
    pixels need where fewer: libtiff and tifffile read no more, so a count overstated
    past the end of a file that holds every pixel is not a cut.
    """
    plain = int(page.compression) == 1 and page.imagedepth == 1 and not page.is_subsampled
    tiled = page.is_tiled
    return _ends(page.dataoffsets, page.databytecounts, plain and page.tiledepth == 1,
                 page.tilewidth if tiled else page.imagewidth,
                 page.tilelength if tiled else page.imagelength,
                 None if tiled else page.rowsperstrip, page.bitspersample,
                 1 if page.planarconfig == 2 else page.samplesperpixel)


def _ends(offsets, counts, plain: bool, width: int, length: int, rows: int | None,
          bits: int, per: int) -> list[int | None]:
    """Where each strip or tile ends (:func:`data_ends`).

    Of ``width`` x ``length`` tiles (``rows`` None) or strips of ``rows`` rows of an image
    ``length`` high, uncompressed where ``plain``, of ``per`` samples of ``bits`` bits a pixel.
    """
    needs = [None] * len(counts)
    if plain:
        row = -(-width * bits * per // 8)
        if rows is None:
            needs = [row * length] * len(counts)
        else:
            rows = rows if 0 < rows < length else length
            strips = -(-length // max(rows, 1))
            needs = [max(0, min(rows, length - i % strips * rows)) * row
                     for i in range(len(counts))]
    return [None if count <= 0 else offset + (count if need is None else min(count, need))
            for offset, count, need in zip(offsets, counts, needs, strict=False)]


def cut_short(path, size: int) -> UnreadableFileError:
    """Return the error for a TIFF whose strips or tiles end past its ``size`` bytes."""
    return UnreadableFileError(
        f"{str(path)!r} could not be decoded as an image: it is a TIFF cut short or damaged "
        f"(its strips or tiles end past the file's {size} bytes); is it complete? Copy or "
        "download it again, or save it again from the program that made it")


def laid_out(pixels: np.ndarray, layout) -> tuple[np.ndarray, int | None]:
    """Return ``(H, W, samples)`` ``pixels`` of a :data:`_LAYOUTS` ``layout`` as aufeat reads them.

    The samples kept (grey ``(H, W)``, RGB or RGBA; grey + alpha as (grey, grey, grey,
    alpha), as an LA PNG is read), and the alpha kind (2 straight, 1 associated, still to
    divide out, or None).
    """
    kept, alpha = _LAYOUTS[layout]
    pixels = pixels[..., 0] if kept == 1 else pixels[..., :kept]
    if kept == 2:
        pixels = pixels[..., [0, 0, 0, 1]]
    return pixels, alpha


def _missing_codec(tifffile, page) -> str | None:
    """Name the compression or predictor of ``page`` that tifffile lacks a package for, else None.

    tifffile raises KeyError from ImportError or AttributeError where ``imagecodecs``
    (its optional codecs) is not installed, or lacks the codec.
    """
    for table, key, kind in ((tifffile.TIFF.DECOMPRESSORS, page.compression, "compression"),
                             (tifffile.TIFF.UNPREDICTORS, page.predictor, "predictor")):
        if int(key) == 1:  # none
            continue
        try:
            table[key]
        except KeyError as exc:
            if isinstance(exc.__cause__, (ImportError, AttributeError)):
                return f"{getattr(key, 'name', key)} {kind}"
    return None
