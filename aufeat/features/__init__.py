"""Feature extractors: Gabor, HOG, FHOG, LBP (Numba kernels) and landmark geometry.

Public functions live in ``gabor.py``, ``hog.py``, ``fhog.py``, ``lbp.py`` and
``geometry.py``; their jitted kernels and helpers in the private modules of each
family (``_gabor_*``, ``_hog_*``, ``_fhog_kernels.py``, ``_lbp_kernels.py``). The public names
are listed in ``__init__.pyi`` and loaded lazily, so importing this package
compiles nothing and does not import Numba until a name is used.
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
