"""--cross onto a data set without person ids: decided on the tested rows, and the report
says that its intervals resample images (not "the tested people")."""

import warnings

import numpy as np

from aufeat.cli._bench_report import _interval_note, independence
from aufeat.datasets import make_synthetic_faces
from aufeat.evaluation import evaluate
from aufeat.evaluation.protocols import NO_TARGET_IDS_NOTE
from aufeat.features.geometry import extract_geometry


def _cross(target_ids: bool):
    train = make_synthetic_faces(n_subjects=4, n_per_subject=7, random_state=0)
    target = make_synthetic_faces(n_subjects=3, n_per_subject=6, random_state=5)
    target.name = "target"
    if target_ids:  # other people than the training set's
        target.subject = np.array([f"t{s}" for s in target.subject])
    else:  # a folder without a subject pattern: each image its own subject
        target.subject = np.array([f"img{i}.png" for i in range(len(target.subject))])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = evaluate(train, extract_geometry(train.meta["landmarks"]), model="logreg",
                          protocol="cross:target", target=target,
                          target_X=extract_geometry(target.meta["landmarks"]), n_bootstrap=50)
    return result, [str(w.message) for w in caught]


def test_a_target_without_person_ids_is_said_so():
    result, caught = _cross(target_ids=False)
    assert any(NO_TARGET_IDS_NOTE in w for w in result.warnings)
    assert any(NO_TARGET_IDS_NOTE in w and "'target'" in w for w in caught)
    assert independence(result) == "subject-independent; the tested data set has no person ids"
    assert "resamples of the tested images" in _interval_note(result)


def test_a_target_with_person_ids_is_subject_independent():
    result, _ = _cross(target_ids=True)
    assert not any(NO_TARGET_IDS_NOTE in w for w in result.warnings)
    assert independence(result) == "subject-independent"
    assert "resamples of the tested people" in _interval_note(result)
