"""scikit-learn estimators: extractor transformers, AU models, presets, persistence.

Public names are listed in ``__init__.pyi`` and loaded lazily, so importing this
package does not import scikit-learn until a name is used.
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
