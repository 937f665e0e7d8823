"""Feature extractors: Gabor, HOG, LBP (Numba kernels) and landmark geometry.

Public functions live in ``gabor.py``, ``hog.py``, ``lbp.py`` and ``geometry.py``;
their jitted kernels in the matching ``_*_kernels.py`` modules. The public names
are listed in ``__init__.pyi`` and loaded lazily, so importing this package
compiles nothing and does not import Numba until a name is used.
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
