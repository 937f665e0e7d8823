"""Writing ``aufeat-bench`` outputs: ranked table, results JSON/CSV, report.md, figures."""

from __future__ import annotations

import contextlib
import io
import re
import stat
from pathlib import Path

import numpy as np

from aufeat._csv_lines import csv_writer

__all__ = ["format_table", "independence", "out_names", "write_outputs"]

_COLUMNS = {
    "emotion": ("accuracy", "balanced_accuracy", "macro_f1", "roc_auc_ovr"),
    "au-occurrence": ("mean_f1", "mean_precision", "mean_recall"),
    "au-intensity": ("mean_icc", "mean_pcc", "mean_ccc", "mean_mae"),
}


def _fmt(value) -> str:
    return "n/a" if value is None or not np.isfinite(value) else f"{value:.3f}"


def _fold_std(result, key):
    values = [f["metrics"].get(key) for f in result.per_fold]
    values = [v for v in values if v is not None and np.isfinite(v)]
    return float(np.std(values)) if len(values) > 1 else float("nan")


def _interval(result, key) -> list:
    """Return the 95% interval of a pooled metric over resampled people, or two NaNs."""
    pair = result.metrics.get("intervals", {}).get(key)
    return [np.nan if v is None else v for v in pair] if pair else [np.nan, np.nan]


def _fmt_interval(result, key) -> str:
    """``low to high``: a hyphen between the bounds misreads a negative one (-0.109-0.009)."""
    low, high = _interval(result, key)
    return "n/a" if not np.isfinite([low, high]).all() else f"{low:.3f} to {high:.3f}"


def independence(result) -> str:
    """How far the protocol keeps people apart: 'subject-independent', unless it cannot know."""
    from aufeat.evaluation.protocols import has_no_person_ids, target_has_no_person_ids

    # decided by evaluate on every row it used (a split's test people may have one photo each)
    if has_no_person_ids(result):  # folder without a subject pattern, FER2013
        return ("no person ids: every image is its own subject, so one person's images may be "
                "on both sides")
    if target_has_no_person_ids(result):  # cross onto such a data set: apart, but by image
        return "subject-independent; the tested data set has no person ids"
    return "subject-independent"


def _no_face(result) -> int:
    """Items scored without a face: the emotion metrics count them, else the folds' coverage."""
    if "no_face" in result.metrics:
        return int(result.metrics["no_face"])
    return round(sum(f["n_test"] * (1 - f["coverage"]) for f in result.per_fold))


def _interval_note(result) -> str:
    resamples = result.metrics.get("intervals", {}).get("n_resamples")
    if not resamples:
        return ""
    from aufeat.evaluation.protocols import intervals_by_image

    unit = ("tested images (no person ids: images of one person are drawn apart)"
            if intervals_by_image(result) else "tested people")
    return (f"`95% CI` is its interval over {resamples:,} resamples of the {unit} "
            "(for the models as trained), `vs 1st` the difference from rank 1 on the same "
            "items with the interval of that paired difference (an interval that excludes 0: "
            "the data tell the two apart); ")


def _versus_first(result, first) -> str:
    """``result``'s headline minus the first's, with the interval of the paired difference."""
    from aufeat.evaluation.intervals import compare_results

    if result is first:
        return "-"
    try:
        d = compare_results(result, first)
    except ValueError:  # no predictions (read from a file) or not the same items
        return "-"
    if d is None or not np.isfinite([d["difference"], *d["interval"]]).all():
        return "-"
    low, high = d["interval"]
    return f"{d['difference']:+.3f} ({low:+.3f} to {high:+.3f})"


