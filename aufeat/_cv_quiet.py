"""OpenCV's own log lines silenced while aufeat decodes a file.

OpenCV logs to stderr what its decoders meet (``[ERROR:0@0.1] global loadsave.cpp ...``,
``Invalid tile byte count``), also for files aufeat then reads correctly by another route
or refuses with its own message, which says what is wrong and what to do. The level is
lowered while any thread decodes, and restored after the last one: the user's own
setting (``cv2.utils.logging.setLogLevel``) holds outside aufeat's decoding.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

__all__ = ["quiet_opencv"]

_LOCK = threading.Lock()
_STATE = {"depth": 0, "level": None}


@contextmanager
def quiet_opencv():
    """Silence OpenCV's log while the block runs (thread-safe, nestable).

    Examples
    --------
    >>> import cv2, numpy as np
    >>> with quiet_opencv():
    ...     cv2.imdecode(np.frombuffer(b"not an image", np.uint8), cv2.IMREAD_UNCHANGED) is None
    True
    """
    import cv2

    log = cv2.utils.logging
    with _LOCK:
        if _STATE["depth"] == 0:
            _STATE["level"] = log.getLogLevel()
            log.setLogLevel(log.LOG_LEVEL_SILENT)
        _STATE["depth"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _STATE["depth"] -= 1
            if _STATE["depth"] == 0:
                log.setLogLevel(_STATE["level"])
