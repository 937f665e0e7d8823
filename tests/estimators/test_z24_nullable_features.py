"""FaceModel on a nullable-dtype DataFrame whose "no face" rows are pandas.NA."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aufeat.estimators import FaceModel


def test_na_rows_of_a_nullable_frame_are_faceless_rows():
    rng = np.random.default_rng(0)
    plain = pd.DataFrame(rng.normal(size=(20, 3)), columns=list("abc"))
    plain.iloc[2] = np.nan  # no face in item 2
    nullable = plain.astype("Float64")
    assert nullable.iloc[2].isna().all()
    y = np.tile(["smile", "frown"], 10)
    expected = FaceModel(normalize="none").fit(plain, y)
    model = FaceModel(normalize="none").fit(nullable, y)
    assert model.n_missing_fit_ == 1
    np.testing.assert_array_equal(model.predict(nullable), expected.predict(plain))
    assert model.predict(nullable)[2] == ""
    np.testing.assert_array_equal(expected.predict(nullable), expected.predict(plain))
