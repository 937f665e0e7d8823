"""aufeat-bench's ranking of tied configurations does not depend on what the cache held."""

import itertools

from aufeat.cache import FeatureCache
from aufeat.cli._bench_run import BenchConfig, prepare, run_configurations
from aufeat.datasets import make_synthetic_faces

GRID = ("linear-svm", "logreg", "knn", "svm", "rf")


def _ranking(prepared, cache_dir, classifiers=GRID):
    config = BenchConfig(features=("hog",), classifiers=classifiers, protocol="group-kfold:2",
                         align=False, n_jobs=1, progress=False)
    config.cache_dir = str(cache_dir)
    return [(r.classifier, r.metrics["accuracy"]) for r in run_configurations(prepared, config)]


def test_tied_configurations_rank_in_grid_order_whatever_results_were_stored(tmp_path):
    data = make_synthetic_faces(n_subjects=4, n_per_subject=7, random_state=0)
    config = BenchConfig(features=("hog",), align=False, n_jobs=1, progress=False)
    prepared = prepare(data, ["hog"], config, report=lambda line: None)
    FeatureCache(tmp_path / "fresh")
    FeatureCache(tmp_path / "warm")
    _ranking(prepared, tmp_path / "warm", classifiers=("rf", "knn"))  # stored before the run
    fresh = _ranking(prepared, tmp_path / "fresh")
    warm = _ranking(prepared, tmp_path / "warm")
    scores = [score for _, score in fresh]
    assert len(set(scores)) < len(scores), "no tie here: the test would check nothing"
    assert warm == fresh
    for (a, score_a), (b, score_b) in itertools.pairwise(fresh):  # best first, ties in grid order
        assert score_a > score_b or (score_a == score_b and GRID.index(a) < GRID.index(b))
