"""A FaceAligner saved before border/antialias/crop_fit_error existed loads and runs as then."""
import numpy as np
from sklearn.base import clone
from sklearn.pipeline import make_pipeline

from aufeat.estimators.extractors import HOGExtractor
from aufeat.estimators.persistence import load_model, save_model
from aufeat.face import FaceAligner


def test_an_aligner_saved_before_its_newer_parameters(tmp_path):
    params = {"size": 48, "gray": True, "detect": False, "on_missing": "nan",
              "max_fit_error": 0.05}
    pipe = make_pipeline(FaceAligner(**params), HOGExtractor())
    for name in ("crop_fit_error", "border", "antialias"):  # as an aufeat of 12-01 saved it
        del pipe[0].__dict__[name]
    old = load_model(save_model(pipe, tmp_path / "old.skops"))
    then = FaceAligner(**params, crop_fit_error=0.05, border="constant", antialias=False)
    assert old[0].get_params() == then.get_params()
    assert "crop_fit_error" in repr(old[0])
    images = np.random.default_rng(0).integers(0, 255, (2, 64, 64, 3), dtype=np.uint8)
    np.testing.assert_array_equal(old[0].transform(images), then.transform(images))
    expected = make_pipeline(then, HOGExtractor()).transform(images)
    np.testing.assert_array_equal(old.transform(images), expected)
    assert clone(old)[0].get_params() == then.get_params()
