"""Classifier and regressor presets: the source studies' model family, configured sensibly.

Every preset is a plain scikit-learn (or imbalanced-learn) estimator, so it can be
cloned, grid-searched and saved with :func:`aufeat.estimators.save_model`. Models
that are sensitive to feature scale get a ``StandardScaler`` in front;
``smote=True`` puts SMOTE between the scaler and the model inside an
imbalanced-learn pipeline, so resampling happens during ``fit`` only.
"""

from __future__ import annotations

__all__ = ["CLASSIFIERS", "REGRESSORS", "make_classifier", "make_regressor"]

#: Names accepted by :func:`make_classifier`, with what each builds.
CLASSIFIERS = {
    "linear-svm": "StandardScaler + LinearSVC(C=0.003)",
    "svm": "StandardScaler + SVC(kernel='rbf', C=10, gamma='scale')",
    "rf": "RandomForestClassifier(n_estimators=100)",
    "dt": "DecisionTreeClassifier()",
    "nb": "GaussianNB()",
    "knn": "StandardScaler + KNeighborsClassifier(n_neighbors=5)",
    "logreg": "StandardScaler + LogisticRegression(C=0.1, max_iter=2000)",
    "bagging": "BaggingClassifier(DecisionTreeClassifier(), n_estimators=20, max_features=0.3)",
    "adaboost": "CappedPCA(100) + AdaBoostClassifier(base, n_estimators=50) (SAMME); base "
                "'dt' (depth 2), 'rf' (RandomForest(20)) or 'bagging' (Bagging(10))",
}

#: Names accepted by :func:`make_regressor`.
REGRESSORS = {
    "linear-svr": "StandardScaler + LinearSVR(C=0.01)",
    "svr": "StandardScaler + SVR(kernel='rbf', C=3)",
    "ridge": "StandardScaler + Ridge(alpha=10)",
    "rf": "RandomForestRegressor(n_estimators=100)",
}


def _unknown(kind: str, name, names) -> ValueError:
    return ValueError(f"unknown {kind} {name!r}; choose one of {', '.join(names)}")


def _adaboost_base(base: str, random_state):
    from sklearn.ensemble import BaggingClassifier, RandomForestClassifier
    from sklearn.tree import DecisionTreeClassifier

    if base == "dt":
        return DecisionTreeClassifier(max_depth=2, random_state=random_state)
    if base == "rf":
        return RandomForestClassifier(n_estimators=20, random_state=random_state)
    if base == "bagging":
        return BaggingClassifier(DecisionTreeClassifier(), n_estimators=10,
                                 random_state=random_state)
    raise _unknown("AdaBoost base", base, ("dt", "rf", "bagging"))


def _classifier(name: str, random_state, base: str | None):
    from sklearn.ensemble import AdaBoostClassifier, BaggingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC, LinearSVC
    from sklearn.tree import DecisionTreeClassifier

    if name == "linear-svm":
        return LinearSVC(C=0.003, random_state=random_state), True
    if name == "svm":
        return SVC(kernel="rbf", C=10, gamma="scale", random_state=random_state), True
    if name == "rf":
        return RandomForestClassifier(n_estimators=100, random_state=random_state), False
    if name == "dt":
        return DecisionTreeClassifier(random_state=random_state), False
    if name == "nb":
        return GaussianNB(), False
    if name == "knn":
        return KNeighborsClassifier(n_neighbors=5), True
    if name == "logreg":
        return LogisticRegression(C=0.1, max_iter=2000, random_state=random_state), True
    if name == "bagging":
        # feature subsets per tree: as accurate as full bagging here, 7x faster
        return BaggingClassifier(DecisionTreeClassifier(), n_estimators=20, max_features=0.3,
                                 random_state=random_state), False
    if name == "adaboost":
        from sklearn.pipeline import make_pipeline

        from ._pca import CappedPCA

        base = "dt" if base is None else base
        boost = AdaBoostClassifier(_adaboost_base(base, random_state), n_estimators=50,
                                   random_state=random_state)
        return make_pipeline(CappedPCA(100, random_state=random_state), boost), False
    raise _unknown("classifier", name, CLASSIFIERS)


def make_classifier(name: str, *, smote: bool = False, random_state=None,
                    base: str | None = None):
    """Build a classifier preset by name.

    Parameters
    ----------
    name : str
        One of :data:`CLASSIFIERS`: ``'linear-svm'``, ``'svm'``, ``'rf'``,
        ``'dt'``, ``'nb'``, ``'knn'``, ``'logreg'``, ``'bagging'``, ``'adaboost'``.
    smote : bool
        Oversample minority classes with SMOTE during ``fit`` only (an
        imbalanced-learn pipeline; prediction never resamples). SMOTE's
        neighbour count is lowered automatically for tiny classes; a class
        with a single sample is left as it is.
    random_state : int or None
        Seed for every random component.
    base : {'dt', 'rf', 'bagging'} or None
        AdaBoost's base estimator (the AU study used RandomForest and Bagging);
        None: ``'dt'``. Only ``'adaboost'`` has one: with another ``name`` a
        ``base`` is refused (ValueError) rather than silently ignored.

    Returns
    -------
    estimator
        An unfitted scikit-learn compatible classifier.

    Examples
    --------
    >>> make_classifier("linear-svm")
    Pipeline(steps=[('standardscaler', StandardScaler()),
                    ('linearsvc', LinearSVC(C=0.003))])
    >>> make_classifier("adaboost", base="rf")[-1].estimator
    RandomForestClassifier(n_estimators=20)
    """
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model, needs_scaling = _classifier(name, random_state, base)
    if base is not None and name != "adaboost":
        raise ValueError(f"base applies to 'adaboost' only (its base estimator), got "
                         f"base={base!r} with {name!r}; leave base out for {name!r}")
    if smote:
        from imblearn.pipeline import make_pipeline as make_imb_pipeline

        from ._smote import AdaptiveSMOTE

        return make_imb_pipeline(StandardScaler(), AdaptiveSMOTE(random_state=random_state),
                                 model)
    if needs_scaling:
        return make_pipeline(StandardScaler(), model)
    return model


def make_regressor(name: str, *, random_state=None):
    """Build an AU-intensity regressor preset by name (see :data:`REGRESSORS`).

    Examples
    --------
    >>> make_regressor("ridge")
    Pipeline(steps=[('standardscaler', StandardScaler()),
                    ('ridge', Ridge(alpha=10))])
    """
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVR, LinearSVR

    if name == "linear-svr":
        return make_pipeline(StandardScaler(), LinearSVR(C=0.01, random_state=random_state,
                                                         max_iter=5000))
    if name == "svr":
        return make_pipeline(StandardScaler(), SVR(kernel="rbf", C=3))
    if name == "ridge":
        return make_pipeline(StandardScaler(), Ridge(alpha=10))
    if name == "rf":
        return RandomForestRegressor(n_estimators=100, random_state=random_state)
    raise _unknown("regressor", name, REGRESSORS)
