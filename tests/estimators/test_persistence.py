"""save_model's errors name the paths the user gave."""

import numpy as np
import pytest

from aufeat.estimators import AUClassifier, save_model


@pytest.mark.parametrize("name", ["model.skops", "model.keras"])
def test_saving_into_a_missing_folder_names_that_folder(tmp_path, name):
    X = np.random.default_rng(0).normal(size=(20, 3))
    model = AUClassifier("logreg").fit(X, (X[:, 0] > 0).astype(int))
    folder = tmp_path / "no_such_folder"
    with pytest.raises(FileNotFoundError, match="create it") as caught:
        save_model(model, folder / name)
    assert str(folder) in str(caught.value)
    assert ".tmp" not in str(caught.value)
    assert not folder.exists()
