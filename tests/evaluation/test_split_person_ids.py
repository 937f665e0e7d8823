"""'No person ids' is decided on every row an evaluation used, not on the tested items alone."""

import warnings

import numpy as np
import pytest

from aufeat.cli._bench_report import independence
from aufeat.datasets import FaceDataset
from aufeat.evaluation import evaluate
from aufeat.exceptions import AufeatWarning


def _split_data(train_people, per_person):
    """``train_people`` people with ``per_person`` images each to train on, 10 one-photo tests."""
    subjects = ([f"tr{i}" for i in range(train_people) for _ in range(per_person)]
                + [f"te{i}" for i in range(10)])
    n = len(subjects)
    split = ["train"] * (n - 10) + ["test"] * 10
    emotion = np.array(["happy", "sad"] * (n // 2))
    X = np.random.default_rng(0).normal(size=(n, 5))
    X[:, 0] += (emotion == "happy") * 2
    data = FaceDataset(images=np.zeros((n, 4, 4), np.uint8), subject=subjects, emotion=emotion,
                       split=split, name="t")
    return data, X


def test_one_photo_per_test_person_is_not_called_without_person_ids():
    data, X = _split_data(train_people=6, per_person=10)
    with warnings.catch_warnings():
        warnings.simplefilter("error", AufeatWarning)
        result = evaluate(data, X, model="logreg", protocol="split")
    assert (result.n_samples, result.n_subjects) == (10, 10)  # the tested items and people
    assert not any("own subject id" in w for w in result.warnings)
    assert independence(result) == "subject-independent"


def test_a_split_where_truly_every_item_is_its_own_subject_is_still_warned_about():
    data, X = _split_data(train_people=40, per_person=1)
    with pytest.warns(AufeatWarning, match="every item of 't' has its own subject id"):
        result = evaluate(data, X, model="logreg", protocol="split")
    assert any("own subject id" in w for w in result.warnings)
    assert independence(result).startswith("no person ids: every image is its own subject")


def test_the_warning_names_the_line_that_asked_for_it():
    # evaluate's warning names the line that called evaluate (it named a line of pytest); a
    # script that builds its own result, as the examples do, gets its own line
    from aufeat.evaluation.protocols import warn_without_person_ids

    data, X = _split_data(train_people=40, per_person=1)
    with pytest.warns(AufeatWarning) as caught:
        result = evaluate(data, X, model="logreg", protocol="split")
    result.warnings = []
    with pytest.warns(AufeatWarning) as caught_too:
        warn_without_person_ids(result, data.subject)
    with open(__file__) as source:
        lines = source.readlines()
    for warning, call in ((caught[0], "evaluate(data"), (caught_too[0], "warn_without_")):
        assert warning.filename == __file__
        assert call in lines[warning.lineno - 1]
