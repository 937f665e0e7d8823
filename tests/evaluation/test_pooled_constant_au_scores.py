"""Pooled AU ROC-AUC: a fold's constant AU model is ranked, not scored by its ±1 number."""

import warnings

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

import aufeat


@pytest.fixture(scope="module")
def one_person_aus():
    """AU1 shown by syn001 only; AU2 shown by everyone but syn001 (6 people, LOSO)."""
    faces = aufeat.datasets.make_synthetic_faces(n_subjects=6, n_per_subject=5)
    X = aufeat.extract_hog(faces.load_images(), pixels_per_cell=(28, 28)).astype(float)
    subjects = np.asarray(faces.subject).astype(str)
    alone = subjects == subjects[0]
    aus = np.zeros((len(X), 2))
    aus[np.flatnonzero(alone)[[0, 2, 4]], 0] = 1  # AU1: 3 of syn001's 5 items
    aus[~alone, 1] = 1  # AU2: every item of the others, none of syn001's
    data = aufeat.datasets.FaceDataset(images=faces.load_images(), subject=subjects, aus=aus,
                                       au_names=["AU1", "AU2"], name="one-person-AUs")
    return data, X, alone


def test_a_constant_au_model_ranks_the_same_whatever_the_classifier(one_person_aus):
    """In syn001's fold the model never saw AU1 (only 'absent') nor an AU2 'absent': its
    constant scores of that fold go below (absent) or above (present) every other score
    of the column, so the pooled ROC-AUC does not depend on each classifier's scale."""
    data, X, alone = one_person_aus
    results = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the constant-model warnings
        for model in ["logreg", "linear-svm", "rf"]:
            result = aufeat.evaluate(data, X, model=model, task="au-occurrence",
                                     protocol="loso", keep_predictions=True, n_bootstrap=0)
            scores = result.predictions["scores"]
            order = result.predictions["subjects"] == data.subject[0]
            assert np.isfinite(scores).all()
            others = scores[~order]
            assert (scores[order, 0] < others[:, 0].min()).all()  # absent: below every other
            assert (scores[order, 1] > others[:, 1].max()).all()  # present: above every other
            results[model] = [result.metrics["per_au"][au]["roc_auc"] for au in ("AU1", "AU2")]
    assert results["logreg"] == results["linear-svm"] == results["rf"]
    truth = data.aus
    # syn001's items ranked last for AU1 and first for AU2, the others' order irrelevant
    assert results["rf"][0] == pytest.approx(roc_auc_score(truth[:, 0], ~alone))
    assert results["rf"][1] == pytest.approx(roc_auc_score(truth[:, 1], alone))
