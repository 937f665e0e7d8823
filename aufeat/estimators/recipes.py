"""``best``: aufeat's recommended model, as one library object.

``make_pipeline("best", task=...)`` is what ``aufeat train``, ``aufeat predict``,
``aufeat-bench`` and the examples use; ``make_face_model`` is its model half, for
features computed elsewhere (through the cache, say).

What ``best`` is, and why (each choice measured on real faces of three kinds,
in-the-wild photos, film frames and posed lab crops, within and across
sources; ``benchmarks/real_faces.py`` repeats the comparison):

* faces found by dlib's HOG detector, and by its CNN detector where HOG finds
  none (:data:`~aufeat.estimators.feature_sets.DETECTOR`);
* faces aligned on the canonical 48-pixel face at scale 0.9, shrunk by area
  averaging and filled with edge pixels (the resolution the smallest sources
  support; on large photos it removes texture small sources never show);
* HOG (9 orientations, 6x6-pixel cells, 2x2 blocks) + LBP (``nri_uniform``,
  8x8-pixel cells) + landmark geometry, each family given the same weight; for
  AU models Felzenszwalb's 31-channel HOG (6x6-pixel cells, the HOG OpenFace's
  AU models use) in place of HOG (feature set ``'fhog+lbp+geometry'``);
* every training face also used as its mirror image;
* emotions: a linear SVM with strong regularisation (``C=1e-4`` on
  standardised features);
* AU occurrence: per AU, a class-balanced linear SVM (``C=3e-4``) re-centred on
  the rows it is fitted on, and an F1-optimal decision threshold chosen on
  person-wise out-of-fold scores of the training data (:class:`AUClassifier`
  with ``tune_thresholds=True``);
* AU intensity: per AU, a ridge regression (``alpha=1000`` on the same
  standardised features), its predictions clipped to 0-5
  (:class:`AURegressor`'s default ``clip``);
* normalisation chosen by person-wise cross-validation on the training data
  (``'auto'``: person-median or none); ``'domain'`` for a test set from
  another source.

Examples
--------
>>> from aufeat.estimators.recipes import make_pipeline
>>> pipeline = make_pipeline("best", task="emotion", crops=True)
>>> [name for name, _ in pipeline.steps]
['features', 'model']
>>> pipeline.named_steps["model"].normalize
'auto'
"""

from __future__ import annotations

from .feature_sets import DETECTOR

__all__ = ["BEST_AU_C", "BEST_C", "BEST_FEATURES", "BEST_FEATURE_SETS", "PIPELINES", "TASKS",
           "make_face_model", "make_pipeline"]

#: The tasks of aufeat's models.
TASKS = ("emotion", "au-occurrence", "au-intensity")
#: Names accepted by :func:`make_pipeline` and :func:`make_face_model`.
PIPELINES = ("best",)
#: The linear SVM's regularisation in ``best`` (on standardised, family-weighted features).
BEST_C = 1e-4
#: The per-AU linear SVM's regularisation in ``best`` (AU occurrence).
BEST_AU_C = 3e-4
#: The feature set of ``best`` per task: HOG for emotions; Felzenszwalb's HOG for AUs
#: (ckplus_dev AU occurrence 0.702 against 0.693 with HOG, synthetic 0.869 against 0.862).
BEST_FEATURES = {"emotion": "best", "au-occurrence": "fhog+lbp+geometry",
                 "au-intensity": "fhog+lbp+geometry"}
#: Feature sets ``best``'s model takes: HOG + LBP + geometry (``'best'``); it plus
#: landmark-anchored patches (ckplus_dev AU occurrence 0.704 against 0.693, for 3.8x the
#: columns and fit time); or Felzenszwalb's HOG in place of HOG.
BEST_FEATURE_SETS = ("best", "best+patches", "fhog+lbp+geometry")


def _check(name: str, task: str, features: str | None) -> str:
    """Validate the arguments; return the feature set (``None``: the task's default)."""
    if hasattr(name, "fit"):  # make_pipeline(LogisticRegression()), as in scikit-learn
        raise TypeError(f"aufeat's make_pipeline builds a named recipe ({', '.join(PIPELINES)}), "
                        f"not a chain of steps such as {name!r}: for that, use "
                        "sklearn.pipeline.make_pipeline")
    if name not in PIPELINES:
        raise ValueError(f"unknown pipeline {name!r}; choose one of {', '.join(PIPELINES)}")
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
    if features is None:
        return BEST_FEATURES[task]
    if features not in BEST_FEATURE_SETS:
        raise ValueError(f"best takes the feature sets {', '.join(BEST_FEATURE_SETS)}; "
                         f"got {features!r}")
    return features


