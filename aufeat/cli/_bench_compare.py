"""``aufeat-bench compare A.json B.json``: two results files side by side.

Rows are matched by (features, classifier). Where both files keep their pooled
predictions (``NAME.predictions.npz`` beside the JSON, written by ``aufeat-bench
run``) and tested the same items of one data set under one protocol, pooled in the
same order, each row also gets the 95% interval of B - A over the tested people
(images, where they have no person ids), both models scored on the same resamples
(:func:`aufeat.evaluation.intervals.compare_results`):
an interval that excludes 0 means the data tell A and B apart. Rows whose headline
numbers average other classes (emotion: the true classes, ``per_class`` entries
with support; a class only predicted changes ``labels``, not what accuracy counts)
or AUs (``headline_aus``; intensity: ``per_au``'s with an ICC) are not one
quantity: their B-A is left blank, with a note naming both. Files of other data
sets or protocols keep B-A but get no interval, with one note saying so (two ``cross:``
runs are paired by their items, whatever path their target was typed with). A row that
cannot be paired (one file kept no predictions for it, it tested other people or
labels, or the same people and labels in another order: other folds or seeds, and the
files keep no item index to realign them) has no interval, with a note naming it and
why; the other rows keep theirs.
"""

from __future__ import annotations

import numbers
import os
import re
import stat
import sys

__all__ = ["compare_files"]


def compare_files(path_a, path_b) -> int:
    """Print two results files side by side; return the exit status (2: unreadable file)."""
    from aufeat.evaluation.protocols import intervals_by_image
    from aufeat.evaluation.results import HEADLINE_METRIC

    try:
        (a, why_a), (b, why_b) = _load(path_a), _load(path_b)
    except (OSError, ValueError) as err:
        if isinstance(err, FileNotFoundError) and err.filename in map(os.fspath, (path_a, path_b)):
            err = (f"{err.filename} does not exist; compare two results files 'aufeat-bench "
                   "run' wrote (results.json in its --out folder, or its --json FILE)")
        print(f"aufeat-bench: error: {err}", file=sys.stderr)
        return 2
    if not a or not b:
        print(f"aufeat-bench: error: {path_a if not a else path_b} holds no results",
              file=sys.stderr)
        return 2
    problem = _mismatch(path_a, a, path_b, b)
    if problem:
        print(f"aufeat-bench: error: {problem}", file=sys.stderr)
        return 2
    metric = HEADLINE_METRIC.get(a[0].task, "accuracy")
    rows_a, rows_b = _rows(a), _rows(b)
    reasons = [why for why in (_other_setup(a[0], b[0]), why_a, why_b) if why]  # no row paired
    unpaired = {}  # why -> the rows it leaves without an interval
    print(f"{metric}: A = {a[0].dataset}, {a[0].n_samples} items ({a[0].protocol}), "
          f"B = {b[0].dataset}, {b[0].n_samples} items ({b[0].protocol})")
    configs = sorted(set(rows_a) | set(rows_b))
    wide = max(14, *(len(features) for features, _ in configs))  # columns stay aligned
    print(f"{'features':<{wide}} {'classifier':<18} {'A':>7} {'B':>7} {'B-A':>7}  "
          "B-A 95% CI (paired)")
    draws = set()  # (people or images, resamples, which, why) of the paired intervals
    apart = {}  # (A's, B's classes or AUs): rows whose headline is not one quantity
    for config in configs:
        ra, rb = rows_a.get(config), rows_b.get(config)
        va = None if ra is None else _number(ra.metrics.get(metric))
        vb = None if rb is None else _number(rb.metrics.get(metric))
        defined = ra is None or rb is None or _same_definition(ra, rb)
        if not defined:
            key = (_averaged_over(ra), _averaged_over(rb))
            apart[key] = apart.get(key, 0) + 1
        diff = f"{vb - va:+.3f}" if va is not None and vb is not None and defined else "-"
        interval = "-"
        if ra is not None and rb is not None and defined and not reasons:
            paired, why = _paired(rb, ra)
            if why:  # this row only (no predictions kept for it, other items)
                unpaired.setdefault(why, []).append(f"{config[0]}/{config[1]}")
            elif paired is not None:
                interval = _interval(paired["interval"])
                unit = ("images", " (no person ids)") if any(
                    map(intervals_by_image, (ra, rb))) else ("people", "")
                draws.add((paired["n_subjects"], paired["n_resamples"], *unit))
        print(f"{config[0]:<{wide}} {config[1]:<18} {_value(va):>7} {_value(vb):>7} {diff:>7}  "
              f"{interval}")
    for tested, resamples, unit, why in sorted(draws):
        print(f"B-A 95% CI: {tested} {unit} tested in both{why}, resampled {resamples:,} "
              "times; A and B scored on the same draws")
    for (over_a, over_b), rows in apart.items():
        print(_apart_note(a[0].task, metric, over_a, over_b, rows))
    for why in dict.fromkeys(reasons):
        print(f"no paired interval: {why}")
    for why, rows in unpaired.items():
        print(f"no paired interval for {', '.join(rows)}: {why}")
    return 0


