"""A missing split cell (None, NaN, pandas.NA) is refused however the column is given."""

import numpy as np
import pandas as pd
import pytest

from aufeat.evaluation.protocols import make_splits, split_names, validation_fold
from aufeat.exceptions import ProtocolError

SUBJECTS = ["a", "a", "b", "b", "c", "c"]


@pytest.mark.parametrize("split", [
    ["train", "train", "test", "test", None, None],
    ["train", "train", "test", "test", np.nan, np.nan],
    pd.array(["train", "train", "test", "test", pd.NA, pd.NA], dtype="string"),
    pd.Series(["train", "train", "test", "test", None, None], dtype="string"),
    np.asarray(pd.Series(["train", "train", "test", "test", None, None], dtype="string")),
    pd.Series(["train", "train", "test", "test", np.nan, np.nan], dtype=object),
], ids=["list-None", "list-nan", "StringArray", "string-Series", "its-array", "object-nan"])
def test_a_missing_split_cell_is_refused_not_read_as_test(split):
    with pytest.raises(ProtocolError, match=r"2 row\(s\) have no split \(the first: row 4"):
        make_splits("split", SUBJECTS, split)
    with pytest.raises(ProtocolError, match="have no split"):
        split_names(split)
    with pytest.raises(ProtocolError, match="have no split"):
        validation_fold(SUBJECTS, split)


def test_the_text_nan_is_still_a_split_name():
    # a cell written 'nan' is a name (of a test split), as any other text
    names = split_names(np.array(["train", "nan"]))
    assert names.tolist() == ["train", "nan"]
