"""TIFFs stored plane by plane ("per channel", PlanarConfiguration 2), which OpenCV reads wrong.

OpenCV decodes 16-bit and float planar RGB(A) TIFFs as if their planes were interleaved
(a scramble of the picture) and planar grey+alpha as grey, and PIL misreads planar
grey+alpha: :func:`planar_tiff` reads them with tifffile (scikit-image's dependency)
instead. 8-bit planar RGB(A), which OpenCV reads right (libtiff's RGBA interface), is left
to it, unless cut short (OpenCV returns the planes past the cut as zeros).
"""

from __future__ import annotations

import io

import numpy as np

from ._exif import _ORIENT
from ._tiff_alpha import unassociated
from ._tiff_header import TIFF_MAGIC, TiffTags
from .exceptions import MissingCodecError, UnreadableFileError

__all__ = ["cut_short", "data_ends", "laid_out", "past_end", "planar_tiff"]

# (PhotometricInterpretation, SamplesPerPixel, ExtraSamples) -> (channels kept, alpha kind):
# RGB, RGB + alpha (2 unassociated, 1 associated) or an unspecified 4th sample (0: not
# alpha, dropped, as Pillow reads it); grey + alpha as :mod:`aufeat._tiff_alpha` reads it,
# grey + an unspecified sample as grey (its extra sample dropped, as contiguous)
_LAYOUTS = {(2, 3, ()): (3, None), (2, 4, (2,)): (4, 2), (2, 4, (1,)): (4, 1),
            (2, 4, (0,)): (3, None), (1, 2, (2,)): (2, 2), (1, 2, (0,)): (1, None),
            (1, 2, (1,)): (2, 1)}


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
    try:
        import tifffile
    except ImportError:  # pragma: no cover - installed with scikit-image
        return None
    if tags is not None and tags.samples > 2 and tags.uint8:  # 8-bit RGB(A): OpenCV reads
        return _eight_bit(data, path, tags.photometric, tags.extra)  # it, if whole
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
    samples only, whose grey OpenCV reads or refuses. A file tifffile cannot open is
    left to OpenCV.
    """
    if _grey_unspecified(photometric, extra):
        return None
    import tifffile

    try:
        with tifffile.TiffFile(io.BytesIO(data)) as tiff:
            cut = past_end(tiff.pages[0], len(data))
    except Exception:  # a damaged or crafted file: tifffile raises many kinds
        return None
    if cut:
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
    counts = page.databytecounts
    needs = [None] * len(counts)
    if int(page.compression) == 1 and page.imagedepth == 1 and not page.is_subsampled:
        per = 1 if page.planarconfig == 2 else page.samplesperpixel
        if page.is_tiled:
            row = -(-page.tilewidth * page.bitspersample * per // 8)
            needs = [row * page.tilelength * page.tiledepth] * len(counts)
        else:
            row = -(-page.imagewidth * page.bitspersample * per // 8)
            height = page.imagelength
            rows = page.rowsperstrip if 0 < page.rowsperstrip < height else height
            strips = -(-height // max(rows, 1))
            needs = [max(0, min(rows, height - i % strips * rows)) * row
                     for i in range(len(counts))]
    return [None if count <= 0 else offset + (count if need is None else min(count, need))
            for offset, count, need in zip(page.dataoffsets, counts, needs, strict=False)]


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
