"""FaceDataset: images (in memory or read lazily) with subjects and labels."""

from __future__ import annotations

import numbers
import os
from collections import Counter
from pathlib import Path

import numpy as np

from ._fields import check_aus, check_meta, check_size, text_field
from ._frames import DatasetImages
from ._in_memory import memory_images, path_array, readable, stack_images
from ._labels import resolve_labels
from ._manifest_write import write_manifest
from ._rows import one_index, selected_rows

__all__ = ["FaceDataset"]


class FaceDataset:
    """Face images with subject ids, emotion labels, AU codes, splits and metadata.

    Images are held in memory (``images``) or read from files when asked for
    (``paths``; a ``video_frame`` >= 0 marks a path as a video and the 0-based
    frame to read from it); ``ds[i]`` and :meth:`load_images` give the pixels
    of both. Every image has a ``subject``: the unit every evaluation split
    keeps on one side.

    Parameters
    ----------
    images : ndarray, shape (N, H, W) or (N, H, W, C), or list of N arrays, optional
        Pixels held in memory (uint8 preferred). Exactly one of ``images``
        and ``paths`` is given. A list may hold PIL images, read by their colours
        as the extractors read them (a palette image as RGB, CMYK as RGB, grey+alpha
        as RGBA); file paths in it, or items that are not (H, W) or (H, W, C)
        images of numbers, are a ValueError (files go in ``paths``).
    paths : sequence of N path-like, optional
        Image (or video) files read lazily, one by one.
    subject : sequence of N str
        Subject (person) of each image; NaN or None is refused (it would
        make all such images one person).
    emotion : sequence of N str, optional
        Emotion labels (the common vocabulary of :data:`EMOTIONS` for the
        corpus loaders; free strings otherwise). NaN or None, and a cell of
        only spaces, is stored as ``''``, no label, which ``targets('emotion')``
        leaves out.
    aus : array_like of float, shape (N, K), optional
        AU codes: 0/1 or 0-5 intensity; NaN is "not coded" (9 or -1: a ValueError).
    au_names : sequence of K str, optional
        Column names of ``aus`` (``'AU1', 'AU12'``); required, unless a DataFrame names them.
    split : sequence of N str, optional
        The corpus' own split (``'Training'``, ``'PublicTest'``, ...).
    meta : dict of str -> array_like with first axis N, optional
        Anything else per image. ``source``, ``frame`` and ``sequence`` (keys in
        any case) are always present (defaults: ``name``, 0 and the subject).
    video_frame : sequence of N int, optional
        With ``paths``: frame index to read from a video, -1 for still images.
        Floats within 1e-4 of a whole number (label times x fps) are rounded;
        other fractions, NaN or numbers below -1 are a ValueError naming the row.
    name : str, default 'dataset'
        Shown in summaries (``'synthetic'``, ``'fer2013'``, ...).

    Examples
    --------
    >>> import numpy as np
    >>> ds = FaceDataset(images=np.zeros((4, 8, 8), np.uint8), subject=["a", "a", "b", "c"],
    ...                  emotion=["happiness", "neutral", "anger", "neutral"])
    >>> len(ds), ds.n_subjects, ds[0].shape
    (4, 3, (8, 8))
    >>> ds[ds.emotion == "neutral"].subject.tolist()
    ['a', 'c']
    """

    def __init__(self, *, images=None, paths=None, subject, emotion=None, aus=None,
                 au_names=None, split=None, meta=None, video_frame=None,
                 name: str = "dataset"):
        if (images is None) == (paths is None):
            raise ValueError("give exactly one of images= (pixels) and paths= (files)")
        self.name = str(name)
        self._images = None if images is None else memory_images(images)
        self._paths = None if paths is None else path_array(paths)
        n = len(self._images if paths is None else self._paths)
        self._video_frame = None if video_frame is None else _frame_numbers(video_frame,
                                                                              self._paths)
        self.subject = text_field(subject, n, "subject", required=True)
        if n and (np.char.str_len(self.subject) == 0).any():
            raise ValueError("subject: every image needs a non-empty subject id")
        self.emotion = None if emotion is None else _no_blank(text_field(emotion, n, "emotion"))
        self.split = None if split is None else text_field(split, n, "split")
        self.aus, self.au_names = check_aus(aus, au_names, n)
        self.meta = check_meta(meta, n, self.name, self.subject)

    def __len__(self) -> int:
        return len(self.subject)

    def __iter__(self):
        """Yield the images in row order, each video decoded once per chunk (no seek per frame)."""
        return iter(DatasetImages(self))

    @property
    def n_subjects(self) -> int:
        """Number of distinct subjects."""
        return len(np.unique(self.subject))

    @property
    def paths(self) -> np.ndarray | None:
        """File of each image (object array of str), or None when held in memory."""
        return self._paths

    @property
    def images(self):
        """Pixels held in memory (the array or list of arrays), or None when read from files."""
        return self._images

    @property
    def in_memory(self) -> bool:
        """Whether the pixels are held in memory."""
        return self._images is not None

    def __repr__(self) -> str:
        def count(n: int, noun: str) -> str:
            return f"{n} {noun}{'' if n == 1 else 's'}"

        kind = "in memory" if self.in_memory else "read from files"
        parts = [f"{count(len(self), 'image')} ({kind})", count(self.n_subjects, "subject")]
        if self.emotion is not None:  # '' is no emotion: an image without a label
            blank = int((self.emotion == "").sum())
            parts.append(count(len(set(self.emotion.tolist()) - {""}), "emotion")
                         + (f" ({blank} unlabelled)" if blank else ""))
        if self.aus is not None:
            parts.append(count(len(self.au_names), "AU"))
        note = " -- SYNTHETIC faces, not real data" if self.name == "synthetic" else ""
        return f"<FaceDataset {self.name!r}: {', '.join(parts)}{note}>"

    def __getitem__(self, key):
        """``ds[i]`` returns one image; a slice, index array or mask returns a FaceDataset."""
        key = one_index(key)  # a bool refused: not the image at 1 (bool is an int)
        if isinstance(key, (int, np.integer)):
            n = len(self)
            if not -n <= key < n:
                raise IndexError(f"index {key} out of range for {n} images")
            return self._read(int(key) % n)
        return self.subset(key)

    def subset(self, rows) -> FaceDataset:
        """Return the images selected by a slice, integer indices or a boolean mask."""
        index = selected_rows(len(self), rows)

        def take(a):
            return [a[i] for i in index] if isinstance(a, list) else None if a is None else a[index]

        return FaceDataset(images=take(self._images), paths=take(self._paths),
                           subject=self.subject[index], emotion=take(self.emotion),
                           aus=take(self.aus), au_names=self.au_names or None,
                           split=take(self.split), video_frame=take(self._video_frame),
                           meta={k: v[index] for k, v in self.meta.items()}, name=self.name)

    # ----------------------------------------------------------------- pixels
    def _read(self, i: int) -> np.ndarray:
        if self._images is not None:
            return np.asarray(self._images[i])
        return self._read_files([i])[i]

    def _read_files(self, indices) -> dict[int, np.ndarray]:
        from ..io import read_image
        from ._io import read_video_frames
        from .errors import DatasetNotFoundError

        out: dict[int, np.ndarray] = {}
        videos: dict[str, list[int]] = {}
        for i in indices:
            frame = -1 if self._video_frame is None else int(self._video_frame[i])
            if frame < 0:
                if not os.path.isfile(self._paths[i]):
                    raise DatasetNotFoundError("image file not found; check the path and its "
                                               "folder", path=self._paths[i])
                out[i] = read_image(self._paths[i], as_uint8=True)
            else:
                videos.setdefault(self._paths[i], []).append(i)
        for path, rows in videos.items():  # stream each video once, in frame order
            frames = read_video_frames(path, [self._video_frame[i] for i in rows])
            for i in rows:
                out[i] = frames[int(self._video_frame[i])]
        return out

    def load_images(self, indices=None, *, size=None) -> np.ndarray:
        """Return the images as one array.

        Parameters
        ----------
        indices : slice, int, int array or bool mask, optional
            Which images (default all), in the order given.
        size : int or (int, int), optional
            Resize every image to ``(size, size)`` or ``(height, width)``: positive
            whole numbers, anything else is a ValueError
            (``cv2.INTER_AREA`` when shrinking, bilinear when enlarging).
            Default: keep the size when all images share it, otherwise resize
            to the most common size (ties: the first seen).

        Returns
        -------
        ndarray, shape (n, H, W) or (n, H, W, C)
            The pixels: uint8 for images read from files (grey files 2-D, colour
            ones RGB). In-memory images keep their channels and dtype, but other
            integers than uint8/uint16 are uint8 (in 0-255, else InvalidImageError,
            as for PNG files), bool uint8 0/255 (as a 1-bit file is read) and float16
            float32; images of several dtypes are each
            scaled to float by their dtype's rule (uint8 200 as 200/255, as the
            features do). Grayscale images beside colour ones get 3 channels.

        Examples
        --------
        >>> import numpy as np
        >>> ds = FaceDataset(images=[np.zeros((4, 6), np.uint8), np.ones((8, 8), np.uint8)],
        ...                  subject=["a", "b"])
        >>> ds.load_images(size=5).shape
        (2, 5, 5)
        """
        size = check_size(size)  # before reading any file
        # an int is one image, still returned as a batch of one, as for files on disk
        rows = np.arange(len(self)) if indices is None else selected_rows(len(self), indices)
        if self._images is not None:
            if isinstance(self._images, np.ndarray) and size is None:
                return readable(self._images[rows])
            pixels = [np.asarray(self._images[i]) for i in rows]
        else:
            read = self._read_files(rows)
            pixels = [read[i] for i in rows]
        return stack_images(pixels, size)

    # ----------------------------------------------------------------- labels
    def labels(self) -> dict:
        """Summarise the labels.

        Returns
        -------
        dict
            ``name``, ``n_images``, ``n_subjects``, ``images_per_subject``
            (subject -> count), ``emotion`` (label -> count) or None, ``split``
            (split -> count) or None, ``au_base_rate`` (AU -> fraction of
            coded images with a value > 0) and ``au_coded`` (AU -> number of
            coded, non-NaN images).

        Examples
        --------
        >>> import numpy as np
        >>> ds = FaceDataset(images=np.zeros((3, 4, 4), np.uint8), subject=["a", "a", "b"],
        ...                  aus=[[0, 2], [1, np.nan], [0, 0]], au_names=["AU1", "AU12"])
        >>> ds.labels()["au_base_rate"]
        {'AU1': 0.3333333333333333, 'AU12': 0.5}
        """
        def counts(values):
            return None if values is None else dict(sorted(Counter(values.tolist()).items()))

        rate, coded = {}, {}
        for k, au in enumerate(self.au_names):
            column = self.aus[:, k]
            known = column[~np.isnan(column)]
            coded[au] = int(known.size)
            rate[au] = float((known > 0).mean()) if known.size else float("nan")
        return {"name": self.name, "n_images": len(self), "n_subjects": self.n_subjects,
                "images_per_subject": counts(self.subject), "emotion": counts(self.emotion),
                "split": counts(self.split), "au_base_rate": rate, "au_coded": coded}

    def targets(self, task: str, labels=None):
        """Return what a model of ``task`` learns: ``(y, keep, au_names)``.

        Parameters
        ----------
        task : {'emotion', 'au-occurrence', 'au-intensity'}
        labels : str or list of str, optional
            Emotion classes to keep (``keep`` marks their rows), by any emotion
            name ('happy', 'HA'; one class may be one string); all by default.
            Rows without an emotion label
            (``''``, e.g. CK+'s unlabelled sequences) are never kept for
            ``'emotion'``; ``''`` in ``labels`` is a ValueError.

        Returns
        -------
        y : ndarray
            Emotion labels (str), or the AU matrix: intensities, or 0/1 presence
            for ``'au-occurrence'`` (NaN where an AU is not coded).
        keep : ndarray of bool
            The rows to use; for the AU tasks, those with at least one AU coded
            (a row with no AU coded, all NaN, is out, as an unlabelled row is
            for ``'emotion'``).
        au_names : list of str or None

        Raises
        ------
        ValueError
            When the data set has no labels for ``task``, or no AU coded in any row.

        Examples
        --------
        >>> ds = FaceDataset(images=np.zeros((2, 4, 4), np.uint8), subject=["a", "b"],
        ...                  aus=[[0, 3], [2, np.nan]], au_names=["AU1", "AU12"])
        >>> ds.targets("au-occurrence")[0]
        array([[ 0.,  1.],
               [ 1., nan]])
        """
        # what each task needs, then the other tasks: a data set loaded for one task holds
        # its labels alone (the others' are not read), so it cannot say it has them
        if task == "emotion":
            if self.emotion is None:
                raise ValueError(f"data set {self.name!r} has no emotion labels; give a manifest "
                                 "an 'emotion' column (a folder: a subfolder per emotion), or "
                                 "for AU labels choose task 'au-occurrence' or 'au-intensity'")
            y = np.asarray(self.emotion).astype(str)
            keep = (y != "") & (True if labels is None  # '' in labels is refused
                                else np.isin(y, resolve_labels(labels, y, self.name)))
            return y, keep, None
        if task not in ("au-occurrence", "au-intensity"):
            raise ValueError(f"unknown task {task!r}; choose 'emotion', 'au-occurrence' or "
                             "'au-intensity'")
        if self.aus is None:
            raise ValueError(f"data set {self.name!r} has no AU labels; give a manifest AU "
                             "columns (AU1, AU12, ...), or for emotion labels choose task "
                             "'emotion'")
        aus = np.asarray(self.aus, dtype=float)
        if task == "au-occurrence":
            aus = np.where(np.isnan(aus), np.nan, (aus > 0).astype(float))
        keep = ~np.isnan(aus).all(axis=1)  # rows with at least one AU coded
        if len(self) and not keep.any():
            raise ValueError(f"data set {self.name!r} has no AU coded in any image (every AU "
                             "cell is empty or NaN); choose task 'emotion' or code some AUs")
        return aus, keep, list(self.au_names)

    def to_manifest(self, path, *, image_dir=None, progress=True) -> Path:
        """Write a manifest CSV that :func:`load_manifest` reads back.

        Images held in memory and video frames are written as PNG files into
        ``image_dir`` (default: a folder ``<csv name>_images`` next to the
        CSV); image files are referenced by their path relative to the CSV.
        The columns, what they hold, and the ``ValueError`` raised before
        anything is written for what could not be read back (AU names not
        ``AU<n>``, ``meta`` named like a column, file names not UTF-8) are
        those of :func:`~aufeat.datasets.write_manifest`; ``progress`` shows a bar of
        the PNG files written once they have taken 5 s (FER2013's 35,887 images).

        Returns
        -------
        Path
            The CSV written.

        Examples
        --------
        >>> import numpy as np, tempfile, pathlib
        >>> ds = FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=["a", "b"])
        >>> csv = ds.to_manifest(pathlib.Path(tempfile.mkdtemp()) / "faces.csv")
        >>> csv.read_text().splitlines()[0]
        'path,subject,sequence,source,frame'
        """
        return write_manifest(self, path, image_dir=image_dir, progress=progress)