def _estimator(task: str, au_names, random_state):
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    from .au import AUClassifier, AURegressor

    if task == "emotion":
        return LinearSVC(C=BEST_C, random_state=random_state)
    if task == "au-occurrence":
        # liblinear penalises the intercept, so a model's scores shift with the mean of the rows
        # it is fitted on; re-centring on them keeps the inner-fold models (where the threshold
        # is tuned) and the final model on one scale, and the threshold transfers
        # (ckplus_dev mean F1 0.68 with centring, 0.54 without, at C=1e-3)
        svm = LinearSVC(C=BEST_AU_C, class_weight="balanced", random_state=random_state)
        base = Pipeline([("center", StandardScaler(with_std=False)), ("svm", svm)])
        return AUClassifier(base, tune_thresholds=True, au_names=au_names,
                            random_state=random_state)
    return AURegressor(Ridge(alpha=1000.0), au_names=au_names, random_state=random_state)


def make_face_model(name: str = "best", *, task: str = "emotion", normalize: str = "auto",
                    au_names=None, random_state=0, features: str | None = None):
    """Return the model half of a pipeline: a :class:`~aufeat.estimators.FaceModel`.

    It takes the features of :func:`~aufeat.estimators.feature_sets.face_features`
    with the ``features`` feature set and ``mirror=True``.

    Parameters
    ----------
    name : {'best'}
    task : {'emotion', 'au-occurrence', 'au-intensity'}
    normalize : {'auto', 'none', 'person', 'domain'}
        ``'domain'`` when the test data come from another source than the
        training data (``aufeat-bench --cross`` uses it).
    au_names : list of str, optional
        AU column names (AU tasks).
    random_state : int
    features : {'best', 'best+patches', 'fhog+lbp+geometry'}, optional
        The feature set it is given (its families are weighted equally); by
        default the task's, :data:`BEST_FEATURES`.

    Examples
    --------
    >>> make_face_model(task="au-occurrence").estimator.__class__.__name__
    'AUClassifier'
    >>> make_face_model(task="au-intensity").estimator
    AURegressor(estimator=Ridge(alpha=1000.0), random_state=0)
    """
    from .face_model import FaceModel
    from .feature_sets import block_sizes

    features = _check(name, task, features)
    return FaceModel(_estimator(task, au_names, random_state), normalize=normalize,
                     mirror=True, blocks=block_sizes(features))


def make_pipeline(name: str = "best", *, task: str = "emotion", crops: bool = False,
                  normalize: str = "auto", detector: str = DETECTOR, cache=None, au_names=None,
                  random_state=0, features: str | None = None):
    """Return a whole pipeline: images in, emotions or AUs out.

    ``Pipeline([('features', FaceFeatures(...)), ('model', FaceModel(...))])``.
    Fit it with ``groups`` (subject ids) so that ``normalize='auto'`` can choose
    person-wise: ``pipeline.fit(images, y, model__groups=subjects)``; pass the
    test subjects as ``pipeline.predict(images, groups=subjects)`` when
    normalising per person. Under scikit-learn's metadata routing
    (``sklearn.set_config(enable_metadata_routing=True)``, as ``GridSearchCV`` with
    groups needs), the Pipeline refuses ``model__groups``: request them instead,
    ``pipeline['model'].set_fit_request(groups=True).set_predict_request(groups=True).set_score_request(groups=True)``,
    then ``pipeline.fit(images, y, groups=subjects)`` (the score request lets a
    search's default scoring, :meth:`FaceModel.score`, get the test subjects;
    without it every score is NaN; a named scorer such as ``'accuracy'`` gets none).

    Not scikit-learn's ``make_pipeline`` (a chain of the steps given): this one
    builds a named recipe.

    Parameters
    ----------
    name : {'best'}
    task : {'emotion', 'au-occurrence', 'au-intensity'}
    crops : bool
        The images are declared face crops (see
        :class:`~aufeat.estimators.FaceFeatures`).
    normalize : {'auto', 'none', 'person', 'domain'}
    detector : {'hog+cnn', 'hog', 'cnn'}
        dlib's HOG face detector, and its CNN detector where HOG finds no face.
    cache : FeatureCache, optional
        Store and reuse the image features.
    au_names : list of str, optional
    random_state : int
    features : {'best', 'best+patches', 'fhog+lbp+geometry'}, optional
        By default the task's (:data:`BEST_FEATURES`): ``'best'`` (HOG + LBP +
        geometry) for emotions, ``'fhog+lbp+geometry'`` (Felzenszwalb's HOG in
        place of HOG) for AUs. ``'best+patches'`` adds HOG + LBP of 13
        landmark-anchored patches (brows, eyes, nose, cheeks, mouth, chin).

    Returns
    -------
    sklearn.pipeline.Pipeline
    """
    from sklearn.pipeline import Pipeline

    from .face_features import FaceFeatures

    features = _check(name, task, features)
    model = make_face_model(name, task=task, normalize=normalize, au_names=au_names,
                            random_state=random_state, features=features)
    features = FaceFeatures(features, crops=crops, mirror=True, detector=detector, cache=cache)
    return Pipeline([("features", features), ("model", model)])
