"""Checks of the resampling arguments, made before any work is done.

``evaluate(n_bootstrap=...)`` is used only after every fold is fitted, so a bad
value has to be refused up front, with the argument's name, not by ``range``
deep in the bootstrap once the fits are lost.
"""

from __future__ import annotations

import numbers

__all__ = ["check_confidence", "resample_count"]


def check_confidence(confidence) -> None:
    """Refuse a ``confidence`` that is not strictly between 0 and 1 (ValueError)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95); got {confidence!r}")


def resample_count(value, name: str) -> int:
    """``value`` as a count of resamples: an int >= 0, or a float with a whole value (``1e3``).

    A bool, a fraction, a negative number or anything else is refused with a
    TypeError or ValueError naming the argument ``name``.

    Examples
    --------
    >>> resample_count(1e3, "n_bootstrap")
    1000
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a whole number of resamples (e.g. 1000, or 0 for "
                        f"none); got {value!r} of type {type(value).__name__}")
    # a whole float: 1e3 from a config file or argparse type=float
    if isinstance(value, numbers.Integral) or float(value).is_integer():
        count = int(value)
    else:
        raise ValueError(f"{name} must be a whole number of resamples (e.g. 1000, or 0 for "
                         f"none); got {value!r}")
    if count < 0:
        raise ValueError(f"{name} must be 0 (no intervals) or more; got {value!r}")
    return count
