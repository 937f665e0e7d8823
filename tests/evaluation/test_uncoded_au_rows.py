"""AU tasks leave out the rows with no AU coded, as the emotion task leaves out unlabelled ones."""

import warnings

import numpy as np
import pytest

from aufeat.cli._bench_report import write_outputs
from aufeat.datasets import FaceDataset, make_synthetic_faces
from aufeat.evaluation.runner import evaluate
from aufeat.features.geometry import extract_geometry


@pytest.fixture(scope="module")
def half_coded():
    """8 people x 10 images; p4-p7 have no AU coded, and p6, p7 no face (NaN rows) either."""
    rng = np.random.default_rng(0)
    subject = np.repeat([f"p{i}" for i in range(8)], 10)
    aus = rng.integers(0, 2, (80, 2)).astype(float)
    aus[np.isin(subject, ["p4", "p5", "p6", "p7"])] = np.nan
    aus[3] = [np.nan, 1.0]  # partly coded: a normal row, kept
    X = rng.normal(size=(80, 4))
    X[:, :2] += np.nan_to_num(aus) * 2
    X[np.isin(subject, ["p6", "p7"])] = np.nan
    ds = FaceDataset(images=np.zeros((80, 4, 4), np.uint8), subject=subject, aus=aus,
                     au_names=["AU1", "AU12"], name="half")
    return ds, X


def test_targets_keep_the_rows_with_an_au_coded(half_coded):
    ds, _ = half_coded
    for task in ("au-occurrence", "au-intensity"):
        _, keep, _ = ds.targets(task)
        assert keep.tolist() == (np.arange(80) < 40).tolist()  # row 3 (one AU coded) included


@pytest.mark.parametrize("task", ["au-occurrence", "au-intensity"])
def test_rows_without_an_au_coded_are_not_evaluated(half_coded, tmp_path, task):
    ds, X = half_coded
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = evaluate(ds, X, model="logreg" if task == "au-occurrence" else "ridge",
                          task=task, protocol="loso")
    # before: 80 samples of 8 people, 20 of them "without a face, scored as errors"
    assert (result.n_samples, result.n_subjects, result.coverage) == (40, 4, 1.0)
    assert [f["n_test"] for f in result.per_fold] == [10] * 4
    assert result.metrics["intervals"]["n_subjects"] == 4
    if task == "au-occurrence":
        write_outputs([(task, [result])], tmp_path)
        report = (tmp_path / "report.md").read_text()
        assert "40 samples, 4 subjects; faces found in 100.0% (0 without a face" in report


def test_a_data_set_with_no_au_coded_is_refused_for_au_tasks():
    ds = FaceDataset(images=np.zeros((4, 4, 4), np.uint8), subject=["a", "a", "b", "b"],
                     aus=np.full((4, 2), np.nan), au_names=["AU1", "AU12"],
                     emotion=["happiness", "sadness"] * 2, name="blank")
    with pytest.raises(ValueError, match=r"'blank' has no AU coded in any image.*'emotion'"):
        ds.targets("au-occurrence")
    assert ds.targets("emotion")[1].all()


def test_cross_leaves_out_rows_coding_none_of_the_shared_aus():
    train = make_synthetic_faces(n_subjects=4, n_per_subject=10, random_state=1)
    test = make_synthetic_faces(n_subjects=3, n_per_subject=10, random_state=7)
    test.subject = np.char.add("other-", test.subject)
    shared = list(train.au_names[:2])
    train.aus = np.asarray(train.aus, dtype=float).copy()
    train.aus[:10, :2] = np.nan  # person 1 codes only AUs the test set does not name
    test = test[np.arange(len(test))]
    test.aus, test.au_names = np.asarray(test.aus, dtype=float)[:, :2].copy(), shared
    test.aus[20:] = np.nan  # the third test person: nothing coded
    result = evaluate(train, extract_geometry(train.meta["landmarks"]), model="logreg",
                      task="au-occurrence", protocol="cross:other", target=test,
                      target_X=extract_geometry(test.meta["landmarks"]), n_bootstrap=0)
    assert (result.per_fold[0]["n_train"], result.per_fold[0]["n_test"]) == (30, 20)
    assert (result.n_samples, result.n_subjects) == (50, 5)

    test.aus, test.au_names = np.column_stack([test.aus[:, :1] * np.nan, np.ones(30)]), \
        [shared[0], "AU99"]  # coded, but only in an AU the training set does not name
    with pytest.raises(ValueError, match="'synthetic' codes none of the AUs both data sets "
                                         r"name \(AU1\) in any image"):
        evaluate(train, extract_geometry(train.meta["landmarks"]), model="logreg",
                 task="au-occurrence", protocol="cross:other", target=test,
                 target_X=extract_geometry(test.meta["landmarks"]), n_bootstrap=0)
