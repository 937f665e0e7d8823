"""Data-set SPEC strings shared by ``aufeat`` and ``aufeat-bench``.

``synthetic[:SUBJECTSxIMAGES]``, ``manifest:FILE.csv``, ``fer2013:PATH``,
``ckplus:PATH``, ``jaffe:PATH``, ``disfa:PATH``, ``folder:PATH``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["SPEC_HELP", "SpecError", "load_dataset_spec"]

SPEC_HELP = ("synthetic[:SUBJECTSxIMAGES], manifest:FILE.csv, fer2013:PATH, ckplus:PATH, "
             "jaffe:PATH, disfa:PATH or folder:PATH")

_LOADERS = {
    "manifest": "load_manifest",
    "fer2013": "load_fer2013",
    "ckplus": "load_ckplus",
    "jaffe": "load_jaffe",
    "disfa": "load_disfa",
    "folder": "load_image_folder",
}


class SpecError(ValueError):
    """A data-set SPEC that cannot be understood or whose path is missing."""


def _synthetic(spec: str, arg: str, random_state: int):
    from aufeat.datasets import make_synthetic_faces

    if not arg:
        return make_synthetic_faces(random_state=random_state)
    subjects, _, per = arg.lower().partition("x")
    try:
        n_subjects, n_per = int(subjects), int(per or 30)
    except ValueError:
        raise SpecError(f"dataset {spec!r}: write synthetic:SUBJECTSxIMAGES, e.g. "
                        "synthetic:8x20") from None
    return make_synthetic_faces(n_subjects=n_subjects, n_per_subject=n_per,
                                random_state=random_state)


def load_dataset_spec(spec: str, *, random_state: int = 0):
    """Load the FaceDataset a SPEC names.

    Raises
    ------
    SpecError
        For an unknown kind, a missing argument or a path that does not exist.

    Examples
    --------
    >>> load_dataset_spec("nosuch:x")
    Traceback (most recent call last):
    ...
    aufeat.cli._specs.SpecError: dataset 'nosuch:x' is not understood; use synthetic[:SUBJECTSxIMAGES], manifest:FILE.csv, fer2013:PATH, ckplus:PATH, jaffe:PATH, disfa:PATH or folder:PATH
    """  # noqa: E501
    import aufeat.datasets as datasets

    kind, _, arg = spec.partition(":")
    kind = kind.strip().lower()
    if kind == "synthetic":
        return _synthetic(spec, arg, random_state)
    if kind not in _LOADERS or not arg:
        raise SpecError(f"dataset {spec!r} is not understood; use {SPEC_HELP}")
    if not Path(arg).exists():
        raise SpecError(f"dataset {spec!r}: {arg} does not exist")
    return getattr(datasets, _LOADERS[kind])(arg)
