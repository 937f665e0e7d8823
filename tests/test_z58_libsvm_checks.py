"""load_model refuses libsvm models (SVC, SVR, ...) and brute-force neighbours with bad arrays.

libsvm follows ``_n_support``, ``_dual_coef_``, ``_intercept_``, ``support_vectors_`` and
``_probA`` / ``_probB`` by the counts it is given, without bounds checks: a file made of
trusted types only could crash the process (SIGSEGV) or read memory it does not own.
Genuine models still load and predict exactly as before.
"""

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC, SVR, NuSVC, NuSVR, OneClassSVM

from aufeat.estimators import load_model, save_model
from aufeat.estimators._model_checks import check_arrays
from aufeat.estimators.persistence import UntrustedModelError

rng = np.random.default_rng(0)
X = rng.normal(size=(60, 4))
y3 = np.arange(60) % 3
y2 = np.where(X[:, 0] > 0, "smile", "calm")

GENUINE = {
    "svc-rbf-3": lambda: SVC().fit(X, y3),
    "svc-linear-2": lambda: SVC(kernel="linear").fit(X, y2),
    "svc-precomputed": lambda: SVC(kernel="precomputed").fit(X @ X.T, y3),
    "svr": lambda: SVR().fit(X, X[:, 0]),
}


@pytest.mark.parametrize("name", GENUINE)
def test_saved_libsvm_models_load_and_predict_as_before(tmp_path, name):
    model = GENUINE[name]()
    data = X @ X.T if name == "svc-precomputed" else X
    back = load_model(save_model(model, tmp_path / "m.skops"))
    np.testing.assert_array_equal(back.predict(data), model.predict(data))
    if hasattr(model, "decision_function"):
        np.testing.assert_array_equal(back.decision_function(data),
                                      model.decision_function(data))


def test_svc_with_probabilities_loads_and_predicts_as_before(tmp_path):
    with pytest.warns(FutureWarning):  # scikit-learn 1.9 deprecates probability=True
        model = SVC(probability=True, random_state=0).fit(X, y3)
    back = load_model(save_model(model, tmp_path / "m.skops"))
    np.testing.assert_array_equal(back.predict_proba(X), model.predict_proba(X))


@pytest.mark.parametrize("model", [NuSVC().fit(X, y3), NuSVR().fit(X, X[:, 0]),
                                   OneClassSVM().fit(X)], ids=["nusvc", "nusvr", "oneclass"])
def test_every_libsvm_type_is_checked(model):
    # types TRUSTED_TYPES does not list yet are checked by the same walk
    check_arrays(model)  # a genuine model passes
    model._dual_coef_ = np.ascontiguousarray(model._dual_coef_[:, :1])
    with pytest.raises(ValueError, match="dual coefficients"):
        check_arrays(model)


def _cut_dual(m):
    m._dual_coef_ = np.ascontiguousarray(m._dual_coef_[:, :1])
    m.dual_coef_ = m._dual_coef_


