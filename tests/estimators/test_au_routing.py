"""AUClassifier's ``groups`` reach its ``fit`` inside a Pipeline: by step name, or by routing.

``groups`` only change the threshold-tuning folds (subject-disjoint), so every test
compares the tuned thresholds with those of a direct ``fit`` with and without groups;
the data are built so that the two differ.
"""

import numpy as np
import pytest
import sklearn
from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.model_selection import GroupKFold, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from aufeat import make_synthetic_faces
from aufeat.estimators import HOGExtractor
from aufeat.estimators.au import AUClassifier
from aufeat.face import FaceAligner


def _au(**fit_request):
    model = AUClassifier("logreg", tune_thresholds=True, random_state=0)
    return model.set_fit_request(**fit_request) if fit_request else model


@pytest.fixture
def people():
    """90 rows of 6 people, each with their own offset; two binary AUs."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 5))
    groups = np.repeat(np.arange(6), 15)
    X += groups[:, None] * 0.3 * rng.normal(size=5)
    Y = np.column_stack([X[:, 0] + rng.normal(scale=0.8, size=90) > 0,
                         X[:, 1] + rng.normal(scale=0.8, size=90) > 0.7]).astype(int)
    return X, Y, groups


def _thresholds(X, Y, groups=None):
    """Thresholds of a direct fit on the scaled features, as the pipelines below see them."""
    return _au().fit(StandardScaler().fit_transform(X), Y, groups=groups).thresholds_


def _pipeline(au):
    return Pipeline([("scale", StandardScaler()), ("au", au)])


def test_groups_change_the_tuned_thresholds(people):
    X, Y, groups = people
    assert _thresholds(X, Y, groups) != _thresholds(X, Y)


def test_a_pipeline_passes_groups_by_step_name(people):
    X, Y, groups = people
    fitted = _pipeline(_au()).fit(X, Y, au__groups=groups)
    assert fitted[-1].thresholds_ == _thresholds(X, Y, groups)
    assert _pipeline(_au()).fit(X, Y)[-1].thresholds_ == _thresholds(X, Y)


def test_metadata_routing_delivers_requested_groups(people):
    X, Y, groups = people
    with sklearn.config_context(enable_metadata_routing=True):
        model = AUClassifier("logreg", tune_thresholds=True, random_state=0)
        assert model.set_fit_request(groups=True) is model  # generated from fit's signature
        assert model.get_metadata_routing().fit.requests == {"groups": True}
        fitted = _pipeline(model).fit(X, Y, groups=groups)
        assert fitted[-1].thresholds_ == _thresholds(X, Y, groups)
        with pytest.raises(UnsetMetadataPassedError, match="groups"):
            _pipeline(_au()).fit(X, Y, groups=groups)  # neither requested nor declined


def test_routed_groups_drive_both_the_outer_folds_and_the_inner_tuning(people):
    X, Y, groups = people
    with sklearn.config_context(enable_metadata_routing=True):
        result = cross_validate(_pipeline(_au(groups=True)), X, Y, cv=GroupKFold(n_splits=3),
                                params={"groups": groups}, return_estimator=True,
                                return_indices=True)
    for model, train, test in zip(result["estimator"], result["indices"]["train"],
                                  result["indices"]["test"], strict=True):
        assert not set(groups[train]) & set(groups[test])
        assert model[-1].thresholds_ == _thresholds(X[train], Y[train], groups[train])


def test_routing_through_a_pipeline_that_starts_from_images():
    data = make_synthetic_faces(n_subjects=6, n_per_subject=6, size=112, aus=[6, 12],
                                random_state=2)  # a face in each of the 36 images
    images, Y, groups = data.load_images(), (data.aus > 0).astype(int), data.subject
    aligner = FaceAligner(size=48, gray=True, on_missing="nan")
    features = HOGExtractor().transform(aligner.transform(images))
    expected = _au().fit(features, Y, groups=groups).thresholds_
    assert expected != _au().fit(features, Y).thresholds_
    with sklearn.config_context(enable_metadata_routing=True):
        pipeline = Pipeline([("align", aligner), ("hog", HOGExtractor()),
                             ("au", _au(groups=True))])
        fitted = pipeline.fit(images, Y, groups=groups)
        assert fitted[-1].thresholds_ == expected
        assert fitted.predict(images[:4]).shape == (4, 2)
