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

__all__ = ["reading_layout"]


def _channels_first(step) -> bool:
    """Whether ``step`` reads arrays with their channel axis not last (as source_layout)."""
    axis = getattr(step, "channel_axis", None)
    return (isinstance(axis, (int, np.integer)) and not isinstance(axis, (bool, np.bool_))
            and axis in (0, 1, -2, -3))


def _items(X) -> list | None:
    """``X``'s items (a data set: None), or None when ``X`` is no sequence of images."""
    if X is None or isinstance(X, np.ndarray) or hasattr(X, "getbands") \
            or hasattr(X, "in_memory"):
        return None  # one PIL image: refused by resolve_sources, with the hint to wrap it
    try:
        return X.to_numpy().ravel().tolist() if hasattr(X, "to_numpy") else list(X)
    except TypeError:  # not a sequence of images: resolve_sources names what it is
        return None


def _decoded(X) -> bool:
    """Whether the cache decodes ``X``'s pixels itself: a data set, files or PIL images."""
    items = _items(X)
    return hasattr(X, "in_memory") if items is None else \
        any(is_path(i) or hasattr(i, "getbands") for i in items)


def _passes_on(step) -> bool:
    """Whether a ``Pipeline`` step hands its input on as it is (None, 'passthrough', identity)."""
    from sklearn.preprocessing import FunctionTransformer

    return (step is None or isinstance(step, str)
            or (type(step) is FunctionTransformer and step.func is None))


def _readers(est, X, route=()):
    """Yield ``(route, step)`` of each channel-first step that gets the decoded pixels first.

    ``route``: the ``(parameter, index)`` pairs from ``est`` down to the step. Inside
    ``est``, only aufeat's own steps are twinned (a user's step may have no
    ``channel_axis`` parameter, or lay the pixels out itself: it gets them as decoded);
    such a step with a ``channel_axis`` that is no image axis is refused (before anything
    is read: each chunk would fail, and be stored so).
    """
    from sklearn.pipeline import FeatureUnion, Pipeline

    if isinstance(est, Pipeline):
        for i, (_, step) in enumerate(est.steps):
            if not _passes_on(step):
                yield from _readers(step, X, (*route, ("steps", i)))
                return
    elif isinstance(est, FeatureUnion):
        for i, (_, part) in enumerate(est.transformer_list):
            if not isinstance(part, str) and part is not None:
                yield from _readers(part, X, (*route, ("transformer_list", i)))
    elif not route:  # the extractor itself, whoever's: as source_layout gives it
        if _channels_first(est):
            yield route, est
    elif type(est).__module__.startswith("aufeat."):  # a user's step: its pixels as decoded
        check_channel_axis(est, X)  # the extractor's own: checked by features()
        if _channels_first(est):
            yield route, est


def _replace(est, route, new):
    """Return ``est`` rebuilt with the step at ``route`` replaced by ``new`` (est unchanged)."""
    if not route:
        return new
    (param, i), rest = route[0], route[1:]
    params = est.get_params(deep=False)
    items = list(params[param])
    items[i] = (items[i][0], _replace(items[i][1], rest, new), *items[i][2:])
    return type(est)(**{**params, param: items})


def reading_layout(extractor, X):
    """Return ``(extractor, X)`` to compute the features of files, data sets or PIL images.

    The extractor itself, if channel-first, is given as
    :func:`~aufeat.estimators._image_inputs.source_layout` gives it (a twin with
    ``channel_axis=None`` for files and data sets, a list of PIL images with its pixels
    moved to its axis). A channel-first step inside it that gets the decoded pixels first
    is given a twin with ``channel_axis=None``, in a rebuilt ``Pipeline`` or
    ``FeatureUnion`` (keyed as that), for PIL images too: the other parts of a
    ``FeatureUnion`` read them channels-last, as ``union.transform`` hands them.
    """
    X = listed(X)  # a generator: read once, here
    if not _decoded(X):  # arrays: in the layout the extractor says
        return extractor, X
    for route, step in list(_readers(extractor, X)):
        if not route:
            return source_layout(step, X)
        items = _items(X) or []
        if any(isinstance(i, np.ndarray) and i.ndim > 2 for i in items):  # grey: no layout
            raise ValueError(
                f"images: a list mixing arrays and PIL images or files, for the "
                f"{type(step).__name__}(channel_axis={step.channel_axis}) inside this "
                f"{type(extractor).__name__}: the cache reads PIL images and files "
                "channels-last and cannot tell the arrays' layout from theirs; give all the "
                "images as arrays in its layout, or as PIL images or files.")
        extractor = _replace(extractor, route, type(step)(**{**step.get_params(deep=False),
                                                             "channel_axis": None}))
    return extractor, X
