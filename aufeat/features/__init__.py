"""Feature extractors: Gabor, HOG, LBP (Numba kernels) and landmark geometry.

Public functions live in ``gabor.py``, ``hog.py``, ``lbp.py``; their jitted
kernels in the matching ``_*_kernels.py`` modules.
"""
