# The single list of aufeat's public names (loaded lazily by lazy_loader).
# The subpackages too, so that aufeat.estimators.make_face_model works after `import aufeat`
# (not keras, an optional extra: `import aufeat.keras`).
from . import cache, datasets, estimators, evaluation, exceptions, face, features, io
from .cache import FeatureCache
from .datasets import (
    FaceDataset,
    load_ckplus,
    load_disfa,
    load_fer2013,
    load_image_folder,
    load_jaffe,
    load_manifest,
    make_synthetic_faces,
)
from .estimators import (
    AUClassifier,
    AURegressor,
    FaceFeatures,
    FaceModel,
    GaborExtractor,
    GeometryExtractor,
    HOGExtractor,
    LBPExtractor,
    PersonNormalizer,
    load_model,
    make_classifier,
    make_pipeline,
    make_regressor,
    save_model,
)
from .evaluation.runner import evaluate
from .exceptions import AufeatWarning, InvalidImageError, ModelNotFoundError
from .face import FaceAligner, align_face, detect_faces, predict_landmarks
from .features.gabor import extract_gabor, gabor_kernel_bank, gabor_responses
from .features.geometry import extract_geometry
from .features.hog import extract_hog
from .features.lbp import extract_lbp, lbp_codes
from .io import iter_frames, read_image

__all__ = [
    "AUClassifier",
    "AURegressor",
    "AufeatWarning",
    "FaceAligner",
    "FaceDataset",
    "FaceFeatures",
    "FaceModel",
    "FeatureCache",
    "GaborExtractor",
    "GeometryExtractor",
    "HOGExtractor",
    "InvalidImageError",
    "LBPExtractor",
    "ModelNotFoundError",
    "PersonNormalizer",
    "align_face",
    "cache",
    "datasets",
    "detect_faces",
    "estimators",
    "evaluate",
    "evaluation",
    "exceptions",
    "extract_gabor",
    "extract_geometry",
    "extract_hog",
    "extract_lbp",
    "face",
    "features",
    "gabor_kernel_bank",
    "gabor_responses",
    "io",
    "iter_frames",
    "lbp_codes",
    "load_ckplus",
    "load_disfa",
    "load_fer2013",
    "load_image_folder",
    "load_jaffe",
    "load_manifest",
    "load_model",
    "make_classifier",
    "make_pipeline",
    "make_regressor",
    "make_synthetic_faces",
    "predict_landmarks",
    "read_image",
    "save_model",
]
