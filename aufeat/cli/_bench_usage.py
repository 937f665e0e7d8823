"""Usage checks of ``aufeat-bench run`` made before anything is loaded: one line each."""

from __future__ import annotations

__all__ = ["DEFAULT_PROTOCOL", "NEXT_STEPS", "next_steps", "usage_problem"]

#: ``--protocol`` without ``--cross`` when none is given.
DEFAULT_PROTOCOL = "group-kfold:5"

#: What to run after the first look (``aufeat-bench`` with no command, synthetic faces
#: ``synthetic:12x20``, and no option that decides which faces are measured).
NEXT_STEPS = """
Next:
  aufeat-bench run --dataset synthetic:12x20 --task au-occurrence --full
      every feature set x classifier, on the same 240 faces
  aufeat-bench run --dataset synthetic
      600 synthetic faces instead of 240
  aufeat-bench run --dataset manifest:FILE.csv
      your faces (a CSV: path, subject, labels)"""


def next_steps(args, first_look: str, tasks) -> str:
    """Return the hints a run with no command ends with: for the user's own data if named.

    ``first_look``: the data set such a run uses when ``--dataset`` is left out;
    ``tasks``: the tasks the run measured (those the data set has labels for).
    Every option that decides which faces are measured is repeated: the data sets,
    labels, protocol, ``--crops`` / ``--cross-crops``, ``--detector``, ``--no-align``,
    ``--seed`` (a ``synthetic:`` SPEC draws its faces with it) and ``--cache`` (the
    features stored there are reused). The first look's generic :data:`NEXT_STEPS`
    only where it was run with none of them.
    """
    import shlex

    from aufeat.estimators.feature_sets import DETECTOR

    flags = " ".join(flag for flag, given in (("--crops", args.crops),
                                              ("--cross-crops", args.cross_crops),
                                              ("--no-align", not args.align)) if given)

    def options(task: str) -> dict:
        return {"--dataset": args.dataset, "--cross": args.cross,
                "--label-map": args.label_map,  # --labels: emotion classes only
                "--labels": ",".join(args.labels or []) if task == "emotion" else None,
                "--protocol": None if args.cross or args.protocol in (None, DEFAULT_PROTOCOL)
                else args.protocol,
                "--detector": None if args.detector == DETECTOR else args.detector,
                "--seed": args.seed or None, "--cache": args.cache}

    def command(task: str) -> str:
        return "aufeat-bench run " + " ".join(
            f"{option} {shlex.quote(str(value))}" for option, value in options(task).items()
            if value) + (f" {flags}" if flags else "") + f" --task {task} --full"

    if args.dataset == first_look and not flags and not any(
            value for option, value in options("emotion").items() if option != "--dataset"):
        return NEXT_STEPS
    return "\nNext (on the same faces; every feature set x classifier):\n" + "\n".join(
        f"  {command(task)}" for task in tasks)


def usage_problem(args) -> str | None:
    """Return why the options of ``args`` are refused, or None.

    * a list option that names nothing (``--classifiers ,`` would run the full grid),
    * ``--protocol`` with ``--cross``: a cross run trains on one data set and tests
      on the other, so no protocol of folds applies,
    * ``--json -``: ``-`` would be a file of that name; standard output is
      ``--json /dev/stdout`` (its predictions then go into ``--out``),
    * an empty ``--cross``, ``--protocol``, ``--out`` or ``--cache`` (a script's unset
      variable): it would run within ``--dataset``, with the default protocol, into
      the current folder or the default cache, where another was meant,
    * ``--cross-crops`` without ``--cross`` (for the ``--dataset`` images: ``--crops``),
    * ``--detector`` (other than the default), ``--crops`` or ``--cross-crops`` with
      ``--no-align``: no face is searched then, so they would be ignored.
    """
    from aufeat.estimators.feature_sets import DETECTOR, FEATURE_SETS

    named = {"--features": f"feature set; choose from {', '.join(FEATURE_SETS)}",
             "--classifiers": "classifier; see aufeat-bench run --help",
             "--labels": "emotion class; leave --labels out to keep every class"}
    for option, value in (("--features", args.features), ("--classifiers", args.classifiers),
                          ("--labels", args.labels)):
        if value == []:  # "," or "": not the default (None)
            return f"{option} names no {named[option]}"
    for option, value in (("--cross", args.cross), ("--protocol", args.protocol),
                          ("--out", args.out), ("--cache", args.cache)):
        if value is not None and not str(value).strip():  # "$UNSET": not the default
            return (f"{option} names nothing (got {value!r}); give a value, or leave "
                    f"{option} out for its default")
    if args.cross_crops and args.cross is None:
        return ("--cross-crops declares the --cross images face crops, and no --cross is "
                "given; for the --dataset images use --crops")
    unused = [option for option, given in (("--detector", args.detector != DETECTOR),
                                           ("--crops", args.crops),
                                           ("--cross-crops", args.cross_crops)) if given]
    if not args.align and unused:
        return (f"--no-align searches no face (every image is used as a face), so "
                f"{' and '.join(unused)} would not apply; leave out --no-align or "
                f"{' and '.join(unused)}")
    if args.cross and args.protocol is not None:
        return (f"--protocol {args.protocol} does not apply with --cross: a cross run trains on "
                f"--dataset and tests on --cross {args.cross}; leave --protocol out")
    if args.json is not None and args.json.strip() in ("-", ""):
        return (f"--json needs a file path, got {args.json!r}: for standard output give "
                "--json /dev/stdout (its predictions file then goes into --out)")
    return None