def _other_setup(a, b):
    """Why A's and B's items are not one test (other data set or protocol), or None."""
    cross = a.protocol.startswith("cross:") and b.protocol.startswith("cross:")  # the target's
    # path as typed (./t.csv, /abs/t.csv, another machine's): its items decide (compare_results)
    # one name, other sizes: synthetic:6x10 and 4x6, two folders' faces.csv, other --labels
    sizes = a.dataset == b.dataset and a.n_samples != b.n_samples
    what = [name for name, differ in (("data sets", a.dataset != b.dataset),
                                      ("sets of items", sizes),
                                      ("protocols", not cross and a.protocol != b.protocol))
            if differ]
    if not what:
        return None
    name_a, name_b = ((f"{r.dataset} ({r.n_samples} items)" if sizes else r.dataset)
                      for r in (a, b))
    return (f"A is {name_a} under {a.protocol} and B {name_b} under {b.protocol}: B-A "
            f"compares two {' and two '.join(what)}, not two models on one "
            f"test; evaluate both on the same data set with the same protocol to pair them")


def _averaged_over(result):
    """Return the classes or AUs a result's headline metric is over (None: not recorded).

    Emotion: the true classes, ``per_class``'s with a ``support`` (else
    ``metrics["labels"]``): accuracy counts the items, whatever the models predict;
    AU occurrence: ``headline_aus``; AU intensity: the AUs of ``per_au`` with an ICC
    (one whose labels never vary has none, and ``mean_icc`` leaves it out).
    """
    metrics = result.metrics
    if result.task == "emotion":
        names = _true_classes(metrics.get("per_class"))
        if names is None:
            names = metrics.get("labels", metrics.get("per_class"))
    elif result.task == "au-occurrence":
        names = metrics.get("headline_aus")
    else:  # the AUs whose ICC is defined: those mean_icc averages (n_aus counts them)
        per_au = metrics.get("per_au")
        names = [name for name, m in per_au.items() if isinstance(m, dict) and
                 _number(m.get("icc")) is not None] if isinstance(per_au, dict) else None
    return tuple(str(name) for name in names) if isinstance(names, (list, dict)) else None


def _true_classes(per_class):
    """Return the classes of ``per_class`` with true items (None: support not recorded)."""
    if not isinstance(per_class, dict) or not all(
            isinstance(m, dict) and _number(m.get("support")) is not None
            for m in per_class.values()):
        return None
    return [name for name, m in per_class.items() if m["support"] > 0]


def _same_definition(result_a, result_b) -> bool:
    """Whether two results' headline numbers average the same classes or AUs (unknown: yes)."""
    over_a, over_b = _averaged_over(result_a), _averaged_over(result_b)
    return over_a is None or over_b is None or set(over_a) == set(over_b)


def _apart_note(task, metric, over_a, over_b, rows) -> str:
    """Say that the headline numbers of ``rows`` rows of A and B are not one quantity."""
    a, b = ", ".join(over_a), ", ".join(over_b)
    what = (f"is over the classes {a} and of B over {b}" if task == "emotion"
            else f"averages {a} and of B {b}")
    return (f"{metric} of A {what}: not one quantity, so B-A is left blank "
            f"({rows} row{'s' if rows != 1 else ''})")


def _rows(results) -> dict:
    """Key each result by (features, classifier), an intensity result by the regressor it fits.

    Results files of earlier versions name an AU-intensity row by the classifier asked
    for (``linear-svm``); newer ones by the regressor fitted (``linear-svr``,
    :func:`aufeat.evaluation.runner.model_name`): an old row takes its regressor's name
    unless the file also holds a row of that name, so that the two versions pair up.
    """
    from aufeat.evaluation.runner import model_name

    names = {(r.features, r.classifier) for r in results}
    rows = {}
    for r in results:
        key = (r.features, model_name(r.task, r.classifier))
        rows[key if key == (r.features, r.classifier) or key not in names
             else (r.features, r.classifier)] = r
    return rows


def _mismatch(path_a, a, path_b, b):
    """Why the two files' rows cannot be put side by side, or None."""
    if a[0].task != b[0].task:
        return (f"{path_a} holds {a[0].task} results and {path_b} {b[0].task} results; "
                "compare results of one task")
    for path, results in ((path_a, a), (path_b, b)):
        names = [(r.features, r.classifier) for r in results]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            return (f"{path} holds {names.count(twice[0])} results named "
                    f"features={twice[0][0]!r}, classifier={twice[0][1]!r}, so its rows cannot "
                    "be matched; give each configuration its own name (evaluate's "
                    "features_name=, or the result's classifier) before comparing")
    return None


