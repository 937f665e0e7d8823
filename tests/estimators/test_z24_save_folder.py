"""save_model onto an existing folder, load_model of a folder: say so, name no temp file."""

from __future__ import annotations

import pytest

from aufeat.estimators import load_model, make_classifier, save_model


def test_save_model_onto_a_folder_is_refused_up_front(tmp_path):
    (tmp_path / "models").mkdir()
    model = make_classifier("logreg").fit([[0.0], [1.0]], ["a", "b"])
    with pytest.raises(IsADirectoryError, match=r"models is a folder.*models/model\.skops") as err:
        save_model(model, tmp_path / "models")
    assert ".tmp" not in str(err.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["models"]
    assert list((tmp_path / "models").iterdir()) == []
    (tmp_path / "net.keras").mkdir()
    with pytest.raises(IsADirectoryError, match=r"net\.keras is a folder.*model\.keras"):
        save_model(model, tmp_path / "net.keras")


def test_load_model_of_a_folder_says_it_is_a_folder(tmp_path):
    (tmp_path / "models").mkdir()
    with pytest.raises(IsADirectoryError, match="is a folder, not a model file"):
        load_model(tmp_path / "models")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_model(tmp_path / "missing.skops")
