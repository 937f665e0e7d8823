"""``best``'s AU-occurrence model: per-AU thresholds tuned person-wise on training data only."""

import numpy as np
import pytest
from sklearn.metrics import f1_score

from aufeat.estimators import make_face_model


def _people(n_people=16, per_person=25, width=30, seed=0):
    """Features with a strong per-person offset; AU0 common and AU1 rare, both learnable."""
    rng = np.random.default_rng(seed)
    groups = np.repeat(np.arange(n_people), per_person)
    offset = rng.normal(scale=1.0, size=(n_people, width))[groups]
    Y = np.column_stack([rng.random(len(groups)) < 0.4, rng.random(len(groups)) < 0.12])
    X = rng.normal(size=(len(groups), width)) + offset
    X[:, :5] += 2.0 * Y[:, :1]
    X[:, 5:10] += 2.0 * Y[:, 1:]
    X = np.hstack([X, X])  # best's models take [face | mirror] features
    return X, Y.astype(int), groups


def test_best_au_model_tunes_one_threshold_per_au_and_predicts_with_it():
    X, Y, groups = _people()
    train, test = groups < 10, groups >= 10
    model = make_face_model("best", task="au-occurrence", normalize="none",
                            au_names=["AU0", "AU1"]).set_params(blocks=None)
    model.fit(X[train], Y[train], groups=groups[train])
    au_model = model.estimator_
    assert all(t is not None and np.isfinite(t) for t in au_model.thresholds_)
    scores = model.decision_scores(X[test])
    predicted = model.predict(X[test])
    np.testing.assert_array_equal(predicted, (scores >= au_model.thresholds_).astype(int))
    assert f1_score(Y[test, 1], predicted[:, 1]) > 0.6  # the rare AU, on unseen people
    assert f1_score(Y[test, 0], predicted[:, 0]) > 0.8


def test_auto_normalisation_compares_modes_without_tuning_and_keeps_the_tuned_model():
    X, Y, groups = _people(seed=1)
    model = make_face_model("best", task="au-occurrence", au_names=["AU0", "AU1"])
    model.set_params(blocks=None)  # one family here, not best's three
    assert model.normalize == "auto"
    assert model.estimator.tune_thresholds
    assert model._choice_model().tune_thresholds is False
    model.fit(X, Y, groups=groups)
    assert set(model.auto_scores_) == {"none", "person"}
    assert model.normalize_ == "person"  # the per-person offsets dominate these features
    assert model.estimator.tune_thresholds  # the parameter itself is untouched
    assert all(t is not None for t in model.estimator_.thresholds_)


def test_best_takes_its_other_feature_sets_with_their_family_widths_and_refuses_others():
    import pytest

    from aufeat.estimators.feature_sets import block_sizes

    for name in ("best+patches", "fhog+lbp+geometry"):
        model = make_face_model("best", task="au-occurrence", features=name)
        assert model.blocks == block_sizes(name)
    assert block_sizes("fhog+lbp+geometry")[0] == 6 * 6 * 31  # 48-pixel face, 6-pixel cells
    with pytest.raises(ValueError, match="best takes the feature sets"):
        make_face_model("best", features="hog")


def test_best_uses_hog_for_emotions_and_felzenszwalb_hog_for_aus_by_default():
    from aufeat.estimators import make_pipeline
    from aufeat.estimators.feature_sets import block_sizes

    expected = {"emotion": "best", "au-occurrence": "fhog+lbp+geometry",
                "au-intensity": "fhog+lbp+geometry"}
    for task, feature_set in expected.items():
        pipeline = make_pipeline("best", task=task, crops=True, au_names=["AU1"])
        assert pipeline.named_steps["features"].feature_set == feature_set
        assert pipeline.named_steps["model"].blocks == block_sizes(feature_set)
    # an explicit feature set still wins
    pipeline = make_pipeline("best", task="au-occurrence", features="best")
    assert pipeline.named_steps["features"].feature_set == "best"


def test_the_readme_says_what_best_is_for_au_intensity():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## What `best` is")[1].split("\n## ")[0]
    model = make_face_model(task="au-intensity").estimator  # an AURegressor
    lo, hi = model.clip
    assert (f"AU intensity: one ridge regression per AU (alpha={model.estimator.alpha:g}), "
            f"its predictions clipped to {lo:g}-{hi:g}") in " ".join(section.split())


def test_an_estimator_given_as_scikit_learns_make_pipeline_takes_it_is_pointed_there():
    """make_pipeline(LogisticRegression()) said "unknown pipeline LogisticRegression();
    choose one of best", as if a recipe's name were misspelt."""
    from sklearn.linear_model import LogisticRegression

    from aufeat.estimators import make_pipeline

    with pytest.raises(TypeError, match=r"aufeat's make_pipeline builds a named recipe \(best\)"
                                        r".*use sklearn\.pipeline\.make_pipeline"):
        make_pipeline(LogisticRegression())
