"""AURegressor.fit warns about coded targets outside ``clip`` (9 = BP4D's 'not coded')."""

import warnings

import numpy as np
import pytest

from aufeat.estimators import AURegressor
from aufeat.exceptions import AufeatWarning


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    Y = np.column_stack([np.clip(np.round(X[:, 0] + 2), 0, 5), np.round(np.abs(X[:, 1]))])
    return X, Y


def test_a_code_9_among_intensities_is_named_in_a_warning():
    X, Y = _data()
    Y[[2, 5], 0] = 9
    Y[7, 1] = -1
    with pytest.warns(AufeatWarning, match=r"outside clip=\(0(\.0)?, 5(\.0)?\): AU12: 9 "
                      r"\(2 rows\); AU6: -1 \(1 row\).*not-coded cells as NaN") as caught:
        AURegressor(au_names=["AU12", "AU6"]).fit(X, Y)
    assert caught[0].filename == __file__  # the user's line


def test_no_warning_in_range_with_nan_or_without_clip():
    X, Y = _data()
    Y[3, 0] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        AURegressor().fit(X, Y)
        AURegressor(clip=None).fit(X, 10 * Y)  # another scale, no bounds: as given
        AURegressor(clip=(None, 50)).fit(X, 10 * Y)


def test_a_one_sided_clip_checks_its_side_only():
    X, Y = _data()
    with pytest.warns(AufeatWarning, match=r"clip=\(1, None\): output0: 0 \(\d+ rows\)"):
        AURegressor(clip=(1, None)).fit(X, Y)
