"""What a model holds that skops cannot store: routing requests, Keras networks."""

from __future__ import annotations

import contextlib

__all__ = ["routing_and_keras"]


def routing_and_keras(model) -> tuple[list, bool]:
    """Find what ``model`` holds that skops cannot store.

    Returns the estimators in ``model`` (itself, its parameters, its fitted parts)
    that hold metadata-routing requests (``set_fit_request``), and whether a Keras
    object is among its parts.
    """
    routed, keras, seen, stack = [], False, set(), [model]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or obj is None or isinstance(obj, (str, bytes, int, float, type)):
            continue
        seen.add(id(obj))
        if type(obj).__module__.split(".")[0] in ("keras", "tf_keras", "tensorflow"):
            keras = True
        elif isinstance(obj, dict):
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple)):
            stack.extend(obj)
        elif callable(getattr(obj, "get_params", None)):  # an estimator: params, fitted parts
            if "_metadata_request" in getattr(obj, "__dict__", {}):
                routed.append(obj)
            stack.extend(getattr(obj, "__dict__", {}).values())
            with contextlib.suppress(Exception):  # an odd estimator: its attributes are walked
                stack.extend(obj.get_params(deep=False).values())
    return routed, keras
