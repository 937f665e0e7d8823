"""Usage checks of ``aufeat-bench run`` made before anything is loaded: one line each."""

from __future__ import annotations

__all__ = ["usage_problem"]


def usage_problem(args) -> str | None:
    """Return why the options of ``args`` are refused, or None.

    * a list option that names nothing (``--classifiers ,`` would run the full grid).
    """
    from aufeat.estimators.feature_sets import FEATURE_SETS

    named = {"--features": f"feature set; choose from {', '.join(FEATURE_SETS)}",
             "--classifiers": "classifier; see aufeat-bench run --help",
             "--labels": "emotion class; leave --labels out to keep every class"}
    for option, value in (("--features", args.features), ("--classifiers", args.classifiers),
                          ("--labels", args.labels)):
        if value == []:  # "," or "": not the default (None)
            return f"{option} names no {named[option]}"
    return None
