"""The PNG files :func:`~aufeat.datasets.write_manifest` writes: checked first, written all or none.

Images held in memory and video frames become PNG files; every in-memory image is
checked before the first is written (a PNG holds grey, RGB or RGBA pixels of
numbers), and a failure while writing (a video frame that cannot be read, a full
disk) removes the PNGs this write created, so a failed ``to_manifest`` leaves no
file behind to block the next one, and puts back the PNGs it replaced, so that a
failed rewrite leaves the old manifest showing its own images.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import numpy as np

from .._text import printable

__all__ = ["check_pixels", "write_images"]

_CHANNELS = {1: "grey", 2: "grey+alpha", 3: "RGB", 4: "RGBA"}


def check_pixels(dataset, written) -> None:
    """Refuse pixels held in memory that a PNG would not hold as they are (before writing).

    Each in-memory image must be (H, W) or (H, W, 1|3|4) (grey, RGB, RGBA) of
    bool, integer (uint8, uint16, or 0-255) or finite float [0, 1] pixels; the
    ValueError names the row and what to do.
    """
    from .._validation import byte_ints, outside_unit
    from ..exceptions import InvalidImageError

    if not dataset.in_memory:  # video frames are decoded as uint8
        return
    for i, own in enumerate(written):
        if not own:
            continue
        pixels = np.asarray(dataset[i])
        where = f"row {i} of the data set"
        if not (pixels.ndim == 2 or (pixels.ndim == 3 and pixels.shape[2] in (1, 3, 4))):
            kind = _CHANNELS.get(pixels.shape[-1], "") if pixels.ndim == 3 else ""
            hint = (" (grey+alpha, np.asarray of a PIL 'LA' image: give the PIL image, or "
                    "np.dstack([g, g, g, alpha]) as RGBA)" if kind == "grey+alpha" else "")
            raise ValueError(f"{where} has shape {pixels.shape}{hint}: a PNG holds grey (H, W), "
                             "RGB (H, W, 3) or RGBA (H, W, 4) images; convert it, or leave the "
                             "row out, before writing (nothing was written)")
        if pixels.dtype.kind not in "biuf":
            raise ValueError(f"{where} has {pixels.dtype} pixels, which a PNG cannot hold; give "
                             "uint8, uint16 or float [0, 1] pixels before writing")
        if pixels.dtype.kind in "iu":
            try:
                byte_ints(pixels, where)
            except InvalidImageError as exc:
                raise ValueError(f"{exc} (nothing was written)") from None
        if pixels.dtype.kind != "f":
            continue
        if not np.isfinite(pixels).all():
            raise ValueError(f"{where} has NaN or infinite pixels, which a PNG "
                             "cannot hold; replace them (e.g. np.nan_to_num) before writing")
        if (bounds := outside_unit(pixels)) is not None:
            raise ValueError(f"{where} has float pixels in [{bounds[0]:.3g}, "
                             f"{bounds[1]:.3g}]; float images are written as [0, 1] (clipped, "
                             "so [0, 255] floats would be white). Divide [0, 255] floats by "
                             "255, or give uint8 pixels, before writing")


def write_images(dataset, files, written, image_dir: Path, finish, progress=True) -> None:
    """Write row ``i``'s PNG to ``files[i]`` where ``written[i]``, then call ``finish()``.

    ``progress``: a bar of the PNGs written, shown once they have taken 5 s.

    ``finish`` writes the CSV. If anything fails on the way (or is interrupted),
    the PNGs created by this call are removed, those it replaced are put back
    (from a copy kept while writing: :func:`_kept_copy`), and the image folder, if
    it created it and it is left empty, is removed before the error goes on.
    """
    from aufeat._atomic import atomic_write
    from aufeat._progress import progress as bar
    from aufeat.io import encode_png

    created: list[Path] = []
    kept: dict[Path, Path] = {}  # a replaced PNG -> the copy of its old bytes
    made_dir = not os.path.isdir(image_dir) if any(written) else False
    try:
        with bar(np.flatnonzero(written).tolist(), desc="writing images", unit="image",
                 enabled=progress, leave=False, late=True) as rows:
            for i in rows:
                image_dir.mkdir(parents=True, exist_ok=True)
                pixels = np.asarray(dataset[i])
                if pixels.dtype == bool:  # as load_images reads them: 0/255
                    pixels = pixels.astype(np.uint8) * np.uint8(255)
                data = encode_png(pixels, printable(files[i]))  # floats [0, 1] -> uint8
                if os.path.lexists(files[i]):
                    kept[files[i]] = _kept_copy(files[i])
                else:
                    created.append(files[i])
                atomic_write(files[i], lambda f, data=data: f.write(data), fsync=False)
        finish()
    except BaseException:
        for file in created:
            with contextlib.suppress(OSError):
                os.remove(file)
        for file, copy in kept.items():
            with contextlib.suppress(OSError):
                os.replace(copy, file)
        if made_dir:
            with contextlib.suppress(OSError):
                os.rmdir(image_dir)  # only if empty
        raise
    for copy in kept.values():
        with contextlib.suppress(OSError):
            os.remove(copy)


def _kept_copy(file: Path) -> Path:
    """Copy ``file`` to a temporary name beside it, to put back if the write fails.

    A hard link where the folder allows one (no bytes copied: the atomic write
    of the new PNG gives ``file`` a new inode, the link keeps the old); else a
    copy (a symbolic link copied as a link).
    """
    from aufeat._atomic import temp_name

    copy = temp_name(file)
    try:
        os.link(file, copy, follow_symlinks=False)
    except OSError:
        shutil.copy2(file, copy, follow_symlinks=False)
    return copy
