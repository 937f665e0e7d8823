# Public names of aufeat.face (loaded lazily by lazy_loader).
# Its public module align too, so that aufeat.face.align.fit_error works after `import aufeat`.
from . import align
from .align import (
    AlignedCrop,
    align_face,
    canonical_landmarks,
    canonical_pose,
    fit_error,
    similarity_transform,
)
from .aligner import FaceAligner
from .detect import FaceBox, detect_faces
from .errors import NoFaceError
from .landmarks import box_from_landmarks, predict_landmarks, track_landmarks
from .record import AlignedBatch, AlignedFace
from .video import align_video

__all__ = [
    "AlignedBatch",
    "AlignedCrop",
    "AlignedFace",
    "FaceAligner",
    "FaceBox",
    "NoFaceError",
    "align",
    "align_face",
    "align_video",
    "box_from_landmarks",
    "canonical_landmarks",
    "canonical_pose",
    "detect_faces",
    "fit_error",
    "predict_landmarks",
    "similarity_transform",
    "track_landmarks",
]
