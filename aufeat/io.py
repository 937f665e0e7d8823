"""Reading images and video frames from files, with clear errors for bad files.

Images are returned as NumPy arrays in RGB(A) order (OpenCV reads BGR; aufeat
converts), grayscale as (H, W), with the file's own dtype (uint8 or uint16).
Video frames stream one at a time through OpenCV, so memory stays bounded.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from ._apng import default_png
from ._file_uint8 import file_uint8
from ._image_file import existing_file, video_hint
from ._jp2 import grey_alpha_jp2
from ._sources import is_path, source_items
from ._tiff_grey_extra import extra_samples_tiff
from ._tiff_header import unturned_tiled
from ._tiff_tiles import grey_extra_tiles, tiled_tiff
from ._video import END, FrameReader, open_video, untimed, warn_lost
from .exceptions import InvalidImageError, UnreadableFileError

__all__ = ["IMAGE_EXTENSIONS", "READER_VERSION", "VIDEO_EXTENSIONS", "Frame", "UnreadableFileError",
           "decode_image", "encode_png", "iter_frames", "open_video", "read_image",
           "resolve_sources"]

#: File name endings read as images (lower case); folders are listed by them. A GIF or an
#: animated WebP is read as its first frame, an animated PNG as its default (IDAT) image.
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".bmp", ".tif",
                              ".tiff", ".webp", ".avif", ".gif", ".pgm", ".ppm", ".pbm",
                              ".pnm", ".pam", ".jp2", ".j2k", ".j2c", ".jpc", ".jpx",
                              ".jpf"})
#: Version of what :func:`read_image` returns for a file; part of every feature-cache key,
#: so features of files it now reads differently are computed again.
#: 2: JPEGs turned upright by their EXIF orientation. 3: signed-integer images (TIFFs) read
#: as 8 bits when they hold 0-255 (they were scaled by 1/32767, nearly black); PNG and WebP
#: turned upright by their EXIF orientation too. 4: a video's frames after one OpenCV cannot
#: decode are read as themselves (a seek past it gave another frame's pixels). 5: AVIF
#: turned upright by its orientation (irot/imir boxes), which OpenCV ignores. 6: grey+alpha
#: TIFFs and BigTIFFs keep their alpha (OpenCV dropped it); also retires features of lists
#: of grey images 1, 3 or 4 px wide, which extractors read as one colour image. 7: 16-bit
#: grey+alpha TIFFs turned upright by their orientation tag (read sideways in 6). 8: 8-bit
#: RGBA TIFFs read with straight alpha, as PNGs (OpenCV gave colours premultiplied by alpha).
#: 9: PGM/PPM scaled by their maxval, 10/12-bit AVIF by their depth (read nearly black).
#: 10: a PNG, WebP or AVIF whose EXIF block has no orientation is not turned by its XMP
#: ``tiff:Orientation`` (JPEG and PIL images never were); integer images other than uint8 and
#: uint16 (signed, 32/64-bit) holding 0-255 read as uint8, as version 3 meant (kept, they were
#: nearly black); PAM (P7) in RGB order (red and blue were swapped; also with CRLF line ends),
#: scaled by its MAXVAL, grey+alpha (PAM, JPEG 2000) as RGBA. 11: planar TIFFs read as
#: stored (OpenCV scrambled them); 16-bit and float TIFFs' associated alpha made straight,
#: 16-bit MINISWHITE inverted; an RGB TIFF's unspecified 4th sample dropped (it was read as
#: alpha); an APNG's default image when it is no animation frame (OpenCV gave the first
#: frame), also when the file is cut short. 12: a grey TIFF's unspecified extra sample
#: dropped at 16 bits and planar (it was read as alpha); a grey PNG's colour key (tRNS) read
#: as alpha (grey x 3 + alpha; it was dropped). 13: tiled TIFFs with an orientation other
#: than 1 (all kinds: grey, RGB, MINISWHITE, palette, CMYK, 1-bit, int8; LZW and JPEG tiles
#: too), and 8-bit tiled grey TIFFs with unspecified extra samples (one or more), read as in
#: strips (OpenCV scrambled orientations 2, 3, 6 and 7, and the latter's partial edge tiles);
#: 8-bit MINISWHITE and palette TIFFs of small uncompressed tiles read (they were refused).
#: 14: JPEG 2000 components scaled by their precision (12 bits read nearly black); a JPEG
#: whose EXIF is big-endian with its orientation a LONG turned upright (OpenCV left it).
#: 15: grey TIFFs with extra samples of any type and layout read as grey or grey x 3 +
#: alpha, RGB TIFFs with 2+ extra samples read (refused); a 32-bit BITFIELDS BMP's 4th
#: byte with no alpha mask dropped (it was read as alpha, 0: transparent).
READER_VERSION = 15
#: File name endings read as videos (lower case): the containers OpenCV's FFmpeg backend
#: reads, by the names users meet them under (``.divx``: AVI; ``.qt``: QuickTime, as
#: ``.mov``; ``.f4v``, ``.3g2``: MP4 kin; ``.m2t``: MPEG-TS; ``.mjpeg``: a camera's raw
#: Motion JPEG stream; ``.dv``: camcorders; ``.mxf``: broadcast and cinema cameras).
VIDEO_EXTENSIONS = frozenset({".avi", ".mp4", ".mov", ".mkv", ".webm", ".mpg", ".mpeg",
                              ".m4v", ".wmv", ".3gp", ".flv", ".ogv", ".ts", ".mts", ".m2ts",
                              ".vob", ".m2v", ".asf", ".divx", ".qt", ".f4v", ".3g2", ".m2t",
                              ".mjpeg", ".mjpg", ".dv", ".mxf"})
# Containers whose frame count FFmpeg only estimates (a full 13-frame .ts said 25, a
# 10-frame .dv 24000): reading fewer frames is no sign of loss. Seeking is a different list
# (datasets/_video_rows.py).
_ESTIMATED_COUNT = frozenset({".ts", ".mts", ".m2ts", ".m2t", ".mpg", ".mpeg", ".m2v",
                              ".vob", ".wmv", ".asf", ".dv"})


class Frame(NamedTuple):
    """One decoded video frame.

    Attributes
    ----------
    index : int
        0-based frame number in the video.
    timestamp : float
        Seconds from the start: the frame's time stamp in the container, which
        variable-frame-rate (phone) videos need; frame index / frame rate when
        the container gives none.
    image : ndarray, shape (H, W, 3), uint8
        RGB pixels.
    """

    index: int
    timestamp: float
    image: np.ndarray


def read_image(path: str | os.PathLike, *, as_uint8: bool = False) -> np.ndarray:
    """Read an image file into an RGB(A) or grayscale array.

    Photos are turned upright by their orientation (EXIF: JPEG, TIFF, PNG, WebP; AVIF).
    PGM/PPM/PAM files are scaled by their maxval, 10- and 12-bit AVIF and JPEG 2000 (each
    component by its own precision) by their depth, to the full 8 or 16 bits
    (uint16 above 255), as Pillow reads them (9- to 15-bit TIFFs are shifted to 16 bits:
    12-bit white is 65520); signed-integer images (TIFFs) holding only 0-255 are read as
    uint8.

    The one image reader of aufeat: extractors, data sets and the feature
    cache's workers all read files through it (the cache's workers through
    :func:`decode_image`, on the bytes they also fingerprint).

    Parameters
    ----------
    path : str or path-like
        Any format OpenCV reads (PNG, JPEG, BMP, TIFF, WebP, PNM, ...).
    as_uint8 : bool, default=False
        Return uint8 grayscale or RGB, as data sets store images, converted as
        the face aligner converts what it is given: 16-bit images divided by
        257, float images read as [0, 1] (a float file outside [0, 1] is
        refused, as the face aligner refuses such arrays), other integers
        (signed TIFFs) kept when they lie in 0-255 and refused otherwise, an
        alpha channel blended on white.

    Returns
    -------
    ndarray, shape (H, W), (H, W, 3) or (H, W, 4)
        Grayscale, RGB or RGBA (grey+alpha as grey x 3 + alpha) in the file's own
        pixel type (uint8, uint16 for 16-bit files, and the rarer float or signed TIFFs).

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist (``IsADirectoryError`` for a folder).
    UnreadableFileError
        When the file is not an image OpenCV can decode (a subclass of
        :class:`aufeat.InvalidImageError`; the message names a bit depth OpenCV does
        not decode: 2 or 4-bit grey and 16-bit float TIFFs, signed JPEG 2000 or of
        under 8 or over 16 bits),
        or no regular file (a named pipe, a device); with ``as_uint8``, also when its
        pixels cannot be read as 8 bits (NaN, floats outside [0, 1], other integers
        outside 0-255).

    Examples
    --------
    >>> import tempfile, cv2, numpy as np
    >>> path = tempfile.mkdtemp() + "/x.png"
    >>> _ = cv2.imwrite(path, np.zeros((4, 6, 3), np.uint8))
    >>> read_image(path).shape
    (4, 6, 3)
    """
    file = existing_file(path, regular=True)  # a pipe would block, a device fill memory
    image = decode_image(file.read_bytes(), file)
    return file_uint8(image, file) if as_uint8 else image


def resolve_sources(data) -> tuple[list, list[str]]:
    """Return ``(sources, labels)``: a file path or an image per item of ``data``.

    ``data`` is what aufeat's extractors take: a list of image paths, an image
    batch ``(N, H, W[, C])``, a list of images (arrays or PIL images), an array or pandas
    column of paths or images (``df['path'].to_numpy()``), or a data set (its file paths, its
    images when in memory, or, with video frames, a sequence giving the stills' paths,
    read as without videos, and decoding frames a chunk at a time as asked for).
    ``labels`` name each item in messages.

    Examples
    --------
    >>> resolve_sources(["a.png", "b.png"])
    (['a.png', 'b.png'], ['a.png', 'b.png'])
    >>> resolve_sources(np.zeros((2, 4, 4), np.uint8))[1]
    ['images[0]', 'images[1]']
    """
    if hasattr(data, "in_memory") and hasattr(data, "paths"):  # a FaceDataset
        frames = getattr(data, "_video_frame", None)
        if not data.in_memory and (frames is None or (np.asarray(frames) < 0).all()):
            return resolve_sources(list(data.paths))
        if data.in_memory:
            name = getattr(data, "name", "dataset")
            return [data[i] for i in range(len(data))], [f"{name}[{i}]" for i in range(len(data))]
        # video frames decoded a chunk at a time as needed; stills as paths, as without videos
        from .datasets._frames import FilesAndFrames

        labels = [p if f < 0 else f"{p}#frame{f}" for p, f in zip(data.paths, frames, strict=True)]
        return FilesAndFrames(data), labels
    if is_path(data):
        raise TypeError(f"got one path {os.fspath(data)!r}; pass a list of image paths "
                        "(e.g. [path]) or a data set.")
    items = source_items(data)
    labels = items if items and isinstance(items[0], str) else [
        f"images[{i}]" for i in range(len(items))]
    return items, list(labels)


def decode_image(data: bytes, path) -> np.ndarray:
    """Decode the bytes of an image file as :func:`read_image` does (``path`` names it in errors).

    Reading the bytes and decoding them with ``cv2.imdecode`` costs what ``cv2.imread``
    does, so a caller that needs the bytes too (the feature cache) reads each file once.

    Raises
    ------
    UnreadableFileError
        When OpenCV cannot decode ``data``: not an image, incomplete, or over
        OpenCV's limit of 2^30 pixels (``OPENCV_IO_MAX_IMAGE_PIXELS``: its subclass
        ``ImageTooLargeError``, also for a file over Pillow's limit, twice
        ``PIL.Image.MAX_IMAGE_PIXELS``, for a TIFF whose alpha Pillow must read);
        a PAM file, which aufeat reads itself, also for a tuple type other than grey or RGB.
    """
    import cv2

    from ._bitdepth import depth_refused, full_range
    from ._cv_quiet import quiet_opencv
    from ._exif import _ORIENT, imdecode_flags, opencv_pixel_limit, refuse_oversize

    opencv_pixel_limit()  # read once, as cv2 read it at its import (not os.environ later)
    if (extra := extra_samples_tiff(data, path)) is not None:  # OpenCV misreads grey
        return full_range(extra, data)  # with extra samples, refuses RGB with 2 or more
    if (unturned := unturned_tiled(data)) is not None:  # OpenCV scrambles turned tiles:
        # decode them as stored (orientation 1), then turn them
        return np.ascontiguousarray(_ORIENT[unturned[1]](decode_image(unturned[0], path)))
    if data[:2] in (b"P1", b"P2", b"P3") and data[-1:].isdigit():  # plain PBM/PGM/PPM:
        data += b"\n"  # netpbm needs no white space after the last sample; OpenCV does
    if data[:2] == b"P7" and data[2:3] in (b"\n", b"\r", b" ", b"\t"):  # PAM (CRLF too):
        # OpenCV swaps its colours, ignores its MAXVAL, reads a CRLF header one byte off
        from ._pam import pam_image

        return pam_image(data, str(path))
    flags = imdecode_flags(data)  # a JPEG turned upright by OpenCV, as its imread does
    try:
        with quiet_opencv():  # aufeat says below what is wrong, and for files it reads
            # another way OpenCV's lines would be wrong
            image = cv2.imdecode(np.frombuffer(default_png(data), np.uint8), flags)
        refused = False
    except cv2.error as err:  # e.g. an empty file, or over OpenCV's pixel limit
        image, refused = None, "CV_IO_MAX_IMAGE_PIXELS" in str(err)
    if (image is None or image.size == 0) and (tiled := tiled_tiff(data, path)) is not None:
        return tiled  # OpenCV's imdecode refuses some tiled TIFFs that its imread reads
    if image is not None and image.size and (tiled := grey_extra_tiles(data, path)) is not None:
        return tiled  # OpenCV scrambles the edge tiles of grey with unspecified samples
    if (image is None or image.size == 0) and (grey_alpha := grey_alpha_jp2(data)) is not None:
        return grey_alpha  # OpenCV has no 2-channel JPEG 2000: RGBA, as it reads an LA PNG
    if image is None or image.size == 0:  # ImageTooLargeError: OpenCV's limit, not the file
        refuse_oversize(data, str(path), refused)
        raise UnreadableFileError(depth_refused(data, str(path)) or (
            f"{str(path)!r} could not be decoded as an image (is it an image file, and "
            "complete?); supported: PNG, JPEG, BMP, TIFF, WebP, AVIF, GIF, JPEG 2000, PNM "
            "(PBM, PGM, PPM, PAM)." + video_hint(path, IMAGE_EXTENSIONS, VIDEO_EXTENSIONS)))
    from ._channels import rgb_channels
    from ._exif import upright

    return upright(full_range(rgb_channels(image, data, path), data), data)


def encode_png(image, name: str = "image") -> bytes:
    """Return the PNG file of an RGB(A) or grey image, which :func:`read_image` reads back.

    uint8 and uint16 pixels are kept; floats are read as [0, 1] (clipped) and
    stored as uint8, as everywhere in aufeat; other integers are kept when they
    lie in 0-255 (:func:`aufeat._validation.byte_ints`, as the face aligner reads
    them). Pixels that cannot be written as they are (NaN, other integers) raise
    InvalidImageError. Channels go to OpenCV's order here.

    Examples
    --------
    >>> rgba = np.array([[[200, 0, 0, 255]]], np.uint8)
    >>> png = encode_png(rgba)
    >>> decode_image(png, "x.png").tolist()
    [[[200, 0, 0, 255]]]
    >>> decode_image(encode_png(np.array([[0.0, 0.5, 1.0]])), "y.png").tolist()
    [[0, 128, 255]]
    """
    import cv2

    from ._validation import byte_ints

    pixels = np.asarray(image)
    if pixels.dtype.kind == "f":
        if not np.isfinite(pixels).all():
            raise InvalidImageError(f"{name}: NaN or infinite pixels cannot be written as "
                                    "PNG; replace them (e.g. np.nan_to_num) first")
        pixels = np.rint(np.clip(pixels, 0.0, 1.0) * 255).astype(np.uint8)
    pixels = byte_ints(pixels, name)  # other ranges: OpenCV would clip
    if pixels.ndim == 3 and pixels.shape[2] in (3, 4):
        code = cv2.COLOR_RGBA2BGRA if pixels.shape[2] == 4 else cv2.COLOR_RGB2BGR
        pixels = cv2.cvtColor(np.ascontiguousarray(pixels), code)
    try:
        ok, encoded = cv2.imencode(".png", np.ascontiguousarray(pixels))
    except cv2.error:
        ok = False
    if not ok:
        raise OSError(f"{name}: could not encode as PNG ({pixels.dtype}, shape "
                      f"{pixels.shape}); give uint8, uint16 or float [0, 1] pixels, grey, "
                      "RGB or RGBA")
    return encoded.tobytes()


def iter_frames(path: str | os.PathLike, *, step: int = 1) -> Iterator[Frame]:
    """Stream the frames of a video file, one decoded frame at a time.

    Parameters
    ----------
    path : str or path-like
        A video OpenCV can open (AVI/MJPG always; MP4 and others depending
        on the codecs OpenCV was built with).
    step : int
        Yield every ``step``-th frame (frames in between are read but not
        converted nor returned).

    Yields
    ------
    Frame
        ``(index, timestamp, image)`` with RGB uint8 pixels; ``timestamp`` is NaN
        for a raw Motion JPEG stream (an IP camera's, usually ``.mjpeg``: told by its
        first bytes, whatever its name): it holds no time.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    UnreadableFileError
        When OpenCV cannot open the file as a video, or it holds no frame.

    Warns
    -----
    AufeatWarning
        When frames could not be decoded (a damaged video: zero bytes inside a
        frame's data), with their numbers: they are left out and the frames
        after them keep their numbers, however many in a row. When fewer
        frames were found than the file's header announces (a truncated or
        damaged video), or than an mp4/mov's edit list shows (a trimmed clip
        shows only part of the frames it stores: no loss); not for mpg, vob,
        ts and wmv files, whose count is FFmpeg's estimate. OpenCV skips
        a damaged stretch without saying where (its position and time stamps
        count the frames found), so ``index`` counts the frames found: from the
        first lost frame on, it may be smaller than the frame's place in the
        file by up to the number lost, which the warning gives.

    Examples
    --------
    >>> import tempfile, cv2, numpy as np
    >>> path = tempfile.mkdtemp() + "/v.avi"
    >>> writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*"MJPG"), 25, (32, 24))
    >>> for _ in range(4):
    ...     _ = writer.write(np.zeros((24, 32, 3), np.uint8))
    >>> writer.release()
    >>> [(f.index, f.timestamp) for f in iter_frames(path, step=2)]
    [(0, 0.0), (2, 0.08)]
    """
    import cv2

    if not isinstance(step, (int, np.integer)) or isinstance(step, bool) or step < 1:
        raise ValueError(f"step must be a positive int, got {step!r}")
    file = existing_file(path)
    capture = open_video(file)
    try:
        if not capture.isOpened():
            raise UnreadableFileError(
                f"{str(file)!r} could not be opened as a video; check that it is a "
                "complete video file in a format OpenCV reads (AVI/MJPG always works)."
            )
        fps = capture.get(cv2.CAP_PROP_FPS)
        fps = fps if fps and math.isfinite(fps) and fps > 0 else math.nan
        reader, no_time = FrameReader(capture), untimed(file)
        while (image := reader.next(reader.index % step == 0)) is not END:
            if image is not None and image is not True:
                yield Frame(reader.index - 1, math.nan if no_time else _timestamp(
                    reader.index - 1, fps, capture.get(cv2.CAP_PROP_POS_MSEC)),
                            cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
        if reader.index == len(reader.failed):
            raise UnreadableFileError(f"{str(file)!r} opened as a video but holds no frame "
                                      "that could be decoded.")
        warn_lost(file, reader, [k for k in reader.failed if k % step == 0],
                  estimated=file.suffix.lower() in _ESTIMATED_COUNT)
    finally:
        capture.release()


def _timestamp(index: int, fps: float, milliseconds: float) -> float:
    """Return the frame's own time stamp (variable frame rates), else index / frame rate."""
    if math.isfinite(milliseconds) and (milliseconds > 0 or index == 0):
        return round(milliseconds / 1000, 6)
    return round(index / fps, 6) if math.isfinite(fps) else math.nan
