"""The images of a data set, read a chunk at a time (each video streamed, not seeked per frame)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._paths_os import absolute
from ._video_rows import VideoFrames

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
    A video that is not seeked into (uneven frame timing, no frame index) is read on
    from where the last chunk stopped (:class:`~aufeat.datasets._video_rows.VideoFrames`), not
    decoded again from its first frame: each iteration keeps its own video open,
    :meth:`take` one for all its calls, until the video's last row is read, another
    video is read, the iteration ends or :meth:`close` (or until this object is
    dropped).

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
        self._videos = VideoFrames()  # what take reads videos with, kept open between calls
        self._last = None  # each file's last row

    def __getstate__(self):
        return {"_dataset": self._dataset}  # an open video cannot be copied

    def __setstate__(self, state):
        self.__init__(state["_dataset"])

    def close(self) -> None:
        """Release the video :meth:`take` keeps open to read on from, if any."""
        self._videos.close()

    def __len__(self) -> int:
        return len(self._dataset)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self.take(range(len(self))[i])
        return self._dataset[i]

    def take(self, rows) -> list[np.ndarray]:
        """Return the images of ``rows`` (in that order), each video streamed once."""
        return self._take(rows, self._videos)

    def _take(self, rows, videos: VideoFrames) -> list[np.ndarray]:
        rows = [range(len(self))[int(r)] for r in rows]
        data = self._dataset
        if data.in_memory:
            return [data[r] for r in rows]
        numbers = data._video_frame
        stills = sorted({r for r in rows if numbers is None or numbers[r] < 0})
        found = data._read_files(stills) if stills else {}
        wanted: dict[str, list[int]] = {}  # each video's rows, in row order
        for r in sorted(set(rows).difference(stills)):
            wanted.setdefault(data._paths[r], []).append(r)
        for path, group in wanted.items():
            frames = videos.read(path, [numbers[r] for r in group])
            found.update((r, frames[int(numbers[r])]) for r in group)
            if group[-1] == self._last_row(path):  # no later row reads on from there
                videos.close()
        return [found[r] for r in rows]

    def _last_row(self, path) -> int:
        if self._last is None:
            self._last = {p: i for i, p in enumerate(self._dataset._paths)}
        return self._last[path]

    def __iter__(self):
        with VideoFrames() as videos:  # released at the end, or when the loop is left
            for start in range(0, len(self), CHUNK):
                yield from self._take(range(start, min(start + CHUNK, len(self))), videos)


class FilesAndFrames(DatasetImages):
    """What the feature cache reads: video frames, a chunk at a time; stills, as their paths."""

    def __getitem__(self, i):
        return self.take(range(len(self))[i]) if isinstance(i, slice) else self.take([i])[0]

    def take(self, rows) -> list:
        """Return ``rows`` in order: each video streamed once, a still as its path."""
        return self._take(rows, self._videos)

    def _take(self, rows, videos: VideoFrames) -> list:
        rows = [range(len(self))[int(r)] for r in rows]
        video = [r for r in rows if self._dataset._video_frame[r] >= 0]
        frames = dict(zip(video, super()._take(video, videos), strict=True))
        # '..' after a linked folder as the OS reads it, not as text (os.path.abspath)
        return [frames[r] if r in frames else absolute(self._dataset._paths[r]) for r in rows]
