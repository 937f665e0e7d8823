"""evaluate warned that a search around AURegressor gives its fit no subject ids, since
AURegressor.fit takes ``groups`` (ad3ba52), also where its per-AU model has no use for them."""

import warnings

from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, GroupKFold

from aufeat.estimators import AURegressor
from aufeat.evaluation._subject_routing import warn_unrouted


def _warned(search) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_unrouted(search)
    return [str(w.message) for w in caught if "gets no groups" in str(w.message)]


def test_no_warning_for_a_per_au_model_that_takes_no_ids():
    assert _warned(GridSearchCV(AURegressor(Ridge()), {"clip": [(0, 5)]},
                                cv=GroupKFold(3))) == []


def test_a_per_au_search_that_needs_the_ids_is_still_warned_about():
    inner = GridSearchCV(Ridge(), {"alpha": [1.0, 10.0]}, cv=GroupKFold(3))
    found = _warned(GridSearchCV(AURegressor(inner), {"clip": [(0, 5)]}, cv=GroupKFold(3)))
    assert len(found) == 1
    assert "AURegressor.fit gets no groups" in found[0]