def format_table(results, *, markdown: bool = False) -> str:
    """Format a ranked table of results (best first by the task's headline metric).

    ``95% CI`` is the headline metric's interval over resamples of the tested
    people; ``vs 1st`` the difference from the first row on the same items, with
    the 95% interval of that paired difference (where both kept their
    predictions); ``± folds`` the standard deviation of the per-fold values.
    """
    if not results:
        return "(no results)"
    task = results[0].task
    columns = _COLUMNS[task]
    header = ["rank", "features", "classifier", *columns, "95% CI", "vs 1st (95% CI)",
              "± folds", "fit s"]
    rows = []
    for rank, r in enumerate(results, 1):
        rows.append([str(rank), r.features, r.classifier,
                     *(_fmt(r.metrics.get(c)) for c in columns),
                     _fmt_interval(r, columns[0]), _versus_first(r, results[0]),
                     _fmt(_fold_std(r, columns[0])), f"{r.fit_seconds:.1f}"])
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(x) for x in col) for col in zip(header, *rows, strict=False)]
    fmt = "  ".join(f"{{:<{w}}}" if i < 3 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return "\n".join([fmt.format(*header), *(fmt.format(*row) for row in rows)])


def _results_name(task: str, first: bool) -> str:
    return "results.json" if first else f"results-{task}.json"


def out_names(tasks) -> list[str]:
    """Names :func:`write_outputs` may give files in the output folder, but the first JSON."""
    names = ["results.csv", "report.md", "emotion-confusion.png", "emotion-roc.png"]
    for task in tasks:
        later = _results_name(task, first=False)  # with its predictions beside it
        names += [later, f"{Path(later).stem}.predictions.npz", f"{task}-scores.png",
                  f"{task}-per-au.png"]
    return names


def json_outputs(json_path) -> list:
    """Return the files ``--json`` writes outside ``--out``: it, and its predictions file.

    A pipe, a device or a stream (``--json /dev/stdout | jq``, ``/dev/null``) has no
    folder of its own to hold a predictions file (``/dev/stdout.predictions.npz``):
    its predictions go into ``--out`` as ``results.predictions.npz`` instead.
    """
    from aufeat._streams import written_into
    from aufeat.evaluation.results import predictions_path

    if not json_path:
        return []
    return [json_path] if written_into(json_path) else [json_path, predictions_path(json_path)]


def write_outputs(runs, out_dir, *, json_path=None, synthetic: bool = False) -> list[Path]:
    """Write results JSON (one per task), results.csv, report.md and PNG figures.

    ``runs`` is a list of ``(task, results)``; the first task's JSON is
    ``results.json`` (or ``json_path``), the others ``results-TASK.json``, each
    with its ``.predictions.npz`` beside it (:func:`json_outputs`: a ``json_path``
    that is a pipe or a stream has them in ``out_dir``). Returns every file written.
    The files an earlier run left in ``out_dir`` under these names (never other
    files) are removed first, once this run's outputs can be started (its CSV
    text built, ``json_path``'s folder made), and ``report.md`` is written last:
    a rerun that fails while writing (disk full) leaves a folder without
    ``report.md`` that holds this run's files only, never the earlier run's
    results or figures beside them. A ``json_path`` that is a pipe is written after
    the other outputs (but ``report.md``), and its reader stopping early (``| head``,
    ``jq`` ending on an error) costs only that JSON and its predictions; an
    ``out_dir/results.json`` that is empty, a pipe or a link is not removed then, as a
    reader may be saving the stream there (``| tee OUT/results.json`` made it; the stream
    comes last), but an earlier run's is (:func:`_earlier_run`). Another run writing
    into ``out_dir`` meanwhile is waited for (a lock, ``.aufeat-bench.lock``): the
    folder then holds the later run's files, never a mix of the two runs'.
    """
    from ._crop_lock import bench_writing

    out = Path(out_dir)
    streamed = json_path and len(json_outputs(json_path)) == 1  # a pipe: no folder of its own
    out.mkdir(parents=True, exist_ok=True)
    if json_path:
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
    with bench_writing(out):  # another run's writing into OUT is waited for: not mixed
        return _write_all(runs, out, json_path, streamed, synthetic)


def _write_all(runs, out: Path, json_path, streamed: bool, synthetic: bool) -> list[Path]:
    """Write the outputs :func:`write_outputs` describes, OUT's lock held."""
    from aufeat._atomic import atomic_write_text
    from aufeat.estimators.recipes import TASKS
    from aufeat.evaluation import plots
    from aufeat.evaluation.results import predictions_path, write_results_json

    table = _csv_text(runs)  # a name it cannot write fails here, before anything is removed
    for name in ["report.md", "results.json", "results.predictions.npz", *out_names(TASKS)]:
        if not (streamed and name == "results.json" and not _earlier_run(out / name)):
            (out / name).unlink(missing_ok=True)  # the earlier run's, also those not rewritten
    written = []

    def json_of(i, task, results, sidecar=None):
        path = Path(json_path) if (json_path and i == 0) else out / _results_name(task, i == 0)
        files = [write_results_json(path, results, predictions_file=sidecar)]
        if any(r.predictions for r in results):  # written beside it
            files.append(sidecar or predictions_path(path))
        return files

    for i, (task, results) in enumerate(runs):
        if not (streamed and i == 0):  # a pipe's: last, its reader may stop early
            written += json_of(i, task, results)
    atomic_write_text(out / "results.csv", table)
    written.append(out / "results.csv")
    figures = []
    for task, results in runs:
        figures += _figures(plots, task, results, out)
    written += figures
    if streamed:
        with contextlib.suppress(BrokenPipeError):  # the reader went: as for standard output
            written += json_of(0, *runs[0], out / "results.predictions.npz")
    written.append(_write_report(out / "report.md", runs, figures, synthetic))
    return written


def _earlier_run(path: Path) -> bool:
    """Whether ``path`` is a results file an earlier run wrote: a regular file, not empty.

    Not an empty one (``| tee OUT/results.json`` made it as the stream started), a named
    pipe (the stream's own reader) or a link (a reader saving the stream through it).
    """
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size > 0


def _figures(plots, task, results, out: Path) -> list[Path]:
    headline = results[0].headline[0]
    paths = [plots.plot_scores(results, headline, out / f"{task}-scores.png")]
    best = results[0]
    if task == "emotion":
        paths.append(plots.plot_confusion(best, out / "emotion-confusion.png"))
        if best.predictions and best.predictions.get("scores") is not None:
            paths.append(plots.plot_roc(best, out / "emotion-roc.png"))
    else:
        paths.append(plots.plot_per_au(best, out / f"{task}-per-au.png"))
    return paths


def _csv_text(runs) -> str:
    """results.csv's text: one row per configuration and metric.

    The data set (a folder's or manifest's name) and the protocol (a --cross
    spec) are written by :func:`~aufeat._text.printable`: bytes of a Latin-1
    name in hex, as in report.md, where UTF-8 cannot hold them as they are.
    """
    from aufeat._text import printable

    fh = io.StringIO(newline="")
    writer = csv_writer(fh)
    writer.writerow(["dataset", "task", "protocol", "features", "classifier", "metric",
                     "value", "ci_low", "ci_high", "fold_std", "fit_seconds",
                     "extract_seconds", "coverage", "no_face"])
    for task, results in runs:
        for r in results:
            for metric in _COLUMNS[task]:
                value = r.metrics.get(metric)
                low, high = _interval(r, metric)
                writer.writerow([*map(printable, (r.dataset, task, r.protocol, r.features,
                                                  r.classifier)),
                                 metric, "" if value is None else value,
                                 "" if np.isnan(low) else low, "" if np.isnan(high) else high,
                                 _fold_std(r, metric), round(r.fit_seconds, 3),
                                 round(r.extract_seconds, 3), r.coverage, _no_face(r)])
    return fh.getvalue()


def _md(text) -> str:
    r"""``text`` as literal Markdown text: what would start emphasis, code or a link escaped.

    Data set and class names come from the user's file and folder names
    (``manifest:my|faces_*v2*.csv`` rendered with *v2* in italics).

    Examples
    --------
    >>> _md("manifest:my|faces_*v2*.csv")
    'manifest:my\\|faces\\_\\*v2\\*.csv'
    """
    return re.sub(r"([\\`*_\[\]<>|~&#])", r"\\\1", str(text))


def _code(text) -> str:
    """``text`` as a Markdown code span, its fence longer than any run of backticks in it."""
    text = str(text)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def searched(results) -> bool:
    """Whether faces were searched for the task's results (not under ``--no-align``)."""
    return getattr(results, "searched", True)


def face_search(results) -> str:
    """Say in what share of the images a face was found, or that none was searched.

    Under ``--no-align`` every image is used as a face: its ``coverage`` of 1.0 says
    nothing about faces, so the console and report.md say so instead of a percentage.
    """
    if not searched(results):
        return "faces not searched (--no-align): every image is used as a face"
    return f"faces found in {results[0].coverage:.1%}"


#: How each task scores a tested image without a face (docs/results.md, "Every held-out
#: item counts"): an emotion of no class is wrong; no AU present is right for each AU the
#: image does not show.
NO_FACE_SCORED = {
    "emotion": "scored as errors",
    "au-occurrence": "given the no-face prediction: no AU present",
    "au-intensity": "given the no-face prediction: intensity 0 for every AU",
}


def face_note(task: str, results) -> str:
    """Say in what share of the task's tested images a face was found, and how the rest count.

    ``faces found in 94.7% (1 without a face, scored as errors)``: over the images the
    task tests (those with its labels), which may be fewer than the data set's.
    """
    if not searched(results):
        return face_search(results)
    return (f"{face_search(results)} ({_no_face(results[0])} without a face, "
            f"{NO_FACE_SCORED.get(task, 'scored as errors')})")


def _majority_floor(metrics) -> str:
    """Say what always answering the most frequent emotion of the evaluated items scores."""
    support = {label: c["support"] for label, c in metrics["per_class"].items()}
    top = max(support, key=support.get)
    share = support[top] / max(sum(support.values()), 1)
    present = sum(1 for n in support.values() if n)  # per_class also lists predicted-only labels
    return (f"The most frequent emotion, {_md(top)}, is {share:.1%} of the items: always "
            f"answering it scores accuracy {share:.3f} (balanced accuracy "
            f"{1 / max(present, 1):.3f}), the floor to read the accuracies against.")


def _counts(result) -> str:
    """Return the items and people of a run; across data sets, how many items were tested.

    Under ``cross`` the counts are of both data sets (docs/results.md), which read
    alone looked like the test data's.
    """
    counts = f"{result.n_samples} samples, {result.n_subjects} subjects"
    if not result.protocol.startswith("cross:") or not result.per_fold:
        return counts
    tested = sum(fold.get("n_test", 0) for fold in result.per_fold)
    return (f"{result.n_samples} samples of both data sets ({tested} of them tested), "
            f"{result.n_subjects} subjects")


def _write_report(path: Path, runs, figures, synthetic: bool) -> Path:
    first = runs[0][1][0]
    lines = [f"# aufeat-bench: {_md(first.dataset)}", ""]
    if synthetic:
        lines += ["> **SYNTHETIC DATA.** These faces are one real photograph warped with "
                  "AU templates; they are easier than real faces. Use the numbers to check "
                  "the pipeline, not to compare with published results.", ""]
    for task, results in runs:
        r0 = results[0]
        lines += [f"## {task}", "",
                  f"Protocol {_code(r0.protocol)} ({independence(r0)}), {_counts(r0)}; "
                  f"{face_note(task, results)}. Ranked by "
                  f"`{r0.headline[0]}` pooled over test folds; {_interval_note(r0)}`± folds` "
                  "is the standard deviation over folds.", "",
                  format_table(results, markdown=True), ""]
        if task == "emotion":
            lines += [_majority_floor(r0.metrics), ""]
        lines += [line for note in getattr(results, "notes", ()) for line in (note, "")]
        warned = sorted({w for r in results for w in r.warnings})
        if warned:  # each: one may say that people share images, beside the protocol's
            lines += [f"Warnings of this task's run ({len(warned)}; results.json keeps each "
                      "result's):", "", *(f"- {_code(w)}" for w in warned), ""]
        for fig in figures:
            if fig.name.startswith(task):
                lines += [f"![{fig.stem}]({fig.name})", ""]
    from aufeat._atomic import atomic_write_text
    from aufeat._text import printable

    # a label from a folder name that is not UTF-8 is written with its bytes in hex
    atomic_write_text(path, printable("\n".join(lines)))
    return path
