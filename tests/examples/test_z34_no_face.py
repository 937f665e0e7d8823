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


def manifest_with_faceless_photos(path):
    """6 synthetic people x 6 photos, 4 of them plain grey (dlib finds no face): a manifest.

    A manifest's photos must hold a face dlib detects; it detects every face of this seed
    (it misses one synthetic crop of seed 0).
    """
    data = aufeat.make_synthetic_faces(6, 6, emotions=["happiness", "sadness", "surprise"],
                                       random_state=1)
    data.images[[1, 8, 15, 22]] = 128
    data.to_manifest(path)
    return path


def test_architecture_comparison_keeps_images_without_a_face(examples, tmp_path):
    import argparse

    import architecture_comparison

    spec = f"manifest:{manifest_with_faceless_photos(tmp_path / 'faces.csv')}"
    args = argparse.Namespace(data=spec, quick=True, seed=0)
    data, faces, protocol, _ = architecture_comparison.load(args)
    assert len(data) == len(faces) == 36  # every image, found or not
    assert np.isnan(faces).any(axis=(1, 2)).sum() == 4
    assert protocol == "split"


@pytest.mark.slow
def test_architecture_comparison_scores_images_without_a_face_as_errors(tmp_path):
    """The run says how many had no face, scores them as errors, and stores the coverage."""
    import csv
    import importlib.util
    import json
    import sys

    from .conftest import run

    if importlib.util.find_spec("keras") is None or importlib.util.find_spec("jax") is None:
        pytest.skip("the deep examples need the 'deep' extra (Keras 3 + JAX)")
    manifest = manifest_with_faceless_photos(tmp_path / "faces.csv")
    out = tmp_path / "out"
    proc = run([sys.executable, "examples/architecture_comparison.py", "--quick", "--data",
                f"manifest:{manifest}", "--architectures", "small-cnn@24", "--out", str(out)])
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    summary = json.loads((out / "summary.json").read_text())
    with open(out / "results.csv", newline="") as handle:
        (row,) = csv.DictReader(handle)
    (record,) = summary["folds"]["small-cnn@24"]
    assert int(row["n_test"]) == record["n_test"]
    assert float(row["coverage"]) == pytest.approx(record["coverage"])
    faceless_tested = round((1 - record["coverage"]) * record["n_test"])
    assert 0 < faceless_tested < 4  # this seed's grey photos: on both sides of the split
    assert float(row["accuracy"]) <= 1 - faceless_tested / record["n_test"]
    # only the tested grey photos are errors; the training side's are left out of fit
    # (Z105 f01: the log and summary.json counted all 4 as errors in every score)
    assert (f"36 images, {faceless_tested} of the {record['n_test']} test images without a "
            f"face (errors in every score; coverage {record['coverage']:.3f}), "
            f"{4 - faceless_tested} training images without one (not fitted on)") in proc.stdout
    assert (summary["n_images"], summary["n_test"]) == (36, record["n_test"])
    assert summary["no_face"] == faceless_tested
    assert summary["coverage"] == pytest.approx(float(row["coverage"]))
