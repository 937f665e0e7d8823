"""Face detection, 68-point landmarks and canonical alignment on dlib.

Public names are listed in ``__init__.pyi`` and loaded lazily: ``import
aufeat.face`` imports neither dlib nor OpenCV until a name is used.
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
