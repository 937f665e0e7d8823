"""scikit-learn's own estimator checks on every 2-D estimator aufeat defines."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from aufeat.estimators.au import AUClassifier, AURegressor

ESTIMATORS = [
    AUClassifier("logreg"),
    AUClassifier("rf", random_state=0),
    AURegressor("ridge", clip=None),
]


def _expected_failures(estimator):
    if isinstance(estimator, AUClassifier):  # test_au_decision_function.py checks the intent
        return {"check_classifier_multioutput": (
            "classes_ is a list of one array per AU (as MultiOutputClassifier's); the check "
            "indexes it as one array to read decision_function > 0 as labels")}
    return {}


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)
