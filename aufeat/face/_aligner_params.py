"""FaceAligner's parameter checks: every setting is refused before any image is read."""

from __future__ import annotations

from ._models import check_model_dir
from ._params import check_choices, plain
from .align import check_geometry
from .detect import check_scale_args

__all__ = ["check_aligner_params"]


def check_aligner_params(aligner) -> None:
    """Raise ValueError (TypeError for ``model_dir``) for an invalid FaceAligner setting."""
    check_choices(aligner, {"faces": ("largest", "all"),
                            "on_missing": ("raise", "nan", "drop"),
                            "detect": (True, False, "auto"), "landmarks": (68, 5),
                            "detector": ("hog", "cnn", "hog+cnn"),
                            "border": ("constant", "replicate"), "antialias": (True, False),
                            "mask": (True, False), "gray": (True, False)})
    check_geometry(aligner.size, aligner.scale)
    check_scale_args(aligner.upsample, aligner.min_size)
    if aligner.mask and aligner.landmarks != 68:
        raise ValueError("mask=True needs landmarks=68 (the hull of 5 points is not a face)")
    for name in ("max_fit_error", "crop_fit_error"):
        value = plain(getattr(aligner, name))  # np.float64 as float, np.True_ as True
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not (number and value > 0) and (value is not None or name == "max_fit_error"):
            raise ValueError(f"{name} must be a positive number, got {value!r}")
    check_model_dir(aligner.model_dir)
