"""What a fitted FaceFeatures' features came from, and a warning where this aufeat differs.

A model is trained on features of one aligner, feature families and image reader; an
upgraded one computes other features of the same image, on which the model's predictions
may be off. :meth:`FaceFeatures.fit` records the versions (``feature_versions_``);
:func:`aufeat.estimators.load_model` compares them with this aufeat's, as
``aufeat predict`` compares those of a model's sidecar.
"""

from __future__ import annotations

__all__ = ["changed_versions", "named_versions", "versions_of", "warn_changed_features"]


def versions_of(features) -> dict:
    """Return the versions ``features`` (a FaceFeatures) computes with, image reader too."""
    from aufeat.io import READER_VERSION

    return {**features.feature_version, "image_reader": READER_VERSION}


def changed_versions(made: dict, now: dict) -> list:
    """Return the names whose version differs between ``made`` and ``now`` (or is in one)."""
    return [k for k in now if made.get(k) != now[k]] + [k for k in made if k not in now]


def named_versions(versions: dict, keys: list) -> str:
    """Return e.g. ``'aligner version 8, no image reader'`` for ``keys`` of ``versions``."""
    return ", ".join(f"{key.replace('_', ' ')} version {versions[key]}" if key in versions
                     else f"no {key.replace('_', ' ')}" for key in keys)


def warn_changed_features(model, source):
    """Warn of each fitted FaceFeatures in ``model`` recorded with other versions; return it.

    ``model``: a FaceFeatures or a Pipeline holding one (nested pipelines too); one
    fitted by an aufeat that recorded no versions is not checked.
    """
    from aufeat._warnings import warn

    steps = [model]
    while steps:
        step = steps.pop()
        steps.extend(s for _, s in getattr(step, "steps", ()) if not isinstance(s, str))
        made = getattr(step, "feature_versions_", None)  # a fitted FaceFeatures' record
        if not isinstance(made, dict) or not hasattr(type(step), "feature_version"):
            continue
        now = versions_of(step)
        if changed := changed_versions(made, now):
            warn(f"{source}: the model was trained on features of "
                 f"{named_versions(made, changed)}; this aufeat computes "
                 f"{named_versions(now, changed)}: its predictions may be off; fit it again")
    return model
