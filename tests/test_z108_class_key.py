"""A user's transformer class is keyed on its code, as a function is; aufeat's are not.

Every class of a script or notebook is ``__main__.<name>``: two scripts that each define
their own ``Prep`` (or one edited between runs) and share a cache must each get their own
features. aufeat's and scikit-learn's classes keep their keys (name, ``feature_version``
and parameters), so the features cached for them stay found.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from aufeat import FaceAligner
from aufeat.cache.keys import _describe, extractor_identity, store_dirname
from aufeat.estimators import FaceFeatures, HOGExtractor
from aufeat.estimators.extractors import FHOGExtractor, GaborExtractor, LBPExtractor
from aufeat.estimators.geometry import GeometryExtractor

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import json, sys
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from aufeat.cache import FeatureCache

class Prep(TransformerMixin, BaseEstimator):  # this script's own feature step
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        X = np.asarray(X, float).reshape(len(X), -1)
        return np.c_[X.{body}(axis=1), X.std(axis=1)]

images = np.random.default_rng(0).integers(0, 256, (4, 16, 16), dtype=np.uint8)
cache = FeatureCache(sys.argv[1])
X = cache.features(images, Prep(), progress=False)
print(json.dumps({{"own": bool(np.array_equal(X, Prep().transform(images))),
                   "computed": cache.last_fill.n_computed}}))
"""


def _run(path: Path, cache: Path, body: str, seed: str = "0") -> dict:
    path.write_text(SCRIPT.format(body=body))
    env = dict(os.environ, PYTHONHASHSEED=seed)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    out = subprocess.run([sys.executable, str(path), str(cache)], env=env, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


def test_two_scripts_defining_their_own_prep_class_get_their_own_features(tmp_path):
    cache = tmp_path / "cache"
    assert _run(tmp_path / "a.py", cache, "mean") == {"own": True, "computed": 4}
    assert _run(tmp_path / "b.py", cache, "max") == {"own": True, "computed": 4}


def test_the_same_class_in_another_process_keeps_its_key(tmp_path):
    cache = tmp_path / "cache"
    assert _run(tmp_path / "a.py", cache, "mean", seed="1") == {"own": True, "computed": 4}
    assert _run(tmp_path / "c.py", cache, "mean", seed="2") == {"own": True, "computed": 0}


def _local_prep(scale):
    class Prep(TransformerMixin, BaseEstimator):
        if scale == 1:
            def transform(self, X):
                return np.asarray(X, float).reshape(len(X), -1)
        else:
            def transform(self, X):
                return 2 * np.asarray(X, float).reshape(len(X), -1)
    return Prep()


def test_local_classes_of_one_name_and_other_code_get_two_keys():
    one, two = _local_prep(1), _local_prep(2)
    assert type(one).__qualname__ == type(two).__qualname__
    assert store_dirname(extractor_identity(one)) != store_dirname(extractor_identity(two))
    assert store_dirname(extractor_identity(one)) == \
        store_dirname(extractor_identity(_local_prep(1)))


def _legacy(value):
    """An estimator described as before user classes were keyed on their code."""
    if hasattr(value, "get_params") and not isinstance(value, type):
        return {"class": f"{type(value).__module__}.{type(value).__qualname__}",
                "feature_version": getattr(value, "feature_version", None),
                "params": {k: _legacy(v) for k, v in value.get_params(deep=False).items()
                           if k != "cache"}}
    if isinstance(value, (list, tuple)):
        return [_legacy(v) for v in value]
    return _describe(value)


def test_aufeat_and_sklearn_classes_keep_their_keys():
    estimators = [
        HOGExtractor(), HOGExtractor(channel_axis=0), LBPExtractor(), GaborExtractor(),
        FHOGExtractor(), GeometryExtractor(), FaceFeatures(),
        Pipeline([("align", FaceAligner()), ("hog", HOGExtractor())]),
        FeatureUnion([("hog", HOGExtractor()), ("lbp", LBPExtractor())]),
        FunctionTransformer(np.sqrt), StandardScaler()]
    for est in estimators:
        assert _describe(est) == _legacy(est)
    assert "code" in _describe(_local_prep(1))
