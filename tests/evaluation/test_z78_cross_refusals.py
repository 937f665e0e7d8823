"""Every refused ``cross:`` evaluation raises ProtocolError, as docs/protocols.md says.

Fewer than two shared emotion classes, no shared AU name, and no shared AU coded in one
of the data sets: each is a :class:`aufeat.exceptions.ProtocolError` (still a ValueError),
and the classes are named as text, not as numpy reprs.
"""

import numpy as np
import pytest

from aufeat import FaceDataset, evaluate, make_synthetic_faces
from aufeat.exceptions import ProtocolError


def emotion_pair(test_emotions):
    rng = np.random.default_rng(0)
    a = FaceDataset(images=rng.random((12, 16, 16)), name="A",
                    subject=np.repeat([f"a{i}" for i in range(4)], 3),
                    emotion=np.array(["happiness", "sadness"] * 6))
    b = FaceDataset(images=rng.random((12, 16, 16)), name="B",
                    subject=np.repeat([f"b{i}" for i in range(4)], 3),
                    emotion=np.array(test_emotions * 6))
    return a, b, rng.normal(size=(12, 4)), rng.normal(size=(12, 4))


@pytest.mark.parametrize(("test_emotions", "named"), [
    (["happiness", "fear"], "(happiness)"), (["anger", "fear"], "(none)")])
def test_fewer_than_two_shared_emotions_is_a_protocol_error_naming_them(test_emotions, named):
    a, b, X, target_X = emotion_pair(test_emotions)
    with pytest.raises(ProtocolError) as caught:
        evaluate(a, X, model="linear-svm", protocol="cross:B", target=b, target_X=target_X,
                 n_bootstrap=0)
    message = str(caught.value)
    assert f"'A' and 'B' share fewer than two emotion classes {named}" in message
    assert "np.str_" not in message
    assert isinstance(caught.value, ValueError)  # `except ValueError` callers still catch it


def au_pair():
    train = make_synthetic_faces(n_subjects=3, n_per_subject=4, random_state=1)
    test = make_synthetic_faces(n_subjects=3, n_per_subject=4, random_state=7)
    test.subject = np.char.add("other-", test.subject)
    X = np.random.default_rng(0).normal(size=(len(train), 4))
    return train, test, X, np.random.default_rng(1).normal(size=(len(test), 4))


def test_no_shared_au_is_a_protocol_error():
    train, test, X, target_X = au_pair()
    test.au_names = [f"AU{90 + i}" for i in range(len(test.au_names))]
    with pytest.raises(ProtocolError, match="share no AU"):
        evaluate(train, X, model="logreg", task="au-occurrence", protocol="cross:other",
                 target=test, target_X=target_X, n_bootstrap=0)


def test_shared_aus_coded_in_no_image_is_a_protocol_error():
    train, test, X, target_X = au_pair()
    shared = train.au_names[0]  # the test set codes only an AU the training set lacks
    test = test[np.arange(len(test))]
    test.aus, test.au_names = np.column_stack([np.full(len(test), np.nan), np.ones(len(test))]), \
        [shared, "AU99"]
    with pytest.raises(ProtocolError, match="'synthetic' codes none of the AUs both data sets"):
        evaluate(train, X, model="logreg", task="au-occurrence", protocol="cross:other",
                 target=test, target_X=target_X, n_bootstrap=0)
