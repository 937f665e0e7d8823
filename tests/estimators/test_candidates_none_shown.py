"""FaceModel(normalize='auto') compares candidates by F1 only, also across folds without AUs.

A fold whose held-out person never shows an AU cannot rank candidates by F1; scored by
accuracy (what ``score`` gives there) it was averaged with the other folds' F1 and could
choose a candidate that misses AUs the other finds.
"""

import numpy as np

from aufeat.estimators._scoring import compare_candidates, model_score


def test_a_fold_without_aus_does_not_decide_by_accuracy():
    y = np.zeros((20, 2), int)
    y[:10:2] = 1  # person A (rows 0-9) shows both AUs; person B (rows 10-19) none
    folds = [(np.arange(10, 20), np.arange(10)), (np.arange(10), np.arange(10, 20))]
    finds = {0: y[:10].copy(), 1: np.zeros((10, 2), int)}
    finds[1][:6] = 1  # every AU of A found, false positives on B
    misses = {0: y[:10].copy(), 1: np.zeros((10, 2), int)}
    misses[0][[0, 2, 4]] = 0  # 3 of A's 5 rows missed, nothing flagged on B
    predictions = {"finds": finds, "misses": misses}

    def fit_and_predict(candidate, train, test):
        return predictions[candidate][0 if test[0] == 0 else 1]

    scores = compare_candidates(fit_and_predict, ("misses", "finds"), folds, y, False)
    assert scores["finds"] > scores["misses"]
    assert scores["finds"] == model_score(y[:10], finds[0], False) / 2
    # score() itself keeps the accuracy where no AU is shown, as documented
    assert model_score(y[10:], finds[1], False) == 0.4  # 8 of 20 cells right
