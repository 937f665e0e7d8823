"""make_pipeline's metadata-routing recipe, as its docstring writes it, works in a search.

The recipe requested the subject ids for fit and predict only: GridSearchCV's default
scoring (FaceModel.score) then failed on every fold, and the search chose among NaNs.
"""

import re
import warnings

import numpy as np
import sklearn
from sklearn.model_selection import GridSearchCV, GroupKFold

import aufeat
from aufeat.estimators import make_pipeline


def _recipe() -> str:
    text = " ".join(make_pipeline.__doc__.split())
    found = re.search(r"``(pipeline\['model'\]\.set_fit_request\(.*?)``", text)
    assert found, "make_pipeline's docstring no longer gives its routing recipe"
    return found.group(1)


def test_the_documented_routing_recipe_scores_every_fold_of_a_grid_search():
    data = aufeat.make_synthetic_faces(n_subjects=6, n_per_subject=5, random_state=0)
    images, y, subjects = data.images, np.asarray(data.emotion), np.asarray(data.subject)
    pipeline = make_pipeline("best", task="emotion")
    with sklearn.config_context(enable_metadata_routing=True), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a failed score is a warning; its NaN is checked
        eval(_recipe(), {"pipeline": pipeline})  # the docstring's own line
        search = GridSearchCV(pipeline, {"model__estimator__C": [1e-3]},
                              cv=GroupKFold(3)).fit(images, y, groups=subjects)
    scores = search.cv_results_["mean_test_score"]
    assert np.isfinite(scores).all(), scores
