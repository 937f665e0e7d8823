"""Review SL23: a class_weight string the model knows is compared, AURegressor asks for no
groups under metadata routing unless told, an int cv after a sampler under mirror=True is
not refused, and the per-AU advice for a model without groups works."""

import warnings

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

from aufeat.estimators import AUClassifier

RNG = np.random.default_rng(0)
GROUPS = np.repeat(np.arange(9), 10)
X = RNG.normal(size=(90, 5))
RARE = ((X[:, :1] + RNG.normal(size=(90, 1))) > 1.2).astype(int)  # a rare AU


def _messages(fit):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fit()
    return result, [str(w.message) for w in caught]


def _forest():
    return RandomForestClassifier(n_estimators=10, max_depth=2, random_state=0)


# F1: 'balanced_subsample' is a class_weight RandomForestClassifier takes: compared, tuned
def test_a_class_weight_string_of_the_model_is_compared_and_tuned():
    model, messages = _messages(lambda: AUClassifier(
        _forest(), tune_thresholds=True, class_weights=("balanced_subsample",),
        random_state=0).fit(X, RARE, groups=GROUPS))
    assert not any("skipped" in m for m in messages), messages
    assert model.class_weights_ == ["balanced_subsample"]
    assert model.thresholds_[0] is not None
    assert model.estimators_[0].get_params()["class_weight"] == "balanced_subsample"


def test_every_candidate_skipped_tunes_the_model_s_own_weighting():
    y = np.where(RARE == 1, 1, -1)  # coded -1/+1: {0: ..., 1: ...} names a class it lacks
    model, messages = _messages(lambda: AUClassifier(
        LogisticRegression(), tune_thresholds=True, class_weights=({0: 1, 1: 5},),
        au_names=["AU4"], random_state=0).fit(X, y, groups=GROUPS))
    skipped = [m for m in messages if "AU4: class_weights candidate {0: 1, 1: 5} skipped" in m]
    assert skipped, messages
    assert all("other candidates are compared" not in m for m in skipped), messages
    assert all("tuned with the model's own class_weight" in m for m in skipped), messages
    alone = AUClassifier(LogisticRegression(), tune_thresholds=True,
                         random_state=0).fit(X, y, groups=GROUPS)
    assert model.class_weights_ == [None]
    assert model.thresholds_[0] is not None
    assert model.thresholds_ == alone.thresholds_
