from ._dataset import FaceDataset
from ._labels import EMOTIONS, canonical_emotion
from .ckplus import CKPLUS_EMOTIONS, load_ckplus
from .disfa import DISFA_AUS, load_disfa
from .errors import DatasetError, DatasetNotFoundError
from .fer2013 import FER2013_EMOTIONS, load_fer2013
from .folder import load_image_folder
from .jaffe import JAFFE_CODES, load_jaffe
from .manifest import load_manifest, write_manifest
from .synthetic import EMFACS_PROTOTYPES, SUPPORTED_AUS, make_synthetic_faces

__all__ = [
    "CKPLUS_EMOTIONS",
    "DISFA_AUS",
    "EMFACS_PROTOTYPES",
    "EMOTIONS",
    "FER2013_EMOTIONS",
    "JAFFE_CODES",
    "SUPPORTED_AUS",
    "DatasetError",
    "DatasetNotFoundError",
    "FaceDataset",
    "canonical_emotion",
    "load_ckplus",
    "load_disfa",
    "load_fer2013",
    "load_image_folder",
    "load_jaffe",
    "load_manifest",
    "make_synthetic_faces",
    "write_manifest",
]
