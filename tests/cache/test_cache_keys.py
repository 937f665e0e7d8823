"""Cache keys: what identifies an extractor, and keys that must never change."""

import functools

import numpy as np
import pytest
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from aufeat.cache import FeatureCache
from aufeat.cache.keys import _describe, extractor_identity, store_dirname
from aufeat.estimators import HOGExtractor, LBPExtractor
from aufeat.estimators.geometry import GeometryExtractor
from aufeat.face import FaceAligner
from aufeat.features.hog import extract_hog


def _key(extractor, dtype=None):
    return store_dirname(extractor_identity(extractor, dtype))


def flip(batch):
    return batch[:, :, ::-1]


def test_keys_of_existing_caches_never_change(monkeypatch):
    # computed by aufeat before callables were checked: users' caches keep their folders
    # unless aufeat's image reader changed (READER_VERSION): pinned at the version then
    import aufeat.cache.keys as keys

    reader_now = _key(HOGExtractor())
    monkeypatch.setattr(keys, "READER_VERSION", 3)
    assert reader_now != _key(HOGExtractor())  # READER_VERSION 4: recomputed, as it must be
    assert _key(HOGExtractor()) == "hog-c66c534be2e588af5e40"
    assert _key(HOGExtractor(), "float32") == "hog-6d163110f5b9e81b6570"
    lbp = LBPExtractor(n_points=(8, 16), radius=(1, 2), grid=[7, 7])
    assert _key(lbp) == "lbp-cf6775112e5e4e26f476"
    geometry_now = _key(GeometryExtractor(model_dir="models"))
    monkeypatch.setattr(GeometryExtractor, "feature_version", 1)  # its version then
    assert _key(GeometryExtractor(model_dir="models")) == "geometry-9c6bf6458c171d28b5ed"
    assert geometry_now != _key(GeometryExtractor(model_dir="models"))  # version 2: recomputed
    pipeline = Pipeline([("align", FaceAligner(size=48, gray=True, model_dir="models")),
                         ("hog", HOGExtractor(pixels_per_cell=(16, 16)))])
    current = _key(pipeline)
    monkeypatch.setattr(FaceAligner, "feature_version", 2)  # the aligner's version then,
    own = FaceAligner.get_params  # and its parameters then (crop_fit_error came at version 5)
    monkeypatch.setattr(FaceAligner, "get_params", lambda self, deep=True: {
        k: v for k, v in own(self, deep).items() if k != "crop_fit_error"})
    assert _key(pipeline) == "facealigner+hog-d99c79bdf6b95f11d268"
    assert current != _key(pipeline)  # crops changed since: their features are recomputed
    described = [_describe(f) for f in (np.sqrt, np.clip, abs, np.asarray,
                                         StandardScaler, FaceAligner, str, str.lower)]
    assert described == ["numpy.sqrt", "numpy.clip", "builtins.abs", "numpy.asarray",
                         "sklearn.preprocessing._data.StandardScaler",
                         "aufeat.face.aligner.FaceAligner", "builtins.str", "?.str.lower"]
    # a Python function: its name and its code (two scripts' __main__.prep differ)
    assert _describe(extract_hog)["function"] == "aufeat.features.hog.extract_hog"


def test_named_functions_give_different_keys():
    a = make_pipeline(FunctionTransformer(flip), HOGExtractor())
    b = make_pipeline(FunctionTransformer(np.sqrt), HOGExtractor())
    assert _key(a) != _key(b)
    assert _key(a) == _key(make_pipeline(FunctionTransformer(flip), HOGExtractor()))


def _scaler(k):
    def scale(batch):
        return batch * k
    return scale


class _Scale:
    def __init__(self, k):
        self.k = k

    def __call__(self, batch):
        return batch * self.k

    def apply(self, batch):
        return batch * self.k


@pytest.mark.parametrize("func", [
    lambda b: b[:, :, ::-1],
    _scaler(0.5),
    _Scale(0.5).apply,
    _Scale(0.5),
    functools.partial(np.multiply, 0.5),
], ids=["lambda", "closure", "bound-method", "callable-object", "partial"])
def test_callables_their_name_does_not_identify_are_refused(func):
    # two lambdas (or closures of one factory, or methods of two objects) share a name:
    # keyed on it, the second would be served the first's features
    with pytest.raises(TypeError, match="use a named module-level function"):
        extractor_identity(make_pipeline(FunctionTransformer(func), HOGExtractor()))


def test_a_cache_refuses_a_lambda_instead_of_serving_another_ones_features(tmp_path):
    X = np.random.default_rng(0).random((3, 32, 32))
    cache = FeatureCache(tmp_path / "cache")
    flipped = make_pipeline(FunctionTransformer(lambda b: b[:, :, ::-1]), HOGExtractor())
    with pytest.raises(TypeError, match="lambda"):
        cache.features(X, flipped, progress=False)
    np.testing.assert_array_equal(
        cache.features(X, make_pipeline(FunctionTransformer(flip), HOGExtractor()),
                       progress=False),
        HOGExtractor().transform(X[:, :, ::-1]))


def test_a_path_parameter_is_keyed_as_the_same_string(tmp_path):
    # FaceAligner and GeometryExtractor take model_dir as str or os.PathLike
    from pathlib import Path

    assert _key(GeometryExtractor(model_dir=Path("models"))) == _key(
        GeometryExtractor(model_dir="models"))  # pinned in test_keys_of_existing_caches_...
    aligned = [Pipeline([("align", FaceAligner(size=48, gray=True, model_dir=d)),
                         ("hog", HOGExtractor(pixels_per_cell=(16, 16)))])
               for d in (Path("models"), "models")]
    assert _key(aligned[0]) == _key(aligned[1])
    assert _key(GeometryExtractor(model_dir=Path("other"))) != _key(
        GeometryExtractor(model_dir=Path("models")))
