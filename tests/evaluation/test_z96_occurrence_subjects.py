"""au_occurrence_metrics refuses rows without a subject id, as the intervals and protocols do:
counted as one more person ('None'), they would lift an AU over the headline's 3-people rule."""

import numpy as np
import pytest

from aufeat.evaluation.metrics import au_occurrence_metrics


def test_occurrence_metrics_refuse_rows_without_a_subject():
    people = np.array(["a"] * 10 + ["b"] * 10 + [None] * 10 + ["c"] * 10 + ["d"] * 10, object)
    truth = np.zeros((50, 2))
    truth[:30, 0] = 1  # AU1: positives of 'a', 'b' and of the rows without an id only
    truth[::2, 1] = 1
    with pytest.raises(ValueError, match=r"subjects: 10 value\(s\) are NaN or None, the first "
                                         r"at item 20"):
        au_occurrence_metrics(truth, truth, ["AU1", "AU2"], subjects=people)
    has_id = np.array([p is not None for p in people])
    known = au_occurrence_metrics(truth[has_id], truth[has_id], ["AU1", "AU2"],
                                  subjects=people[has_id])
    assert known["per_au"]["AU1"]["n_subjects"] == 2
