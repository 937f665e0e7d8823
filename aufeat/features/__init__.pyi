# The public names of aufeat.features (loaded lazily by lazy_loader).
from .fhog import extract_fhog
from .gabor import (
    DEFAULT_FREQUENCIES,
    GaborBank,
    extract_gabor,
    gabor_kernel_bank,
    gabor_responses,
)
from .geometry import extract_geometry
from .hog import extract_hog
from .lbp import extract_lbp, lbp_codes, lbp_n_bins

__all__ = [
    "DEFAULT_FREQUENCIES",
    "GaborBank",
    "extract_fhog",
    "extract_gabor",
    "extract_geometry",
    "extract_hog",
    "extract_lbp",
    "gabor_kernel_bank",
    "gabor_responses",
    "lbp_codes",
    "lbp_n_bins",
]
