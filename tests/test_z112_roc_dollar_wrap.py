"""plot_roc's legend draws a long class name holding '$' as written.

It escaped each ``$`` (``\\$``) before wrapping the name, and the wrapper breaks a long
word after a ``\\``: a line then ended in a stray backslash and the next began with an
unescaped ``$``, two of which matplotlib reads as mathtext. Now it wraps, then escapes,
as the other plots do.
"""

import numpy as np

import aufeat
from aufeat.datasets import FaceDataset
from aufeat.evaluation import plots

LONG = "a" * 30 + "_$" + "b" * 30 + "_$" + "c" * 5  # wrapped after each '_'


def test_long_dollar_class_name_drawn_as_written(rng, tmp_path):
    classes = [LONG, "other"]
    data = FaceDataset(images=np.zeros((18, 4, 4), np.uint8), subject=np.repeat(["a", "b", "c"], 6),
                       emotion=classes * 9)
    result = aufeat.evaluate(data, rng.normal(size=(18, 3)), model="logreg", protocol="loso",
                             keep_predictions=True, n_bootstrap=0)
    assert plots.plot_roc(result, tmp_path / "roc.png").stat().st_size > 0

    shown = []
    for text in plots._roc_figure(result).findobj(lambda a: hasattr(a, "_preprocess_math")):
        string, math = text._preprocess_math(text.get_text())  # as matplotlib draws it
        assert not math, string
        shown.append(string)
    entries = {s.split(" (AUC")[0] for s in shown if "(AUC" in s}

    assert "\n" in next(e for e in entries if "$" in e)  # long enough to be wrapped
    assert {e.replace("\n", "") for e in entries} == set(classes)
