"""Under ``split``, validation AU-occurrence means average the test's ``headline_aus``."""

import numpy as np

from aufeat.datasets import FaceDataset, make_synthetic_faces
from aufeat.evaluation.metrics import au_occurrence_metrics
from aufeat.evaluation.runner import evaluate
from aufeat.features.geometry import extract_geometry


def test_validation_mean_f1_averages_the_test_headline_aus():
    ds = make_synthetic_faces(n_subjects=12, n_per_subject=10, random_state=0)
    X = extract_geometry(ds.meta["landmarks"])
    split = np.repeat(["train"] * 5 + ["validation"] * 2 + ["test"] * 5, 10)
    data = FaceDataset(images=ds.load_images(), subject=ds.subject, aus=ds.aus,
                       au_names=ds.au_names, split=split, name="syn")
    result = evaluate(data, X, model="logreg", task="au-occurrence", protocol="split",
                      n_bootstrap=0)
    headline = result.metrics["headline_aus"]
    rows = split == "validation"
    y, _, names = data.targets("au-occurrence")
    # the headline rule applied to the two validation people alone picks other AUs
    alone = au_occurrence_metrics(y[rows], y[rows], names, subjects=data.subject[rows])
    assert alone["headline_aus"] != headline
    present = {name for name, m in alone["per_au"].items() if m["support"] > 0}
    assert result.validation["metrics"]["n_aus"] == len(present & set(headline))
    # the per-fold means follow the same rule
    assert result.per_fold[0]["metrics"]["n_aus"] == len(headline)
