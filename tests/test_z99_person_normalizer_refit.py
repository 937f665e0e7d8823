"""A refused PersonNormalizer refit keeps the last fit entirely (Z99 F03).

The refit's width (``n_features_in_``) used to be set before ``statistic``,
``min_group`` and ``subjects`` were checked: the normaliser then refused its own
width and centred the refused one with the old ``center_``.
"""

import numpy as np
import pandas as pd
import pytest

from aufeat import PersonNormalizer

RNG = np.random.default_rng(0)
X5, X7 = RNG.normal(size=(12, 5)), RNG.normal(size=(12, 7))
SUBJECTS = np.repeat([0, 1, 2, 3], 3)


@pytest.mark.parametrize("refit", [
    lambda norm: norm.fit(X7, subjects=SUBJECTS[:5]),  # one id too few per row
    lambda norm: norm.set_params(min_group="3").fit(X7, subjects=SUBJECTS),
    lambda norm: norm.set_params(statistic="mode").fit(X7, subjects=SUBJECTS),
])
def test_a_refused_refit_keeps_the_last_fit(refit):
    reference = PersonNormalizer().fit(X5, subjects=SUBJECTS)
    norm = PersonNormalizer().fit(X5, subjects=SUBJECTS)
    with pytest.raises(ValueError):  # noqa: PT011 - each refit is refused for its own reason
        refit(norm)
    norm.set_params(**reference.get_params())
    assert norm.n_features_in_ == 5
    for subjects in (SUBJECTS, ["new"] * 12):  # own medians, and the training centre
        np.testing.assert_array_equal(norm.transform(X5, subjects=subjects),
                                      reference.transform(X5, subjects=subjects))
    with pytest.raises(ValueError, match="expecting 5 features"):
        norm.transform(X7, subjects=SUBJECTS)


def test_a_refused_refit_keeps_the_column_names_of_the_last_fit():
    frame = pd.DataFrame(X5, columns=[f"f{i}" for i in range(5)])
    norm = PersonNormalizer().fit(frame, subjects=SUBJECTS)
    with pytest.raises(ValueError, match="subjects"):
        norm.fit(X5, subjects=SUBJECTS[:5])
    assert list(norm.feature_names_in_) == list(frame.columns)
