"""evaluate with AU models whose au_names are nested, respelled or a str (SL8 F2, F5)."""

import warnings

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import aufeat
from aufeat.estimators import AUClassifier, FaceModel


def _dataset(aus, n=40):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 4))
    images = rng.integers(0, 255, (n, 4, 4)).astype(np.uint8)
    subjects = np.repeat([f"s{i}" for i in range(4)], n // 4)
    labels = np.column_stack([(X[:, 0] > 0), np.zeros(n)])[:, :len(aus)].astype(float)
    return aufeat.FaceDataset(images=images, subject=subjects, aus=labels, au_names=aus,
                              name="A"), X


def _evaluate(data, X, model):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return aufeat.evaluate(data, X, model=model, task="au-occurrence", n_bootstrap=0,
                               protocol="group-kfold:2")


@pytest.mark.parametrize("names", [["AU06", "AU12"], ["au6", "au12"], ["AU6", "AU25"]])
def test_as_many_other_names_rename_the_labels_in_order_as_before(names):
    data, X = _dataset(["AU6", "AU12"])
    result = _evaluate(data, X, AUClassifier("logreg", au_names=names))
    preset = _evaluate(data, X, "logreg")
    assert list(result.metrics["per_au"]) == ["AU6", "AU12"]
    assert result.metrics["per_au"]["AU6"] == preset.metrics["per_au"]["AU6"]  # AU12: NaN
    assert any(w.startswith(f"{names[1]}: only class") for w in result.warnings)


def test_an_evaluated_au_at_another_position_among_other_names_is_refused():
    data, X = _dataset(["AU6", "AU12"])
    with pytest.raises(ValueError, match=r"AU12 of the AUs evaluated.*at other positions"):
        _evaluate(data, X, AUClassifier("logreg", au_names=["AU12", "AU06"]))


def test_a_str_au_names_is_one_name():
    data, X = _dataset(["AU6"])
    result = _evaluate(data, X, AUClassifier("logreg", au_names="AU6"))
    assert list(result.metrics["per_au"]) == ["AU6"]
    assert result.metrics["per_au"] == _evaluate(data, X, "logreg").metrics["per_au"]


def test_a_nested_au_model_without_names_is_named_by_the_evaluated_aus():
    data, X = _dataset(["AU6", "AU12"])
    model = FaceModel(make_pipeline(StandardScaler(), AUClassifier("logreg")), normalize="none")
    result = _evaluate(data, X, model)
    constant = [w for w in result.warnings if "only class" in w]
    assert constant
    assert all(w.startswith("AU12:") for w in constant)  # not output1
    assert model.get_params()["estimator__auclassifier__au_names"] is None
