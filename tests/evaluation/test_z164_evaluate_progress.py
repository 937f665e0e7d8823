"""evaluate shows the folds fitted once they take 5 s (a loso run of 800 people: 233 s silent).

The tests shorten those 5 s (``LATE_AFTER``) where they are not what is tested.
"""

import io
import sys
import time

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

import aufeat
from aufeat import _progress
from aufeat.evaluation import evaluate, evaluate_many


class _SlowLogReg(LogisticRegression):
    def fit(self, X, y, sample_weight=None):
        time.sleep(0.25)
        return super().fit(X, y, sample_weight)


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def _terminal(monkeypatch):
    """stderr as a terminal's: a bar redraws at tqdm's pace (in a log, every 30 s).

    Set in the test itself: pytest sets its own stderr again between setup and call.
    """
    stream = _Terminal()
    monkeypatch.setattr(sys, "stderr", stream)
    return stream


@pytest.fixture(scope="module")
def data():
    faces = aufeat.make_synthetic_faces(n_subjects=10, n_per_subject=6, size=48, random_state=0)
    X = np.random.default_rng(0).standard_normal((len(faces), 8))
    return faces, X


def test_a_long_evaluation_shows_its_folds(data, monkeypatch):
    faces, X = data
    terminal = _terminal(monkeypatch)
    monkeypatch.setattr(_progress, "LATE_AFTER", 1.0)  # the folds take 2.5 s
    result = evaluate(faces, X, model=_SlowLogReg(), protocol="loso", n_bootstrap=0)
    err = terminal.getvalue()
    assert "evaluate:" in err, err
    assert "/10 [" in err, err
    assert "fold/s" in err or "s/fold" in err, err
    assert len(result.per_fold) == 10


def test_progress_false_and_quick_runs_print_nothing(data, monkeypatch):
    faces, X = data
    terminal = _terminal(monkeypatch)
    evaluate(faces, X, model="logreg", protocol="loso", n_bootstrap=0)  # under 5 s
    assert terminal.getvalue() == ""
    monkeypatch.setattr(_progress, "LATE_AFTER", 0.0)
    evaluate(faces, X, model="logreg", protocol="loso", n_bootstrap=0, progress=False)
    assert terminal.getvalue() == ""


def test_evaluate_many_counts_every_configurations_folds(data, monkeypatch):
    faces, X = data
    terminal = _terminal(monkeypatch)
    monkeypatch.setattr(_progress, "LATE_AFTER", 0.0)
    runs = [{"dataset": faces, "X": X, "model": "logreg", "protocol": "group-kfold:5",
             "n_bootstrap": 0} for _ in range(2)]
    assert len(list(evaluate_many(runs))) == 2
    assert "/10 [" in terminal.getvalue()
    with pytest.raises(TypeError, match=r"evaluate_many\(\.\.\., progress=\)"):
        list(evaluate_many([{**runs[0], "progress": False}]))
