"""Figures for comparisons: score bars with fold spread, confusion matrix, per-AU bars, ROC.

Every function draws on its own :class:`matplotlib.figure.Figure` (matplotlib's
object-oriented API, without pyplot: no display is needed and the user's backend
is left as it is), writes one PNG and returns its path.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .._text import printable
from ._plot_text import _label, _wrapped, _wrapped_label

__all__ = ["confusion_rates", "plot_confusion", "plot_per_au", "plot_roc", "plot_scores"]


def _one(result, function: str) -> None:
    from ._result_list import one_result
    from .results import EvaluationResult

    one_result(result, EvaluationResult, function)


def _figure(width, height):
    """Make a figure of its own (outside pyplot's figure manager) and its axes."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    return fig, fig.subplots()


def _save(fig, path) -> Path:
    from aufeat._atomic import atomic_write

    path = Path(path)
    # twice: the first pass moves the axes, and rotated or wrapped tick labels with them
    # (a confusion matrix's long class names), which the second pass makes room for
    fig.tight_layout()
    fig.tight_layout()
    # atomically: an existing figure is replaced whole or not at all
    atomic_write(path, lambda f: fig.savefig(f, format=path.suffix[1:] or "png", dpi=120),
                 fsync=False)
    return path


def _fold_values(result, metric):
    return [f["metrics"].get(metric, np.nan) for f in result.per_fold]


def plot_scores(results, metric: str, path, *, title: str | None = None) -> Path:
    """Horizontal bars of ``metric`` per configuration, with the spread over folds.

    Bars show the pooled metric; whiskers the standard deviation of the
    per-fold values (none with a single fold, nor for ROC-AUC, which the
    per-fold metrics do not hold: the axis label mentions whiskers only where
    some are drawn). Names and ``title`` are drawn as written (a ``$`` is no
    mathtext). Sorted best first (lowest first
    for errors such as ``mean_mae``); the axis reaches below 0 for negative
    scores (an ICC can be). The synthetic
    data set is labelled as such in the title. A result without a value of
    ``metric`` (``roc_auc_ovr`` of a model without scores, an undefined NaN) is
    marked ``n/a`` at the axis, not left as an empty bar (which would read as 0);
    a ``metric`` that no result holds (a typo) is refused with a ``ValueError``.

    Examples
    --------
    >>> import tempfile, aufeat
    >>> data = aufeat.make_synthetic_faces(n_subjects=3, n_per_subject=7, size=48)
    >>> X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))
    >>> results = [aufeat.evaluate(data, X, model=m, protocol="loso") for m in ("logreg", "nb")]
    >>> plot_scores(results, "accuracy", tempfile.mkdtemp() + "/scores.png").name
    'scores.png'
    """
    from ._result_list import result_list
    from .results import EvaluationResult

    results = result_list(results, EvaluationResult, "plot_scores([result], metric, path)",
                          "plot")
    known = sorted({name for r in results for name, value in r.metrics.items()
                    if not isinstance(value, (dict, list))})  # scalars, not per_au or labels
    if results and metric not in known:
        raise ValueError(f"no result holds a metric {metric!r}; choose one of "
                         f"{', '.join(known)}")
    sign = 1.0 if metric.endswith(("mae", "mse")) else -1.0  # errors: the lowest is best
    ordered = sorted(results, key=lambda r: np.nan_to_num(sign * r.metrics.get(metric, np.nan),
                                                          nan=np.inf))
    names = [_label(f"{r.features} + {r.classifier}") for r in ordered]
    values = np.array([r.metrics.get(metric, np.nan) for r in ordered], dtype=float)
    folds = [np.asarray(_fold_values(r, metric), dtype=float) for r in ordered]
    # nan: none drawn (a single fold, --cross or split, has no spread: no zero-width caps)
    spreads = np.array([np.nanstd(v) if np.isfinite(v).sum() > 1 else np.nan for v in folds])
    # the per-fold metrics hold no ROC-AUC (and a single fold has no spread): say whiskers
    # only where at least one bar has two per-fold values to spread
    spread = any(np.isfinite(v).sum() > 1 for v in folds)
    fig, ax = _figure(7, 0.35 * len(names) + 1.5)
    y = np.arange(len(names))[::-1]
    ax.barh(y, values, xerr=spreads, color="#4c72b0", ecolor="#333333", capsize=3)
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlabel(f"{metric} (bars: pooled over folds; whiskers: fold std)" if spread
                  else f"{metric} (bars: pooled over folds)")
    shown = np.isfinite(values)  # negative ICCs and errors above 1 stay in view
    reach = np.nan_to_num(spreads)  # a bar without whiskers reaches its value
    low = min(0.0, float(np.min(values[shown] - reach[shown]))) if shown.any() else 0.0
    high = max(1.0, float(np.max(values[shown] + reach[shown]))) if shown.any() else 1.0
    ax.set_xlim(low, high)
    ax.set_ylim(-0.6, len(names) - 0.4)  # every row, with or without a bar, inside the axes
    for i in np.flatnonzero(~shown):  # no value: marked, not an empty bar that reads as 0
        ax.text(low, y[i], " n/a", va="center", fontsize=7)
    first = ordered[0] if ordered else None
    text = title or (f"{first.dataset} · {first.task} · {first.protocol}" if first else "")
    ax.set_title(_wrapped_label(text, 7, ax.title.get_fontsize()))
    return _save(fig, path)


def confusion_rates(result):
    """Return ``(rates, columns)``: each true class's items split by what was predicted.

    Rows follow ``result.metrics["labels"]`` and are divided by the class's full
    support, items without a face included, so the diagonal is the class's recall
    as ``per_class`` reports it. Where some items had no face, a last column
    ``"no face"`` holds their share and every row sums to 1 (named ``"(no face
    found)"`` where a class is called ``"no face"``, so that no two columns share a name).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> result = SimpleNamespace(metrics={
    ...     "labels": ["a", "b"], "confusion_matrix": [[3, 0], [1, 2]],
    ...     "per_class": {"a": {"support": 4}, "b": {"support": 3}}})
    >>> rates, columns = confusion_rates(result)
    >>> columns, rates[0].tolist()
    (['a', 'b', 'no face'], [0.75, 0.0, 0.25])
    """
    matrix = np.asarray(result.metrics["confusion_matrix"], dtype=float)
    labels = list(result.metrics["labels"])
    per_class = result.metrics.get("per_class", {})
    found = matrix.sum(axis=1)
    support = np.array([per_class.get(label, {}).get("support", n)
                        for label, n in zip(labels, found, strict=True)], dtype=float)
    support = np.maximum(support, found)  # never below the items in the matrix
    no_face = support - found
    columns = labels
    if no_face.any():
        extra = "no face"
        while extra in labels:  # a class of that name (a folder, a --label-map target)
            extra = f"({extra} found)" if extra == "no face" else f"({extra})"
        matrix, columns = np.column_stack([matrix, no_face]), [*labels, extra]
    return matrix / np.maximum(support, 1)[:, None], columns


def plot_confusion(result, path) -> Path:
    """Confusion matrix of an emotion result, each row a share of the true class's items.

    An AU result is refused with a ``ValueError`` (:func:`plot_per_au` draws it).

    Rows are :func:`confusion_rates`: divided by the class's full support, so
    the diagonal is each class's recall; items without a face are in a last
    ``no face`` column (where there are any), counted as errors as in the metrics.

    Examples
    --------
    >>> import tempfile, aufeat
    >>> data = aufeat.make_synthetic_faces(n_subjects=3, n_per_subject=7, size=48)
    >>> X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))
    >>> result = aufeat.evaluate(data, X, model="logreg", protocol="loso")
    >>> plot_confusion(result, tempfile.mkdtemp() + "/confusion.png").name
    'confusion.png'
    """
    _one(result, "plot_confusion")
    if result.task != "emotion":
        raise ValueError(f"plot_confusion draws the confusion matrix of emotion results; this "
                         f"is an {result.task} result (plot_per_au draws its per-AU scores)")
    rates, columns = confusion_rates(result)
    labels = result.metrics["labels"]
    # long names (a folder's, a --label-map target) are wrapped, and the figure grows
    # by their longest line: one long name never pushes the others off the PNG
    rows, cols = ([_wrapped(printable(n), 1.6, 8) for n in names] for names in (labels, columns))
    longest = [max((len(line) for n in names for line in n.split("\n")), default=0)
               for names in (rows, cols)]
    lines = max((n.count("\n") + 1 for n in cols), default=1)
    width = 1.0 + 0.6 * len(columns) + 0.07 * longest[0] + 0.05 * longest[1]
    fig, ax = _figure(width, 0.8 + 0.6 * len(labels) + 0.05 * longest[1] + 0.15 * lines)
    image = ax.imshow(rates, cmap="Blues", vmin=0, vmax=1)
    fig.colorbar(image, ax=ax)
    for (i, j), value in np.ndenumerate(rates):
        ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7,
                color="white" if value > 0.5 else "black")
    ax.set_xticks(range(len(columns)), [_label(c) for c in cols], rotation=45, ha="right",
                  fontsize=8)
    ax.set_yticks(range(len(labels)), [_label(label) for label in rows], fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    title = f"{result.features} + {result.classifier}\n{result.dataset}, {result.protocol}"
    ax.set_title(_wrapped_label(title, width, 9), fontsize=9)
    return _save(fig, path)


def plot_per_au(result, path, *, metric: str | None = None) -> Path:
    """Bars of a per-AU metric (F1 for occurrence, ICC for intensity).

    The axis spans 0 to 1 and reaches further for what lies beyond: a negative
    ICC, an error (``metric="mae"``) above 1, a whisker of an interval.

    An AU whose metric is undefined (F1 of an AU without a positive) is marked
    ``n/a`` at the axis, not drawn as a 0 bar (which would read as a total miss).
    An emotion result, or a ``metric`` its ``per_au`` does not hold, is refused
    with a ``ValueError``.

    Examples
    --------
    >>> import tempfile, aufeat
    >>> data = aufeat.make_synthetic_faces(n_subjects=3, n_per_subject=7, size=48)
    >>> X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))
    >>> result = aufeat.evaluate(data, X, model="ridge", task="au-intensity", protocol="loso")
    >>> plot_per_au(result, tempfile.mkdtemp() + "/icc.png").name
    'icc.png'
    """
    _one(result, "plot_per_au")
    if result.task not in ("au-occurrence", "au-intensity"):
        raise ValueError(f"plot_per_au draws per-AU scores of AU results; this is an "
                         f"{result.task} result (plot_confusion draws its confusion matrix)")
    metric = metric or ("f1" if result.task == "au-occurrence" else "icc")
    per_au = result.metrics["per_au"]
    names = list(per_au)
    known = sorted({key for scores in per_au.values() for key in scores})
    if names and metric not in known:
        raise ValueError(f"per_au of this {result.task} result has no {metric!r}; "
                         f"choose one of {', '.join(known)}")
    values = np.array([per_au[name].get(metric, np.nan) for name in names], dtype=float)
    whiskers = _interval_whiskers(result, names, metric, values)
    below, above = (0.0, 0.0) if whiskers is None else whiskers
    width = max(1.0 + 0.45 * len(names), _MIN_PER_AU_WIDTH)  # room for the title
    fig, ax = _figure(width, 3.2)
    ax.bar(range(len(names)), np.nan_to_num(values, nan=0.0), color="#55a868",
           yerr=whiskers, ecolor="#333333", capsize=2)
    for i in np.flatnonzero(np.isnan(values)):
        ax.text(i, 0.02, "n/a", ha="center", va="bottom", rotation=90, fontsize=7)
    ax.set_xticks(range(len(names)), [_label(n) for n in names], rotation=45, fontsize=8)
    ax.set_ylabel(metric if whiskers is None
                  else f"{metric} (whiskers: {_interval_caption(result)})")
    shown = np.isfinite(values)  # negative ICCs, errors above 1 and their whiskers stay in view
    lowest = min(0.0, float(np.min((values - below)[shown]))) if shown.any() else 0.0
    highest = max(1.0, float(np.max((values + above)[shown]))) if shown.any() else 1.0
    pad = 0.02 * (highest - lowest)  # whisker ends off the axis lines, as at 0 and 1.02
    ax.set_ylim(lowest - pad if lowest < 0 else 0.0, max(1.02, highest + pad))
    title = (f"per-AU {metric}: {result.features} + {result.classifier} "
             f"({result.dataset}, {result.protocol})")
    ax.set_title(_wrapped_label(title, width, 9), fontsize=9)
    return _save(fig, path)


def _interval_caption(result) -> str:
    """``95% CI over people``: the intervals' confidence, and what they resampled.

    Images where the tested items have no person ids (each image its own subject),
    as reports say (:func:`~aufeat.evaluation.protocols.intervals_by_image`).
    """
    from .protocols import intervals_by_image

    confidence = result.metrics["intervals"].get("confidence", 0.95)
    unit = "images (no person ids)" if intervals_by_image(result) else "people"
    return f"{100 * confidence:g}% CI over {unit}"


def _interval_whiskers(result, names, metric, values):
    """Asymmetric error bars from the per-AU intervals of ``metric``, or None without any.

    Intervals exist for F1 (occurrence) and ICC, PCC, CCC, MAE (intensity), not
    for precision, recall, ROC-AUC or support: None then, and no whiskers are
    promised.
    """
    per_au = result.metrics.get("intervals", {}).get("per_au")
    if not per_au:
        return None
    pairs = np.array([per_au.get(name, {}).get(metric) or [np.nan, np.nan] for name in names],
                     dtype=float)
    if not np.isfinite(pairs).any():
        return None
    below, above = values - pairs[:, 0], pairs[:, 1] - values
    return np.nan_to_num(np.vstack([below, above]), nan=0.0).clip(min=0.0)


#: Narrowest per-AU figure (inches): room for its title at fontsize 9.
_MIN_PER_AU_WIDTH = 4.0


def plot_roc(result, path) -> Path:
    """One-vs-rest ROC curves of an emotion result kept with ``keep_predictions``.

    One curve per true class, as ``metrics['roc_auc_ovr']`` averages them: a class
    without a score column (the model never saw it, e.g. a class only the test
    split holds) is the chance diagonal, AUC 0.5.

    Examples
    --------
    >>> import tempfile, aufeat
    >>> data = aufeat.make_synthetic_faces(n_subjects=3, n_per_subject=7, size=48)
    >>> X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))
    >>> result = aufeat.evaluate(data, X, model="logreg", protocol="loso",
    ...                          keep_predictions=True)
    >>> plot_roc(result, tempfile.mkdtemp() + "/roc.png").name
    'roc.png'
    """
    return _save(_roc_figure(result), path)


def _roc_figure(result):
    """Draw :func:`plot_roc`'s figure; it checks ``result`` first."""
    _one(result, "plot_roc")
    from sklearn.metrics import RocCurveDisplay

    predictions = result.predictions or {}
    scores = predictions.get("scores")
    if result.task != "emotion":
        where = ("its per-AU ROC-AUC is in result.metrics['per_au']"
                 if result.task == "au-occurrence" else "plot_per_au draws its per-AU scores")
        raise ValueError(f"plot_roc draws one-vs-rest curves of emotion results; this is an "
                         f"{result.task} result ({where})")
    if scores is None:
        raise ValueError("this result has no class scores; evaluate with keep_predictions=True "
                         "and a model with predict_proba or decision_function")
    y_true = np.asarray(predictions["y_true"]).astype(str)
    fig, ax = _figure(7, 4.5)
    columns = list(predictions["score_labels"])
    # a class without a score column (one the model never saw) as roc_auc_ovr counts it:
    # a constant score, the chance diagonal (AUC 0.5), so the figure shows what it averages
    for label in dict.fromkeys([*(result.metrics.get("labels") or ()), *columns]):
        positive = y_true == label
        if positive.any() and not positive.all():
            RocCurveDisplay.from_predictions(
                positive.astype(int), scores[:, columns.index(label)] if label in columns
                else np.zeros(len(y_true)), name=_wrapped_label(label, 2.2, 7), ax=ax)
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":")
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    # beside the axes, not on them: with seven classes a legend inside covers the curves;
    # long class names wrapped (above) so that it stays in the image
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)
    title = (f"one-vs-rest ROC: {result.features} + {result.classifier}\n{result.dataset}, "
             f"{result.protocol}")  # as the confusion matrix's: which run it is
    ax.set_title(_wrapped_label(title, 7, 9), fontsize=9)
    return fig
