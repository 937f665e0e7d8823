"""Images without a face count in the examples' scores, as in ``aufeat.evaluate``.

An image where no face is found is an error in accuracy and F1 (prediction ``''``) on every
side of a comparison, and the share with a face (coverage) is reported beside the score. In
process, on tiny synthetic data and a linear model: quick.
"""

import numpy as np
import pytest

import aufeat

from .conftest import ROOT

BASIC = ["anger", "disgust", "fear", "happiness", "sadness", "surprise"]


@pytest.fixture
def examples(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples"))


def corpus_with_faceless_rows():
    """6 people x 12 labelled images, features that tell the emotion, 10 rows without a face."""
    data = aufeat.make_synthetic_faces(6, 12, emotions=BASIC, random_state=0)
    y = np.asarray(data.emotion).astype(str)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(len(y), len(BASIC))) + 3 * (y[:, None] == np.array(BASIC))
    X[rng.choice(len(y), 10, replace=False)] = np.nan  # no face found there
    return data, X


def test_cross_population_leaky_split_scores_faceless_images_as_the_honest_row(examples):
    import cross_population

    data, X = corpus_with_faceless_rows()
    found = ~np.isnan(X).any(axis=1)
    honest = aufeat.evaluate(data, X, model="linear-svm", protocol="group-kfold:2",
                             labels=BASIC, random_state=0)
    metrics, n_test, coverage, shared, _ = cross_population.leaky_split(
        data, X, "linear-svm", BASIC, 0)
    assert honest.n_samples == len(data)  # every labelled image, found or not
    assert n_test == int(np.ceil(0.2 * len(data)))  # 20% of every labelled image, too
    assert metrics["no_face"] == round((1 - coverage) * n_test)
    assert 0 < coverage < 1  # this seed's test side holds faceless images
    assert metrics["accuracy"] <= coverage  # a faceless image cannot be right
    assert honest.metrics["no_face"] == (~found).sum()
    assert shared > 0.9  # still the leaky split: its people are in training


def test_cross_population_rows_carry_coverage(examples):
    import cross_population

    row = cross_population.row("m", "p", "a", "b", {"accuracy": 0.5, "macro_f1": 0.4}, 10,
                               0.9, 0.0, 1.0)
    assert list(row) == cross_population.COLUMNS
    assert row["coverage"] == 0.9

