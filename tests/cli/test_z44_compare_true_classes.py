"""aufeat-bench compare subtracts accuracies of the same items whatever classes the models predict.

Emotion headlines are one quantity when the two results hold the same true classes: a
class only one model predicts (under split, one the test people never show) changes
``labels`` but not what accuracy counts.
"""

import subprocess
import sys

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier

from aufeat.datasets import FaceDataset, make_synthetic_faces
from aufeat.evaluation import evaluate
from aufeat.evaluation.results import write_results_json
from aufeat.features.geometry import extract_geometry


def _compare(path_a, path_b):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "compare", str(path_a),
                           str(path_b)], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """A answers happiness, B anger, on a test split without anger; both keep predictions."""
    syn = make_synthetic_faces(n_subjects=6, n_per_subject=14, random_state=3)
    tested = np.isin(syn.subject, np.unique(syn.subject)[4:])
    keep = ~(tested & (syn.emotion == "anger"))
    data = FaceDataset(images=np.asarray(syn.load_images())[keep], subject=syn.subject[keep],
                       emotion=syn.emotion[keep], split=np.where(tested, "test", "train")[keep],
                       name="no-anger-tested")
    X = extract_geometry(np.asarray(syn.meta["landmarks"])[keep])
    folder = tmp_path_factory.mktemp("compare")
    out = {}
    for name, answer in (("a", "happiness"), ("b", "anger")):
        result = evaluate(data, X, model=DummyClassifier(strategy="constant", constant=answer),
                          protocol="split", features_name="geometry", keep_predictions=True,
                          n_bootstrap=100)
        out[name] = (write_results_json(folder / f"{name}.json", [result]), result)
    return out


def test_accuracy_of_the_same_items_is_subtracted(results):
    (path_a, a), (path_b, b) = results["a"], results["b"]
    assert a.metrics["labels"] != b.metrics["labels"]  # B predicts a class no item holds
    done = _compare(path_a, path_b)
    assert done.returncode == 0, done.stderr
    assert "not one quantity" not in done.stdout
    row = next(line.split() for line in done.stdout.splitlines()
               if line.startswith("geometry "))
    difference = b.metrics["accuracy"] - a.metrics["accuracy"]
    assert difference < 0
    assert row[4] == f"{difference:+.3f}"
    assert row[5] != "-"  # the paired interval: low to high
    assert row[6] == "to"


def test_other_true_classes_are_still_apart(results, tmp_path):
    (path_a, a), _ = results["a"], results["b"]
    syn = make_synthetic_faces(n_subjects=6, n_per_subject=14, random_state=3)
    tested = np.isin(syn.subject, np.unique(syn.subject)[4:])
    data = FaceDataset(images=syn.load_images(), subject=syn.subject, emotion=syn.emotion,
                       split=np.where(tested, "test", "train"), name="no-anger-tested")
    every = evaluate(data, extract_geometry(syn.meta["landmarks"]),
                     model=DummyClassifier(strategy="constant", constant="happiness"),
                     protocol="split", features_name="geometry", n_bootstrap=0)
    done = _compare(path_a, write_results_json(tmp_path / "every.json", [every]))
    assert done.returncode == 0, done.stderr
    true_a = [c for c, m in a.metrics["per_class"].items() if m["support"]]
    assert "anger" not in true_a
    assert (f"accuracy of A is over the classes {', '.join(true_a)} and of B over "
            f"{', '.join(every.metrics['labels'])}: not one quantity") in done.stdout
