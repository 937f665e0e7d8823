"""Z137 F1: ``benchmarks/real_faces.py --features-npz`` keys its file by the code that
computed the features: a file of other code is computed again, never scored as this code's.

The script's functions run on a tiny real manifest (synthetic faces written as PNG files
with their CSV into ``tmp_path``), as in ``test_z121_real_faces.py``.
"""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

import aufeat
from aufeat.cli._bench_cache import code_digest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "real_faces.py"


@pytest.fixture(scope="module")
def real_faces():
    spec = importlib.util.spec_from_file_location("real_faces_z137", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def first_run(tmp_path_factory, real_faces):
    """A film3 manifest of 3 faces, and the features file a first run wrote for it."""
    folder = tmp_path_factory.mktemp("z137_real_faces")
    data = aufeat.make_synthetic_faces(n_subjects=1, n_per_subject=3, size=48, random_state=0)
    datasets = {"film3": aufeat.load_manifest(data.to_manifest(folder / "film3.csv"),
                                              name="film3")}
    npz = folder / "feats.npz"
    feats = real_faces.cached_features(datasets, "hog", npz, lambda line: None)
    with np.load(npz) as f:
        stored = {key: f[key] for key in f.files}
    return datasets, feats, stored


def _rewrite(path, stored, **changes):
    """Write ``stored`` with ``changes`` (None drops a key) as a features file, and stale
    features (all 7) in place of the computed ones."""
    arrays = {**stored, "film3_best": np.full_like(stored["film3_best"], 7.0),
              "film3_naive": np.full_like(stored["film3_naive"], 7.0), **changes}
    with open(path, "wb") as f:
        np.savez(f, **{k: v for k, v in arrays.items() if v is not None})


def _other_code(stored) -> np.ndarray:
    key = json.loads(str(stored["feature_code"]))
    key["aufeat code"] = "0" * 40  # as aufeat's source was at another commit
    return np.array(json.dumps(key, sort_keys=True))


@pytest.mark.parametrize("change", ["other aufeat code", "other script", "other scikit-image",
                                    "no key"])
def test_features_of_other_code_are_computed_again(first_run, real_faces, tmp_path, change):
    datasets, feats, stored = first_run
    npz = tmp_path / "feats.npz"
    if change == "other aufeat code":
        _rewrite(npz, stored, feature_code=_other_code(stored), commit=np.array("abd88f0"))
    elif change == "other script":  # SL37 F2: real_faces.py's own features (naive, options)
        key = json.loads(str(stored["feature_code"]))
        key["real_faces.py"] = "0" * 8
        _rewrite(npz, stored, feature_code=np.array(json.dumps(key)), commit=np.array("abd88f0"))
    elif change == "other scikit-image":
        key = json.loads(str(stored["feature_code"]))
        key["scikit-image"] = "0.19.3"
        _rewrite(npz, stored, feature_code=np.array(json.dumps(key)))
    else:  # a file written before the key was kept: detector and paths only
        _rewrite(npz, stored, feature_code=None, commit=None)
    lines = []
    read = real_faces.cached_features(datasets, "hog", npz, lines.append)
    for now, first in zip(read["film3"][:2], feats["film3"][:2], strict=True):
        assert not np.any(now == 7.0)  # the stale features are not scored
        np.testing.assert_array_equal(now, first)
    note = next(line for line in lines if "computed by other code" in line)
    assert str(npz) in note
    assert {"other aufeat code": "aufeat code of commit abd88f0",
            "other script": "real_faces.py of commit abd88f0",
            "other scikit-image": "scikit-image 0.19.3, now",
            "no key": "records no code key"}[change] in note
    with np.load(npz) as f:  # rewritten with this code's key: the next run reads it
        assert str(f["feature_code"]) == str(stored["feature_code"])
        assert not np.any(f["film3_best"] == 7.0)
    again = []
    real_faces.cached_features(datasets, "hog", npz, again.append)
    assert again == [f"  features read from {npz} (detector hog)"]


def test_the_file_records_the_code_and_commit_that_computed_it(first_run, real_faces):
    _, _, stored = first_run
    assert json.loads(str(stored["feature_code"])) == real_faces.feature_code()
    assert str(stored["commit"]) == real_faces._commit()
    assert real_faces.feature_code()["aufeat code"] == code_digest()
