"""What reading a damaged, foreign or edited zip archive raises.

Saved models (skops), predictions files (``.npz``) and Keras files (``.keras``)
are zip archives, and each reader turns these errors into its own "damaged
file" message.
"""

from __future__ import annotations

import zipfile
import zlib

__all__ = ["ZIP_ERRORS"]

#: What reading a member of a damaged or foreign zip archive raises: besides
#: ``BadZipFile`` and ``OSError`` (bad CRC, cut short), ``NotImplementedError`` for a
#: compression method zipfile lacks (93: Zstandard, which newer zip tools write),
#: ``RuntimeError`` for an encrypted member, ``zlib.error`` / ``EOFError`` for
#: damaged compressed data, and ``ValueError`` for a bad header.
ZIP_ERRORS = (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, zlib.error,
              EOFError, ValueError)
