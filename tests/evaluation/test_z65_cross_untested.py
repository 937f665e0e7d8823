"""``cross:``: test images of emotions the training set lacks are left out, and said so.

"Shared labels only" dropped 12 of a 21-image target with nothing in ``warnings``; the
report's sample count and 100% coverage read as if every image had been tested.
"""

import re

import numpy as np
import pytest

from aufeat import FaceDataset, evaluate

UNTESTED = ("labelled image(s) of the test set 'B' show emotions absent from the training "
            "set 'A' (anger, fear): not tested")


def _pair(test_emotions):
    rng = np.random.default_rng(0)
    a = FaceDataset(images=rng.random((12, 8, 8)), name="A",
                    subject=np.repeat([f"a{i}" for i in range(4)], 3),
                    emotion=np.array(["happiness", "sadness"] * 6))
    b = FaceDataset(images=rng.random((len(test_emotions), 8, 8)), name="B",
                    subject=[f"b{i % 3}" for i in range(len(test_emotions))],
                    emotion=np.array(test_emotions))
    return a, b, rng.normal(size=(12, 4)), rng.normal(size=(len(test_emotions), 4))


def test_test_images_of_emotions_never_trained_on_are_counted_in_a_warning():
    a, b, X, tX = _pair(["happiness", "sadness", "anger", "fear", "anger", "happiness"])
    with pytest.warns(UserWarning, match=re.escape(f"3 {UNTESTED}")):
        result = evaluate(a, X, model="logreg", protocol="cross:B", target=b, target_X=tX,
                          n_bootstrap=0)
    assert any(w.startswith(f"3 {UNTESTED}") for w in result.warnings)
    assert result.n_samples == 12 + 3  # 12 trained on, the other three tested


def test_no_warning_when_every_test_emotion_was_trained_on():
    a, b, X, tX = _pair(["happiness", "sadness", "sadness"])
    result = evaluate(a, X, model="logreg", protocol="cross:B", target=b, target_X=tX,
                      n_bootstrap=0)
    assert not any("not tested" in w for w in result.warnings)
