# The single list of aufeat's public names (loaded lazily by lazy_loader).
from .exceptions import AufeatWarning, InvalidImageError, ModelNotFoundError
from .features.hog import extract_hog
from .features.lbp import extract_lbp, lbp_codes

__all__ = [
    "AufeatWarning",
    "InvalidImageError",
    "ModelNotFoundError",
    "extract_hog",
    "extract_lbp",
    "lbp_codes",
]
