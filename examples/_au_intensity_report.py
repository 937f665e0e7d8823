"""Tables, charts and the report of ``au_intensity_classical.py`` (per-AU metrics, outputs).

Kept apart from the example so that it reads as the study: data, features, models, the two
protocols and what their numbers mean. Every output here is written atomically (``_common``).
"""
from __future__ import annotations

import numpy as np
from _common import markdown_table, new_figure, save_figure, write_csv, write_json, write_text

METRICS = ("accuracy", "precision", "recall", "f1", "icc")
PROTOCOLS = ("subject-independent", "leaky")
#: How the headline's best configuration was chosen, in words for the text and summary.json.
SELECTION = ("chosen on these same subject-independent test folds, so optimistic for a new "
             "person (choose by nested subject-wise CV for a claim)")


def per_au_metrics(y_true, y_pred, au_names):
    """Per-AU accuracy and macro precision/recall/F1 over intensity levels, and ICC(3,1)."""
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    from aufeat.evaluation.metrics import icc_3_1

    table = {}
    for j, au in enumerate(au_names):
        coded = ~np.isnan(y_true[:, j])
        truth, scores = y_true[coded, j], y_pred[coded, j]
        levels = np.clip(np.rint(scores), 0, 5)  # regression output -> intensity level
        p, r, f, _ = precision_recall_fscore_support(truth, levels, average="macro",
                                                     zero_division=0)
        table[au] = {"accuracy": accuracy_score(truth, levels), "precision": p, "recall": r,
                     "f1": f, "icc": icc_3_1(truth, scores), "support": int(coded.sum())}
    return table


def mean_row(table):
    return {m: float(np.nanmean([row[m] for row in table.values()])) for m in METRICS}


def versus_chance(row, chance):
    """``'above'`` or ``'no better than'``: a mean row's F1 against chance's (0.02 margin)."""
    return "no better than" if row["f1"] < chance["f1"] + 0.02 else "above"


# --------------------------------------------------------------------------- outputs
def write_tables(out, results):
    summary, per_au = [], []
    for (features, model), tables in results.items():
        for protocol in PROTOCOLS:
            summary.append({"features": features, "model": model, "protocol": protocol,
                            **mean_row(tables[protocol])})
            for au, row in tables[protocol].items():
                per_au.append({"features": features, "model": model, "protocol": protocol,
                               "au": au, **row})
    write_csv(out / "summary.csv", summary)
    write_csv(out / "per_au.csv", per_au)
    return summary


def side_by_side(results):
    """Rows: features, model, then F1 and ICC under both protocols and the gaps."""
    rows = []
    for (features, model), tables in results.items():
        si, leak = mean_row(tables["subject-independent"]), mean_row(tables["leaky"])
        rows.append([features, model, f"{si['f1']:.3f}", f"{leak['f1']:.3f}",
                     f"{leak['f1'] - si['f1']:+.3f}", f"{si['icc']:.3f}", f"{leak['icc']:.3f}",
                     f"{leak['icc'] - si['icc']:+.3f}"])
    header = ["features", "model", "F1 subject-indep.", "F1 leaky", "F1 gap",
              "ICC subject-indep.", "ICC leaky", "ICC gap"]
    return header, rows


def grouped_bars(path, labels, series, ylabel, title):
    x = np.arange(len(labels))
    fig, ax = new_figure(max(5.0, 0.55 * len(labels) + 2), 3.6)
    width = 0.8 / len(series)
    for k, (name, values) in enumerate(series.items()):
        ax.bar(x + (k - (len(series) - 1) / 2) * width, np.nan_to_num(values), width,
               label=name)
    ax.set_xticks(x, labels, rotation=45, ha="right", fontsize=8)
    ax.set_ylabel(ylabel)
    ax.set_ylim(min(0.0, np.nanmin([np.nanmin(v) for v in series.values()])), 1)
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8)
    save_figure(fig, path)


def write_charts(out, results, best, dataset_label):
    charts = []
    tables = results[best]
    aus = list(tables["subject-independent"])
    for metric in ("f1", "icc"):
        path = out / f"per_au_{metric}.png"
        grouped_bars(path, aus, {p: [tables[p][au][metric] for au in aus] for p in PROTOCOLS},
                     metric.upper(), f"per-AU {metric.upper()}: {best[0]} + {best[1]} "
                     f"({dataset_label})")
        charts.append(path.name)
    names = [f"{f} + {m}" for f, m in results]
    path = out / "models_f1.png"
    grouped_bars(path, names, {p: [mean_row(t[p])["f1"] for t in results.values()]
                               for p in PROTOCOLS},
                 "mean F1 over AUs", f"leaky vs subject-independent ({dataset_label})")
    return [*charts, path.name]


def write_report(out, data, found, results, head, label, args):
    """Write the tables, charts, report.md and summary.json; return the markdown table."""
    best = head["best"]["features"], head["best"]["model"]
    summary, charts = write_tables(out, results), write_charts(out, results, best, label)
    table = markdown_table(*side_by_side(results))
    write_text(out / "summary.md", table + "\n")
    best_rows = [[au, *(f"{r[m]:.3f}" for m in METRICS), r["support"]]
                 for au, r in results[best]["subject-independent"].items()]
    write_text(out / "report.md",
        f"# AU intensity, classical features ({label})\n\n{head['text']}\n\n{table}\n\n"
        f"## Per AU, subject-independent: {best[0]} + {best[1]}\n\n"
        f"The {head['best']['selection']}.\n\n"
        + markdown_table(["AU", *METRICS, "support"], best_rows) + "\n")
    write_json(out / "summary.json", {
        "dataset": data.name, "synthetic": data.name == "synthetic", "n_images": len(data),
        "n_faces": int(found.sum()), "no_face": int((~found).sum()),  # no face: intensity 0
        "coverage": float(found.mean()), "n_subjects": data.n_subjects,
        "aus": list(data.au_names), "folds": args.folds,
        "protocols": {"subject-independent": f"group-kfold:{args.folds}",
                      "leaky": f"random frame-level KFold({args.folds})"},
        **{k: v for k, v in head.items() if k != "text"},
        "summary": summary, "charts": charts}, indent=2)
    return table
