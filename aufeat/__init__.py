"""aufeat: facial expression and Action Unit analysis with classical features.

Fast, exact Gabor / HOG / LBP extractors (Numba), dlib face alignment, a feature
cache, scikit-learn models and subject-independent evaluation.

Public names are listed once, in ``__init__.pyi``, and loaded lazily: importing
``aufeat`` compiles nothing and imports neither Numba, dlib nor scikit-learn.

Examples
--------
>>> import numpy as np
>>> import aufeat
>>> aufeat.extract_hog(np.zeros((48, 48))).shape  # 4x4 blocks of 3x3 cells x 9 bins
(1296,)
"""

import lazy_loader as _lazy

from ._version import __version__ as __version__

__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
