"""Keras deep baselines that plug into aufeat's evaluation (optional extra ``deep``).

``pip install 'aufeat[deep]'`` installs Keras 3 and JAX; aufeat runs Keras on
the JAX backend on the CPU unless ``KERAS_BACKEND``, the backend of an imported
Keras or an installed one your ``keras.json`` names says otherwise. Importing
this module without them raises :class:`ImportError` with that command.

- :class:`KerasCNNClassifier`: CNNs on aligned face images (the source
  studies' small CNN, a small VGG, any ``keras.applications`` network).
- :class:`KerasMLPClassifier`: a feed-forward network on feature vectors.
- :func:`save_keras` / :func:`load_keras`: Keras' ``.keras`` format, no pickle.
- :class:`InputSizeError`, :class:`WeightsMismatchError` (both ``ValueError``): a
  ``keras.applications`` network that refuses its input size, or its weights file.

Both classifiers are scikit-learn estimators (``fit``, ``predict``,
``predict_proba``, ``score``, ``get_params``, ``clone``); ``fit(X, y, groups=subjects)``
holds whole subjects out for early stopping on validation macro-F1.
"""

from ._architectures import ARCHITECTURES, InputSizeError, WeightsMismatchError
from ._estimators import KerasCNNClassifier, KerasMLPClassifier
from ._load import load_keras
from ._save import save_keras

__all__ = ["ARCHITECTURES", "InputSizeError", "KerasCNNClassifier", "KerasMLPClassifier",
           "WeightsMismatchError", "load_keras", "save_keras"]