def _many_classes(m):  # the sum still equals the number of support vectors
    n = len(m.support_)
    m._n_support = np.array([0] * 998 + [n - n // 2, n // 2], np.int32)


def _negative(m):
    m._n_support = np.array([len(m.support_) + 3, -3], np.int32)


def _narrow_vectors(m):
    m.support_vectors_ = np.ascontiguousarray(m.support_vectors_[:, :1])


def _no_intercept(m):
    m._intercept_ = np.zeros(0)
    m.intercept_ = m._intercept_


def _short_probabilities(m):
    m._probA = np.zeros(1)
    m._probB = np.zeros(1)


def _other_impl(m):
    m._impl = "epsilon_svr"


def _more_vectors(m):
    m.support_vectors_ = np.zeros((len(m.support_) + 5, X.shape[1]))


CRAFTED_SVC = {
    "dual_coef_ cut to 1 column": (_cut_dual, "dual coefficients"),
    "_n_support of 1000 classes": (_many_classes, "support vector counts"),
    "negative support count": (_negative, "support vector counts"),
    "support_vectors_ of 1 column": (_narrow_vectors, "support vectors have shape"),
    "more vectors than indices": (_more_vectors, "support vectors have shape"),
    "empty _intercept_": (_no_intercept, "intercepts"),
    "probabilities of 1 pair for 3": (_short_probabilities, "probability"),
    "solver of a regressor": (_other_impl, "libsvm"),
}


@pytest.mark.parametrize(("change", "message"), CRAFTED_SVC.values(), ids=CRAFTED_SVC.keys())
def test_crafted_svc_is_refused(tmp_path, change, message):
    model = SVC().fit(X, y3)
    change(model)
    with pytest.raises(UntrustedModelError, match=f"damaged or crafted: .*{message}"):
        load_model(save_model(model, tmp_path / "crafted.skops"))


def test_precomputed_svc_indexing_past_its_training_samples_is_refused(tmp_path):
    model = SVC(kernel="precomputed").fit(X @ X.T, y3)
    model.support_ = model.support_.copy()
    model.support_[0] = 10**6  # libsvm reads column support_[i] of each kernel row
    with pytest.raises(UntrustedModelError, match="support indices"):
        load_model(save_model(model, tmp_path / "crafted.skops"))


def test_crafted_svr_is_refused(tmp_path):
    model = SVR().fit(X, X[:, 0])
    model._n_support = np.array([0, 0, 0], np.int32)  # 3 "classes": 3 intercepts read
    with pytest.raises(UntrustedModelError, match="support vector counts"):
        load_model(save_model(model, tmp_path / "crafted.skops"))


def test_brute_force_neighbours_narrower_than_the_model_are_refused(tmp_path):
    model = KNeighborsClassifier(algorithm="brute").fit(X, y3)
    model._fit_X = np.ascontiguousarray(model._fit_X[:, :1])  # rows read X's width
    with pytest.raises(UntrustedModelError, match="neighbours model"):
        load_model(save_model(model, tmp_path / "crafted.skops"))


def test_svc_that_crashed_the_process_is_refused_without_a_crash(tmp_path):
    # the reviewer's file: 1000 classes, 998 empty; predict made libsvm read ~800 MB past
    # a 1-row dual_coef_ (SIGSEGV). Run in a child process: a crash must not kill pytest.
    code = textwrap.dedent("""
        import sys
        import numpy as np
        from sklearn.svm import SVC
        from aufeat.estimators import load_model, save_model
        X = np.array([[0., 0.], [0., 1.], [1., 0.], [1., 1.]] * 3)
        m = SVC(kernel="linear").fit(X, np.array([0, 0, 1, 1] * 3))
        n = 100_000
        m.support_vectors_ = np.zeros((n, 2)); m.support_ = np.arange(n, dtype=np.int32)
        m._n_support = np.array([0] * 998 + [n // 2, n // 2], np.int32)
        m._dual_coef_ = np.ones((1, n)); m.dual_coef_ = m._dual_coef_
        path = save_model(m, sys.argv[1])
        try:
            print("predicted", load_model(path).predict(np.array([[0.2, 0.3]])))
        except ValueError as err:
            print(type(err).__name__, err); sys.exit(2)
    """)
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path / "crafted.skops")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr[-2000:])
    assert run.stdout.startswith("UntrustedModelError")
    assert "damaged or crafted" in run.stdout
    assert "support vector counts" in run.stdout


def test_crafted_svc_is_refused_by_aufeat_predict(tmp_path):
    import cv2

    model = SVC().fit(X, y3)
    _cut_dual(model)
    crafted = save_model(model, tmp_path / "crafted.skops")
    image = tmp_path / "face.png"
    cv2.imwrite(str(image), np.zeros((20, 20), np.uint8))
    run = subprocess.run([sys.executable, "-m", "aufeat.cli.main", "predict", str(crafted),
                          str(image), "--out", str(tmp_path / "pred.csv")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 2, (run.returncode, run.stderr[-2000:])
    assert "damaged or crafted" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
