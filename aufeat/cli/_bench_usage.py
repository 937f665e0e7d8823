"""Usage checks of ``aufeat-bench run`` made before anything is loaded: one line each."""

from __future__ import annotations

__all__ = ["DEFAULT_PROTOCOL", "usage_problem"]

#: ``--protocol`` without ``--cross`` when none is given.
DEFAULT_PROTOCOL = "group-kfold:5"


def usage_problem(args) -> str | None:
    """Return why the options of ``args`` are refused, or None.

    * a list option that names nothing (``--classifiers ,`` would run the full grid),
    * ``--protocol`` with ``--cross``: a cross run trains on one data set and tests
      on the other, so no protocol of folds applies,
    * ``--json -``: the predictions file is written beside the JSON, so it needs a
      file path (standard output has none).
    """
    from aufeat.estimators.feature_sets import FEATURE_SETS

    named = {"--features": f"feature set; choose from {', '.join(FEATURE_SETS)}",
             "--classifiers": "classifier; see aufeat-bench run --help",
             "--labels": "emotion class; leave --labels out to keep every class"}
    for option, value in (("--features", args.features), ("--classifiers", args.classifiers),
                          ("--labels", args.labels)):
        if value == []:  # "," or "": not the default (None)
            return f"{option} names no {named[option]}"
    if args.cross and args.protocol is not None:
        return (f"--protocol {args.protocol} does not apply with --cross: a cross run trains on "
                f"--dataset and tests on --cross {args.cross}; leave --protocol out")
    if args.json is not None and args.json.strip() in ("-", ""):
        return (f"--json needs a file path, got {args.json!r}: the predictions file is written "
                "beside it (the results also go to --out)")
    return None
