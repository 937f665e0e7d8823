"""An infinite AU value is refused: its AU left the correlation means and raised the headline.

With one prediction of AU2 overflowing, AU2's ICC was NaN, so ``mean_icc`` averaged AU1 alone
(0.98 where the model's two AUs average 0.35), with nothing but numpy's RuntimeWarnings.
"""

import numpy as np
import pytest

from aufeat.evaluation import au_intensity_metrics, au_occurrence_metrics, bootstrap_intervals


@pytest.fixture
def truth_and_prediction():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 6, (40, 2)).astype(float)
    prediction = truth + rng.normal(0, 0.5, (40, 2))
    prediction[:, 1] = rng.normal(2, 1, 40)  # AU2: a poor model
    return truth, prediction


@pytest.mark.parametrize("value", [np.inf, -np.inf])
def test_an_infinite_intensity_prediction_is_refused_naming_its_au_and_row(
        truth_and_prediction, value):
    truth, prediction = truth_and_prediction
    assert au_intensity_metrics(truth, prediction, ["AU1", "AU2"])["n_aus"] == 2
    prediction[3, 1] = value
    with pytest.raises(ValueError, match=r"y_pred holds an infinite value \(AU2, row 3\)"):
        au_intensity_metrics(truth, prediction, ["AU1", "AU2"])
    with pytest.raises(ValueError, match=r"y_pred holds an infinite value \(AU2, row 3\)"):
        bootstrap_intervals("au-intensity", truth, prediction, np.repeat(np.arange(8), 5),
                            au_names=["AU1", "AU2"], n_resamples=20)


def test_an_infinite_label_is_refused(truth_and_prediction):
    truth, prediction = truth_and_prediction
    truth[0, 0] = np.inf
    with pytest.raises(ValueError, match=r"y_true holds an infinite value \(AU1, row 0\); "
                                         r"fix or clip it \(NaN marks an AU not coded\)"):
        au_intensity_metrics(truth, prediction, ["AU1", "AU2"])


def test_one_au_name_given_as_a_string_names_the_one_column():
    metrics = au_occurrence_metrics([[1], [0], [1]], [[1], [0], [0]], "AU12")
    assert list(metrics["per_au"]) == ["AU12"]
    with pytest.raises(ValueError, match="1 AU names for 2 columns"):
        au_occurrence_metrics([[1, 0], [0, 1]], [[1, 0], [0, 1]], "AB")
