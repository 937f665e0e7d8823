# The public names of aufeat.estimators (loaded lazily by lazy_loader).
# Its public modules too, so that their dotted names work after `import aufeat`.
from . import feature_sets, persistence, presets, recipes
from .au import AUClassifier, AURegressor
from .extractors import FHOGExtractor, GaborExtractor, HOGExtractor, LBPExtractor
from .face_features import FaceFeatures
from .face_model import FaceModel
from .geometry import GeometryExtractor
from .normalization import PersonNormalizer, subject_normalize
from .persistence import UntrustedModelError, load_model, save_model
from .presets import CLASSIFIERS, REGRESSORS, make_classifier, make_regressor
from .recipes import make_face_model, make_pipeline

__all__ = [
    "CLASSIFIERS",
    "REGRESSORS",
    "AUClassifier",
    "AURegressor",
    "FHOGExtractor",
    "FaceFeatures",
    "FaceModel",
    "GaborExtractor",
    "GeometryExtractor",
    "HOGExtractor",
    "LBPExtractor",
    "PersonNormalizer",
    "UntrustedModelError",
    "feature_sets",
    "load_model",
    "make_classifier",
    "make_face_model",
    "make_pipeline",
    "make_regressor",
    "persistence",
    "presets",
    "recipes",
    "save_model",
    "subject_normalize",
]
