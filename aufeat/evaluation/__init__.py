"""Subject-independent protocols, metrics, result records, reports and plots.

Public names are listed in ``__init__.pyi`` and loaded lazily, so importing this
package does not import scikit-learn or matplotlib until a name is used.
``evaluate`` is the function (``aufeat.evaluation.evaluate.evaluate``), also when
the module of the same name has been imported.
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
