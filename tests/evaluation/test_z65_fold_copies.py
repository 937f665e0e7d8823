"""The same image under two subject ids is on both sides of a person-wise fold: said so.

A manifest listing one person's photos again under another id (copies or links) scored
both people 1.000 with no warning (overall 0.700 against 0.625 without the copies); so
did FER2013's test images that repeat training images, under ``split``.
"""

import re

import numpy as np
import pytest

from aufeat import evaluate
from aufeat.datasets import FaceDataset

COPIES = "tested image(s) have the features of a training image of their fold"


def _data(copies: int):
    rng = np.random.default_rng(0)
    subject = np.repeat([f"s{i}" for i in range(5)], 6)
    emotion = np.tile(["happiness", "sadness", "anger"], 10)
    X = rng.normal(size=(30, 12)) + (emotion[:, None] == "happiness")
    X[rng.random(30) < 0.1, :] = np.nan  # no face: not compared
    if copies:
        X = np.vstack([X, X[:copies]])  # s0's first images again, as 'other'
        subject = np.concatenate([subject, ["other"] * copies])
        emotion = np.concatenate([emotion, emotion[:copies]])
    return FaceDataset(images=np.zeros((len(X), 8, 8), np.uint8), subject=subject,
                       emotion=emotion, name="faces"), X


@pytest.mark.parametrize("protocol", ["loso", "group-kfold:3"])
def test_an_image_under_two_subject_ids_is_warned_of(protocol):
    data, X = _data(copies=4)
    with pytest.warns(UserWarning, match=re.escape(COPIES)):
        result = evaluate(data, X, model="logreg", protocol=protocol, n_bootstrap=0)
    note = next(w for w in result.warnings if COPIES in w)
    tested_twice = int((~np.isnan(X[:4]).any(axis=1)).sum()) * 2  # each copy, both ways
    assert note.startswith(f"{tested_twice} {COPIES}")
    assert "'other'" in note
    assert "'s0'" in note


def test_no_copies_no_warning():
    data, X = _data(copies=0)
    result = evaluate(data, X, model="logreg", protocol="loso", n_bootstrap=0)
    assert not any(COPIES in w for w in result.warnings)
