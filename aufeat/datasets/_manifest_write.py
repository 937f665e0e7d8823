"""Write a :class:`~aufeat.datasets.FaceDataset` as a manifest CSV (read by ``manifest.py``).

Kept apart from the reader so that ``FaceDataset.to_manifest`` can call it
without importing the reader, which builds ``FaceDataset`` objects.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np

__all__ = ["write_manifest"]

#: The manifest's own columns; anything else is ``meta``.
_CORE = ("path", "subject", "emotion", "split", "sequence")


def write_manifest(dataset, path, *, image_dir=None) -> Path:
    """Write ``dataset`` as a manifest CSV (see :meth:`FaceDataset.to_manifest`).

    Parameters
    ----------
    dataset : FaceDataset
    path : str or Path
        The CSV to write.
    image_dir : str or Path, optional
        Where images held in memory and video frames go as PNG files
        (default: ``<csv name>_images`` next to the CSV).

    Returns
    -------
    Path
        The CSV written.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> from aufeat.datasets import FaceDataset
    >>> ds = FaceDataset(images=np.zeros((1, 8, 8), np.uint8), subject=["a"])
    >>> write_manifest(ds, pathlib.Path(tempfile.mkdtemp()) / "m.csv").name
    'm.csv'
    """
    from aufeat._atomic import atomic_write
    from aufeat.io import encode_png

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    image_dir = Path(image_dir) if image_dir is not None else path.with_name(
        f"{path.stem}_images")
    video = dataset._video_frame
    files = []
    for i in range(len(dataset)):
        if dataset.in_memory or (video is not None and video[i] >= 0):
            image_dir.mkdir(parents=True, exist_ok=True)
            target = image_dir / f"{path.stem}-{i:06d}.png"  # two manifests may share a folder
            data = encode_png(dataset[i], str(target))  # floats [0, 1] -> uint8, RGBA kept
            atomic_write(target, lambda f, data=data: f.write(data), fsync=False)
            files.append(target)
        else:
            files.append(Path(dataset.paths[i]))
    header = ["path", "subject"]
    columns = [[_relative(f, path.parent) for f in files], dataset.subject]
    for key, values in (("emotion", dataset.emotion), ("split", dataset.split),
                        ("sequence", dataset.meta["sequence"])):
        if values is not None:
            header.append(key)
            columns.append(values)
    for k, au in enumerate(dataset.au_names):
        header.append(au)
        columns.append(["" if np.isnan(v) else f"{v:.10g}" for v in dataset.aus[:, k]])
    for key, values in dataset.meta.items():
        if key != "sequence" and values.ndim == 1 and key.lower() not in _CORE:
            header.append(key)
            columns.append(values)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(zip(*(list(map(str, c)) for c in columns), strict=True))
    return path


def _relative(file: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(file, folder)).as_posix()
    except ValueError:  # another drive on Windows
        return str(file)
