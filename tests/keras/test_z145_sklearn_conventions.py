"""KerasMLPClassifier follows two more of scikit-learn's conventions its checks test.

A column-vector ``y`` was taken without the DataConversionWarning scikit-learn's classifiers
give, and a wrong feature count said "the network was trained on 3", where scikit-learn's
``check_n_features_in_after_fitting`` looks for "is expecting 3 features as input".
"""

import pytest
from sklearn.utils.estimator_checks import (
    check_n_features_in_after_fitting,
    check_supervised_y_2d,
)

from aufeat.keras import KerasMLPClassifier


@pytest.mark.parametrize("check", [check_n_features_in_after_fitting, check_supervised_y_2d])
def test_scikit_learn_check_passes(check):
    check("KerasMLPClassifier", KerasMLPClassifier(epochs=2, random_state=0))
