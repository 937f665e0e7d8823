"""scikit-learn's own estimator checks on every 2-D estimator aufeat defines."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from aufeat.estimators.au import AUClassifier, AURegressor

ESTIMATORS = [
    AUClassifier("logreg"),
    AUClassifier("rf", random_state=0),
    AURegressor("ridge", clip=None),
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible(estimator, check):
    check(estimator)
