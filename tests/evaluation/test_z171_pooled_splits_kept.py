"""The warning that 'split' tests on several splits pooled is kept in result.warnings.

It was shown once, and missing from results.json and report.md.
"""

import warnings

import numpy as np

import aufeat
from aufeat import FaceDataset


def test_pooled_test_splits_are_warned_and_recorded():
    faces = aufeat.make_synthetic_faces(n_subjects=8, n_per_subject=6, size=48)
    X = aufeat.extract_hog(faces.load_images(), pixels_per_cell=(16, 16))
    subject = np.asarray(faces.subject)
    split = np.where(np.isin(subject, ["syn001", "syn002", "syn003", "syn004", "syn005"]),
                     "train", np.where(subject == "syn006", "test", "holdout"))
    data = FaceDataset(images=faces.load_images(), subject=subject, emotion=faces.emotion,
                       split=split)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = aufeat.evaluate(data, X, model="logreg", protocol="split", n_bootstrap=0)
    shown = [str(w.message) for w in caught if "pooled" in str(w.message)]
    assert len(shown) == 1
    assert shown[0].startswith("protocol 'split' tests on 'holdout' (12 items) and 'test' "
                               "(6 items) pooled")
    assert [w for w in result.warnings if "pooled" in w] == shown
