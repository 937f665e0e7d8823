"""Which steps of an extractor get the pixels the cache decodes, and in which layout.

Files, data sets and PIL images are read channels-last, whatever an extractor's
``channel_axis`` (which says how the *arrays* it is given are laid out). The cache
decodes them itself and hands the pixels on, so the step that would have read them
must take them channels-last: the extractor itself, the first step of a ``Pipeline``
that is no pass-through, each part of a ``FeatureUnion`` (to which
``pipeline.transform(paths)`` hands the paths). Read channel-first, an RGB file was
refused (or misread) and the refusal stored as the file's failure.
"""

from __future__ import annotations

import numpy as np

from .._sources import is_path
from ..estimators._image_inputs import check_channel_axis, listed, source_layout
from .keys import _estimators

__all__ = ["check_axes", "reading_layout"]


def _channels_first(step) -> bool:
    """Whether ``step`` reads arrays with their channel axis not last (as source_layout)."""
    axis = getattr(step, "channel_axis", None)
    return (isinstance(axis, (int, np.integer)) and not isinstance(axis, (bool, np.bool_))
            and axis in (0, 1, -2, -3))


def _decoded(X) -> bool:
    """Whether the cache decodes ``X``'s pixels itself: a data set, files or PIL images."""
    if X is None or isinstance(X, np.ndarray) or hasattr(X, "getbands"):
        return False  # one PIL image: refused by resolve_sources, with the hint to wrap it
    if hasattr(X, "in_memory"):
        return True
    try:
        items = X.to_numpy().ravel().tolist() if hasattr(X, "to_numpy") else list(X)
    except TypeError:  # not a sequence of images: resolve_sources names what it is
        return False
    return any(is_path(i) or hasattr(i, "getbands") for i in items)


def _passes_on(step) -> bool:
    """Whether a ``Pipeline`` step hands its input on as it is (None, 'passthrough', identity)."""
    from sklearn.preprocessing import FunctionTransformer

    return (step is None or isinstance(step, str)
            or (type(step) is FunctionTransformer and step.func is None))


def _readers(est, route=()):
    """Yield ``(route, step)`` of each channel-first step that gets the decoded pixels first.

    ``route``: the ``(parameter, index)`` pairs from ``est`` down to the step. A channel-first
    step inside any other estimator (which may hand the pixels on or not) is refused.
    """
    from sklearn.pipeline import FeatureUnion, Pipeline

    if isinstance(est, Pipeline):
        for i, (_, step) in enumerate(est.steps):
            if not _passes_on(step):
                yield from _readers(step, (*route, ("steps", i)))
                return
    elif isinstance(est, FeatureUnion):
        for i, (_, part) in enumerate(est.transformer_list):
            if not isinstance(part, str) and part is not None:
                yield from _readers(part, (*route, ("transformer_list", i)))
    elif _channels_first(est):
        yield route, est
    elif inner := [e for e in _estimators(est) if _channels_first(e)]:
        raise ValueError(
            f"the feature cache reads files, data sets and PIL images channels-last, and "
            f"cannot tell whether {type(est).__name__} hands those pixels to its "
            f"{type(inner[0]).__name__}, whose channel_axis={inner[0].channel_axis} would "
            "read them channel-first: set that channel_axis to None (the files are "
            "channels-last anyway), or give the images as arrays in its layout.")


def _replace(est, route, new):
    """Return ``est`` rebuilt with the step at ``route`` replaced by ``new`` (est unchanged)."""
    if not route:
        return new
    (param, i), rest = route[0], route[1:]
    params = est.get_params(deep=False)
    items = list(params[param])
    items[i] = (items[i][0], _replace(items[i][1], rest, new), *items[i][2:])
    return type(est)(**{**params, param: items})


def check_axes(extractor, X) -> None:
    """Refuse a ``channel_axis`` of the extractor or of any step in it that is no image axis.

    Before anything is read: left to the fill, each chunk would fail and be stored so.
    """
    for est in _estimators(extractor):
        check_channel_axis(est, X)


def reading_layout(extractor, X):
    """Return ``(extractor, X)`` to compute the features of files, data sets or PIL images.

    Each step that gets the decoded pixels first with a channel-first ``channel_axis`` is
    given as :func:`~aufeat.estimators._image_inputs.source_layout` gives it: for files
    and data sets a twin with ``channel_axis=None`` (in a rebuilt ``Pipeline`` or
    ``FeatureUnion``; keyed as that), for a list of PIL images their pixels moved to its axis.
    """
    X = listed(X)  # a generator: read once, here
    if not _decoded(X):  # arrays: in the layout the extractor says
        return extractor, X
    readers = list(_readers(extractor))
    axes = {int(step.channel_axis) % 3 for _, step in readers}
    for route, step in readers:
        twin, moved = source_layout(step, X)
        if moved is not X and len(axes) > 1:
            raise ValueError(
                "the steps of this extractor that get the images take them with different "
                "channel axes; give the PIL images as files, or as arrays in each one's layout.")
        extractor, X = _replace(extractor, route, twin), moved
    return extractor, X
