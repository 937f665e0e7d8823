"""Action Unit models: one model per AU, honest about what each could learn.

:class:`AUClassifier` predicts AU occurrence (or intensity classes, as the DISFA
study did), :class:`AURegressor` predicts AU intensity (0-5). Both

* fit one clone of the base model per AU on the rows where that AU is coded
  (NaN = not coded, e.g. CK+ FACS files code only the AUs present);
* replace a model that cannot be trained (an AU with too few positives in a
  training fold) by an explicit constant model, record why in
  ``constant_outputs_`` and warn, rather than crash mid-protocol.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MultiOutputMixin, RegressorMixin, clone
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ..exceptions import AufeatWarning
from .normalization import check_subjects
from .presets import make_classifier, make_regressor

__all__ = ["AUClassifier", "AURegressor"]


def _as_2d_targets(Y):
    if Y is None:
        raise ValueError("AU models requires y to be passed, but the target y is None")
    Y = np.asarray(Y)
    if Y.ndim == 1:
        return Y[:, None], True
    if Y.ndim != 2:
        raise ValueError(f"targets must be 1-D or 2-D (n_samples, n_aus); got shape {Y.shape}")
    return Y, False


def _coded(column) -> np.ndarray:
    if column.dtype.kind == "f":
        return ~np.isnan(column)
    return np.ones(len(column), dtype=bool)


def _output_names(au_names, n_outputs):
    if au_names is None:
        return [f"output{j}" for j in range(n_outputs)]
    if len(au_names) != n_outputs:
        raise ValueError(f"au_names has {len(au_names)} names for {n_outputs} target columns")
    return list(au_names)


def _warn_constant(name: str, reason: str) -> None:
    warnings.warn(f"{name}: {reason}; a constant model is used for it", AufeatWarning,
                  stacklevel=3)


def _positive_scores(model, X) -> np.ndarray:
    """Score of the last class: decision_function where available, else its probability."""
    if hasattr(model, "decision_function"):
        return np.asarray(model.decision_function(X), float).reshape(len(X), -1)[:, -1]
    return model.predict_proba(X)[:, -1]


def _inner_splits(y, groups, random_state):
    """Person-wise inner folds in which every training side holds both classes, or None.

    An AU that only a few people show is split so that each fold keeps positives
    (``StratifiedGroupKFold`` over at most as many folds as people showing it); when
    that is impossible (one person shows it), no threshold is tuned. With no
    ``groups``, or fewer than 3 people, the folds are stratified over images.
    """
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    n_rarest = int(np.unique(y, return_counts=True)[1].min())
    if groups is not None and len(np.unique(groups)) >= 3:
        people = min(len(np.unique(groups[y == label])) for label in np.unique(y))
        if people < 2:
            return None
        cv = StratifiedGroupKFold(n_splits=min(3, people), shuffle=True,
                                  random_state=random_state)
        # index pairs, not groups=: cross_val_predict refuses groups= under metadata routing
        splits = list(cv.split(np.zeros(len(y)), y, groups))
    elif n_rarest >= 2:
        cv = StratifiedKFold(n_splits=min(3, n_rarest), shuffle=True, random_state=random_state)
        splits = list(cv.split(np.zeros(len(y)), y))
    else:
        return None
    if any(len(np.unique(y[train])) < 2 for train, _ in splits):
        return None
    return splits


#: Stands for "the model's own class_weight" among the candidates.
_AS_GIVEN = object()


def _best_threshold(scores, truth) -> tuple[float, float]:
    """Return the threshold on ``scores`` that maximises F1 for ``truth``, and that F1."""
    best, best_f1 = None, -1.0
    for threshold in np.unique(scores):
        pred = scores >= threshold
        f1 = 2 * np.sum(pred & truth) / max(pred.sum() + truth.sum(), 1)
        if f1 > best_f1:
            best, best_f1 = float(threshold), f1
    return best, float(best_f1)


def _with_class_weight(model, weight):
    """``model`` (unfitted) with its ``class_weight`` (or a step's) set to ``weight``."""
    names = [name for name in model.get_params()
             if name == "class_weight" or name.endswith("__class_weight")]
    if not names:
        raise ValueError(f"class_weights needs a model with a class_weight parameter; "
                         f"{type(model).__name__} has none")
    return clone(model).set_params(**{names[-1]: weight})


def _tune(model, weights, X, y, positive, groups, random_state):
    """Choose the class weighting and the F1-optimal threshold on training data only.

    Every candidate weighting (``_AS_GIVEN``: the model's own) is scored on the same
    person-wise out-of-fold decisions; the best F1 wins (ties: the first). Returns
    ``(model, weighting, threshold)``; the model as given and no threshold when no
    inner folds exist.
    """
    cv = _inner_splits(y, groups, random_state)
    if cv is None:
        return model, None, None
    method = "decision_function" if hasattr(model, "decision_function") else "predict_proba"
    best = None
    for weight in weights:
        candidate = model if weight is _AS_GIVEN else _with_class_weight(model, weight)
        scores = np.empty(len(y))  # cross_val_predict would renumber labels ('yes' -> 1)
        for train, test in cv:  # and miss a class_weight keyed by the labels as given
            fitted = clone(candidate).fit(X[train], y[train])
            scores[test] = np.asarray(getattr(fitted, method)(X[test]), float).reshape(
                len(test), -1)[:, -1]
        threshold, f1 = _best_threshold(scores, y == positive)
        if best is None or f1 > best[0]:
            best = (f1, candidate, None if weight is _AS_GIVEN else weight, threshold)
    return best[1:]


class AUClassifier(MultiOutputMixin, ClassifierMixin, BaseEstimator):
    """One classifier per AU, with optional SMOTE per AU during ``fit`` only.

    Parameters
    ----------
    estimator : str or estimator, default='linear-svm'
        A :func:`~aufeat.estimators.make_classifier` preset name or an
        unfitted classifier, cloned for every AU.
    smote : bool, default=False
        Oversample each AU's minority class with SMOTE while fitting that AU's
        model (never at prediction). Only with a preset name.
    min_samples : int, default=3
        An AU whose rarest class has fewer training samples than this gets a
        constant model predicting its majority class (with a warning).
    au_names : list of str, optional
        Names of the target columns, used in warnings and metrics.
    tune_thresholds : bool, default=False
        For each binary AU, pick the decision threshold that maximises F1 on
        cross-validated scores of the *training* data (3 folds, by subject when
        ``groups`` of at least 3 people are passed to ``fit``, else over
        images); never looks at test data.
    class_weights : sequence, optional
        Candidate ``class_weight`` values (e.g. ``(None, 'balanced')``) for each
        AU's model, chosen per AU on the same cross-validated training scores as
        its threshold (best F1 wins, ties go to the first). Needs
        ``tune_thresholds=True`` and a model with a ``class_weight`` parameter
        (its own or a pipeline step's). None: the model's own weighting.
    random_state : int, optional

    Attributes
    ----------
    estimators_ : list of estimators
        One fitted model per AU.
    thresholds_ : list of float or None
        The tuned threshold per AU (None: the model's own decision rule).
    class_weights_ : list
        The chosen ``class_weight`` per AU (None where ``class_weights`` is None
        or there was nothing to choose, e.g. a constant model).
    classes_ : list of ndarray
        The classes of each AU (a single array for 1-D targets).
    constant_outputs_ : dict
        ``{au_name: reason}`` for the AUs that got a constant model.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 4))
    >>> Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0.5]).astype(int)
    >>> model = AUClassifier("logreg", au_names=["AU6", "AU12"]).fit(X, Y)
    >>> model.predict(X[:2]).shape
    (2, 2)
    """

    def __init__(self, estimator="linear-svm", *, smote=False, min_samples=3, au_names=None,
                 tune_thresholds=False, class_weights=None, random_state=None):
        self.estimator = estimator
        self.smote = smote
        self.min_samples = min_samples
        self.au_names = au_names
        self.tune_thresholds = tune_thresholds
        self.class_weights = class_weights
        self.random_state = random_state

    def _base(self):
        if isinstance(self.estimator, str):
            return make_classifier(self.estimator, smote=self.smote,
                                   random_state=self.random_state)
        if self.smote:
            raise ValueError("smote=True needs a preset name as estimator; wrap your own model "
                             "in an imblearn pipeline with SMOTE instead")
        return clone(self.estimator)

    def _candidate_weights(self) -> list:
        if self.class_weights is None:
            return [_AS_GIVEN]
        weights = list(self.class_weights)
        if not weights:
            raise ValueError("class_weights must hold at least one class_weight value, or be "
                             "None")
        if not self.tune_thresholds:
            raise ValueError("class_weights are chosen with the thresholds on cross-validated "
                             "training scores: set tune_thresholds=True as well")
        _with_class_weight(self._base(), weights[0])  # fails early on a model without one
        return weights

    def fit(self, X, Y, groups=None):
        """Fit one model per target column on the rows where it is coded.

        ``groups`` (subject ids) make the threshold-tuning folds subject-disjoint. In a
        ``Pipeline``, pass them as ``<step name>__groups=``, or with metadata routing enabled
        request them with ``set_fit_request(groups=True)``.
        """
        from sklearn.dummy import DummyClassifier

        X = validate_data(self, X)
        Y, self._single_output = _as_2d_targets(Y)
        if len(Y) != len(X):
            raise ValueError(f"X has {len(X)} rows but Y has {len(Y)}")
        groups = check_subjects(groups, len(X), "groups")
        weights = self._candidate_weights()
        names = _output_names(self.au_names, Y.shape[1])
        self.estimators_, self.constant_outputs_, classes = [], {}, []
        self.thresholds_, self.class_weights_ = [], []
        for j, name in enumerate(names):
            coded = _coded(Y[:, j])
            y = Y[coded, j]
            check_classification_targets(y)  # continuous AU intensities belong in AURegressor
            labels, counts = np.unique(y, return_counts=True)
            if len(labels) == 0:
                raise ValueError(f"{name}: no coded samples to train on")
            if len(labels) < 2 or counts.min() < self.min_samples:
                reason = (f"only class {labels[0]!r} in the training data" if len(labels) < 2
                          else f"class {labels[counts.argmin()]!r} has {counts.min()} training "
                               f"samples (< min_samples={self.min_samples})")
                self.constant_outputs_[name] = reason
                _warn_constant(name, reason)
                model = DummyClassifier(strategy="most_frequent")
            else:
                model = self._base()
            threshold = weight = None
            if self.tune_thresholds and len(labels) == 2 and not isinstance(model,
                                                                           DummyClassifier):
                model, weight, threshold = _tune(
                    model, weights, X[coded], y, labels[-1],
                    None if groups is None else groups[coded], self.random_state)
            self.thresholds_.append(threshold)
            self.class_weights_.append(weight)
            self.estimators_.append(model.fit(X[coded], y))
            classes.append(labels)
        self.classes_ = classes[0] if self._single_output else classes
        return self

    def predict(self, X):
        """Predict each AU: ``(n_samples, n_aus)``, or ``(n_samples,)`` for 1-D targets."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        columns = []
        for j, model in enumerate(self.estimators_):
            threshold = self.thresholds_[j]
            if threshold is None:
                columns.append(model.predict(X))
            else:
                negative, positive = model.classes_
                columns.append(np.where(_positive_scores(model, X) >= threshold, positive,
                                        negative))
        Y = np.column_stack(columns)
        return Y[:, 0] if self._single_output else Y

    def decision_scores(self, X):
        """Return a positive-class score per AU (binary AUs), ``(n_samples, n_aus)``.

        Uses ``decision_function`` where the model has one, else
        ``predict_proba`` of the last class. An AU's constant model scores +1 or
        -1 when training saw one class only, and 1 or 0 (whether the majority
        class is the positive one) when it was kept for too few samples of a class.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        scores = []
        for model in self.estimators_:
            if len(model.classes_) == 1:  # present: a number above 0 (0/1, -1/+1 coding)
                only = model.classes_[0]
                present = only > 0 if np.asarray(only).dtype.kind in "biuf" else bool(only)
                scores.append(np.full(len(X), 1.0 if present else -1.0))
            else:
                scores.append(_positive_scores(model, X))
        return np.column_stack(scores)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        tags.input_tags.allow_nan = False
        return tags


class AURegressor(MultiOutputMixin, RegressorMixin, BaseEstimator):
    """One intensity regressor per AU, predictions clipped to ``clip``.

    Parameters
    ----------
    estimator : str or estimator, default='ridge'
        A :func:`~aufeat.estimators.make_regressor` preset name or an
        unfitted regressor, cloned for every AU.
    clip : (float, float) or None, default=(0, 5)
        Range of valid intensities (FACS A-E = 1-5, 0 = absent).
    au_names : list of str, optional
    random_state : int, optional

    Attributes
    ----------
    estimators_ : list of estimators
    constant_outputs_ : dict
        ``{au_name: reason}`` for AUs whose training intensities never vary.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.linspace(0, 1, 40)[:, None]
    >>> model = AURegressor("ridge").fit(X, np.column_stack([5 * X[:, 0], 10 * X[:, 0]]))
    >>> float(model.predict(X).max()) <= 5.0
    True
    """

    def __init__(self, estimator="ridge", *, clip=(0.0, 5.0), au_names=None, random_state=None):
        self.estimator = estimator
        self.clip = clip
        self.au_names = au_names
        self.random_state = random_state

    def _base(self):
        if isinstance(self.estimator, str):
            return make_regressor(self.estimator, random_state=self.random_state)
        return clone(self.estimator)

    def fit(self, X, Y):
        """Fit one regressor per AU on the rows where it is coded."""
        from sklearn.dummy import DummyRegressor

        X = validate_data(self, X)
        Y, self._single_output = _as_2d_targets(Y)
        Y = Y.astype(float)
        if len(Y) != len(X):
            raise ValueError(f"X has {len(X)} rows but Y has {len(Y)}")
        names = _output_names(self.au_names, Y.shape[1])
        self.estimators_, self.constant_outputs_ = [], {}
        for j, name in enumerate(names):
            coded = _coded(Y[:, j])
            y = Y[coded, j]
            if y.size == 0:
                raise ValueError(f"{name}: no coded samples to train on")
            if np.ptp(y) == 0:
                self.constant_outputs_[name] = f"intensity is always {y[0]:g} in the training data"
                _warn_constant(name, self.constant_outputs_[name])
                model = DummyRegressor(strategy="mean")
            else:
                model = self._base()
            self.estimators_.append(model.fit(X[coded], y))
        return self

    def predict(self, X):
        """Predict intensities ``(n_samples, n_aus)`` (1-D for 1-D targets), clipped."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        Y = np.column_stack([model.predict(X) for model in self.estimators_]).astype(float)
        if self.clip is not None:
            Y = np.clip(Y, *self.clip)
        return Y[:, 0] if self._single_output else Y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags
