"""AURegressor's docstring example runs without the class's own warnings.

It fitted targets up to 10 under clip=(0, 5), which warns that the labels are outside
the clip: a user who copied it was told their labels were wrong."""

import doctest
import warnings

from aufeat.estimators import au


def test_the_example_runs_without_warnings():
    finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    (test,) = [t for t in finder.find(au, "au") if t.name == "au.AURegressor"]
    assert test.examples
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = runner.run(test)
    assert result.failed == 0
