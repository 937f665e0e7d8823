"""Subject-independent protocols, metrics, result records, reports and plots.

Public names are listed in ``__init__.pyi`` and loaded lazily, so importing this
package does not import scikit-learn or matplotlib until a name is used.
``evaluate`` and ``evaluate_many`` live in :mod:`aufeat.evaluation.runner`.
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