def _load(path):
    """``(results, reason)``: the file's results, and why they carry no predictions (or None)."""
    from aufeat.evaluation.results import read_results

    if _a_pipe(path):
        results, why = _read_once(path)
    else:
        read = _stream_file(path)
        try:
            results, why = read_results(read), None
        except ValueError as err:  # a missing or foreign predictions file, or no results file
            results, why = read_results(read, predictions=False), str(err)
    if why is None and not any(r.predictions for r in results):
        why = (f"{path} keeps no predictions (written by an older aufeat or not by "
               "aufeat-bench run); run the configuration again to get them")
    return results, why


def _a_pipe(path) -> bool:
    """Whether ``path`` gives its bytes once only: ``<(cat A.json)``, ``/dev/stdin`` of a pipe."""
    try:
        mode = os.stat(path).st_mode
    except OSError:  # missing: read_results says so
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


#: the links a shell's redirection makes: /dev/stdin, /dev/fd/N, /proc/self/fd/N
_STREAM_LINK = re.compile(r"/dev/(stdin|fd/\d+)|/proc/(self|thread-self|\d+)/fd/\d+")


def _stream_file(path):
    """Return the file a stream link (``/dev/stdin``, ``/dev/fd/N``, ...) leads to, or ``path``.

    The shell's ``< A.json`` makes ``/dev/stdin`` a link to ``A.json`` itself: read by
    its real path, its predictions file is found beside it (beside ``/dev/stdin``
    there is none). Any other path, and a link whose file is gone, is read as given.
    """
    if not _STREAM_LINK.fullmatch(os.path.abspath(path)):  # a user's link in /dev/shm: as
        return path  # given, as outside /dev
    real = os.path.realpath(path)
    try:
        same = os.path.samestat(os.stat(path), os.stat(real))
    except OSError:  # a deleted file's link: "/tmp/A.json (deleted)"
        return path
    return real if same and stat.S_ISREG(os.stat(real).st_mode) else path


def _read_once(path):
    """``(results, reason)`` of a pipe, whose bytes are read once (a second read gets none).

    The predictions file its JSON names is looked for beside ``path``, as for a file;
    beside ``/dev/fd/63`` there is none, and the reason says so.
    """
    import tempfile
    from pathlib import Path

    from aufeat.evaluation._results_read import MAX_RESULTS_BYTES
    from aufeat.evaluation.results import (
        _paired_predictions,
        _read_predictions,
        predictions_from_arrays,
        read_results,
        read_results_json,
    )

    with open(path, "rb") as stream:  # bounded: a link to /dev/zero never ends
        data = stream.read(MAX_RESULTS_BYTES + 1)
    if len(data) > MAX_RESULTS_BYTES:
        raise ValueError(f"{path} is not an aufeat results file: it gives more than the "
                         f"{MAX_RESULTS_BYTES:,} bytes such a file may hold")
    with tempfile.TemporaryDirectory() as folder:  # read_results reads a path
        copy = Path(folder) / "results.json"
        copy.write_bytes(data)
        try:
            document, results = read_results_json(copy), read_results(copy, predictions=False)
        except ValueError as err:  # named as given
            raise ValueError(str(err).replace(str(copy), str(path))) from None
    try:
        kept = _read_predictions(Path(path), document)
        paired = _paired_predictions(Path(path), document["results"], kept)
    except ValueError:  # beside /dev/fd/63 there is none: "keep the two files together" misleads
        named = (document.get("predictions") or {}).get("file", "?")
        return results, (f"{path} is read through a pipe, and its predictions file {named} "
                         "cannot be read beside it; give the results file by its path, its "
                         "predictions file beside it, for the paired interval")
    for result, arrays in zip(results, paired, strict=True):
        result.predictions = predictions_from_arrays(arrays)
    return results, None


def _paired(result_b, result_a):
    from aufeat.evaluation.intervals import compare_results

    try:
        return compare_results(result_b, result_a), None
    except ValueError as err:
        return None, str(err)


def _number(value):
    """Return the metric, or None where it is missing, undefined (null: NaN) or no number.

    None too for an integer beyond a float's range (JSON allows ``1`` and 400 zeros).
    """
    from aufeat.evaluation._json_kinds import fits_float

    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not fits_float(value):
        return None
    return None if value != value else value


def _value(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def _interval(pair) -> str:
    low, high = pair
    if low is None or high is None or low != low or high != high:
        return "-"
    return f"{low:+.3f} to {high:+.3f}"

