"""The images of a data set, read a chunk at a time (each video streamed once a chunk)."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

__all__ = ["DatasetImages", "FilesAndFrames"]

#: Images decoded at once when iterating (DISFA's 1024x768 frames: 75 MB).
CHUNK = 32


class DatasetImages(Sequence):
    """The images of a :class:`~aufeat.datasets.FaceDataset`, read only when asked for.

    What :func:`aufeat.io.resolve_sources` gives the feature cache for a data set
    with video frames (holding every decoded frame before featurising them would
    take the whole video's pixels in memory; DISFA: about 290 GiB), and what
    ``FaceFeatures`` and ``aufeat-bench`` align faces from. Iterating streams each
    video once per chunk of :data:`CHUNK` images (reading frames one by one seeks
    the video each time: 4x slower); :meth:`take` reads a list of rows the same way.

    Examples
    --------
    >>> from aufeat import FaceDataset
    >>> data = FaceDataset(images=np.zeros((3, 4, 4), np.uint8), subject=["a", "a", "b"])
    >>> images = DatasetImages(data)
    >>> len(images), images[-1].shape, len(images.take([2, 0, 2]))
    (3, (4, 4), 3)
    """

    def __init__(self, dataset):
        self._dataset = dataset

    def __len__(self) -> int:
        return len(self._dataset)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self.take(range(len(self))[i])
        return self._dataset[i]

    def take(self, rows) -> list[np.ndarray]:
        """Return the images of ``rows`` (in that order), each video streamed once."""
        rows = [range(len(self))[int(r)] for r in rows]
        if self._dataset.in_memory:
            return [self._dataset[r] for r in rows]
        found = self._dataset._read_files(sorted(set(rows)))
        return [found[r] for r in rows]

    def __iter__(self):
        for start in range(0, len(self), CHUNK):
            yield from self.take(range(start, min(start + CHUNK, len(self))))


class FilesAndFrames(DatasetImages):
    """What the feature cache reads: video frames, a chunk at a time; stills, as their paths."""

    def __getitem__(self, i):
        return self.take(range(len(self))[i]) if isinstance(i, slice) else self.take([i])[0]

    def take(self, rows) -> list:
        """Return ``rows`` in order: each video streamed once, a still as its path."""
        rows = [range(len(self))[int(r)] for r in rows]
        video = [r for r in rows if self._dataset._video_frame[r] >= 0]
        frames = dict(zip(video, super().take(video), strict=True))
        return [frames[r] if r in frames else os.path.abspath(self._dataset._paths[r])
                for r in rows]
