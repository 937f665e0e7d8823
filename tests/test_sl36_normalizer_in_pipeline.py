"""SL36 F2: PersonNormalizer's refusal of a row partly NaN, met inside evaluate's folds.

Images in, a FeatureUnion of geometry (NaN where dlib finds no face) and HOG (always
computed): rows partly NaN reach PersonNormalizer inside the pipeline. The fold message
used to blame the pipeline's last step ("LinearSVC failed"), which never ran, and the
advice to add an imputer did not say where: the refusal names PersonNormalizer and says
to impute before it, and the fold names the whole pipeline.
"""

import warnings

import numpy as np
import pytest
from sklearn.impute import SimpleImputer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from aufeat import make_synthetic_faces
from aufeat.estimators import GeometryExtractor, HOGExtractor, PersonNormalizer
from aufeat.evaluation import evaluate


def test_the_fold_names_the_pipeline_and_the_refusal_names_its_step():
    data = make_synthetic_faces(n_subjects=4, n_per_subject=6, size=48, random_state=0)
    X = data.load_images().mean(axis=-1).astype(np.uint8)

    def model(*steps):
        union = FeatureUnion([("geo", GeometryExtractor(detect=True)), ("hog", HOGExtractor())])
        return Pipeline([("features", union), *steps, ("svc", LinearSVC())])

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="partly NaN") as err:
            evaluate(data, X, model=model(("norm", PersonNormalizer()), ("imp", SimpleImputer())),
                     protocol="group-kfold:2", n_bootstrap=0)
        message = str(err.value)
        assert message.startswith("a Pipeline ending in LinearSVC failed on a fold with ")
        assert ": PersonNormalizer: " in message
        assert "impute before PersonNormalizer (e.g. a SimpleImputer ahead of it)" in message
        # imputing first, as the message says, runs
        result = evaluate(data, X, model=model(("imp", SimpleImputer()),
                                               ("norm", PersonNormalizer())),
                          protocol="group-kfold:2", n_bootstrap=0)
    assert 0 <= result.metrics["accuracy"] <= 1