#: Frame numbers from here on are refused: a float no longer holds each whole number, and
#: past 2**63 the cast to int64 wraps to a negative number (read as a still image).
MAX_FRAME = 2**53


def _frame_numbers(video_frame, paths) -> np.ndarray:
    """Return ``video_frame`` as int64, one per path: whole numbers >= -1 (floats rounded)."""
    if paths is None:
        raise ValueError("video_frame= needs paths=")
    values = np.asarray(video_frame)
    if values.shape != paths.shape:
        raise ValueError(f"video_frame: expected {len(paths)} frame numbers, one per path (-1 "
                         f"for a still image), got shape {values.shape}")
    try:
        number = values.astype(np.float64)
    except (TypeError, ValueError):  # None or text among the numbers
        number = np.array([v if isinstance(v, numbers.Real) else np.nan for v in values.tolist()])
    number[np.isinf(number)] = np.nan  # refused below, as NaN is
    ok = (np.abs(number - np.rint(number)) <= 1e-4) & (number > -1.5)  # NaN, inf: not ok
    huge = number >= MAX_FRAME  # would wrap to a negative int64 (a still image)
    if not (ok & ~huge).all():
        row = int(np.argmin(ok & ~huge))
        raise ValueError(f"video_frame[{row}] is {values.tolist()[row]!r} ({paths[row]}): " + (
            "too large for a frame number (no video holds 2**53 frames); check the column"
            if huge[row] else "a frame number is whole, the 0-based frame of a video or -1 "
            "for a still image; round or floor frames computed from times as you mean them"))
    return np.rint(number).astype(np.int64)


def _no_blank(emotion: np.ndarray) -> np.ndarray:
    """Return ``emotion`` with cells of only spaces (a spreadsheet's ``' '``) as ``''``, no label.

    The metrics refuse a true label that is blank after stripping; a ``' '`` kept
    as a class would be trained on, then refused after every fold is fitted.
    """
    return np.where(np.char.strip(emotion) == "", "", emotion)
