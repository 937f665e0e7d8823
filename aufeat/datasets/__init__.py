"""Face data sets: the FaceDataset container, corpus loaders and synthetic faces.

Loaders read the user's own copy of each corpus (nothing is downloaded or
shipped): :func:`load_manifest`, :func:`load_image_folder`,
:func:`load_fer2013`, :func:`load_ckplus`, :func:`load_jaffe`,
:func:`load_disfa`. :func:`make_synthetic_faces` generates the embedded,
clearly synthetic default data set. Emotion labels use one vocabulary,
:data:`EMOTIONS`.
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
