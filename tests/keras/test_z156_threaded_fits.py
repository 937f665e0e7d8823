"""Keras fits in threads at once give each the network its seed gives.

The seeds are global to the process: ``evaluate`` of a seeded Keras model under joblib's
threading backend ran its folds' fits at once, each reseeding the others' sequence, and
its accuracy changed from run to run (0.25, 0.25, 0.17 against 0.18 in one process).
"""

import warnings

import joblib
import numpy as np

import aufeat
from aufeat.keras import KerasMLPClassifier


def test_threaded_folds_of_a_seeded_keras_model_equal_the_serial_ones():
    data = aufeat.make_synthetic_faces(n_subjects=6, n_per_subject=8, size=64, random_state=0)
    X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16)).astype(np.float32)
    model = KerasMLPClassifier(random_state=0, epochs=3, patience=2)

    def run(n_jobs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return aufeat.evaluate(data, X, model=model, protocol="group-kfold:3",
                                   n_jobs=n_jobs, keep_predictions=True).predictions["scores"]

    serial = run(1)
    with joblib.parallel_backend("threading", n_jobs=3):
        threaded = run(3)
    np.testing.assert_array_equal(threaded, serial)
