"""``FaceModel``: a model over face features that knows about people, sources and mirrors.

Features of faces differ between people (face shape, skin) and between sources
(lab crops, photos, film frames) more than between expressions. ``FaceModel``
wraps any scikit-learn estimator with the steps that handle this:

* **normalisation** (``normalize``): ``'person'`` centres each person's rows on
  their own median (OpenFace's trick; right when every person shows several
  expressions), ``'domain'`` standardises each batch given to ``predict`` (a
  data set, a video) with its own statistics (right when test data come from
  another source), ``'none'``, or ``'auto'``, which chooses between the
  candidates by person-wise cross-validation on the training data only;
* **family-balanced scaling**: each column is standardised and each feature
  family (``blocks``) gets the same total weight, so 136 geometry columns are
  not drowned by 2,000 texture columns;
* **mirror augmentation** (``mirror``): every training face is also used as its
  mirror image, doubling small data sets;
* **missing faces**: rows of NaN (no face found) are left out of ``fit`` and
  get an explicit "no face" prediction (``''`` for class labels, NaN for
  numbers), so that every item keeps its row and counts. Only a row entirely
  NaN is "no face": a partly-NaN row, ``inf`` or a sparse matrix is refused.

All statistics of a test person or batch come from its own unlabelled rows,
which is legal at test time.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_regressor
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _face_inputs as inputs
from ._face_targets import fitted_label_names, score_labels
from ._fit_aside import fit_aside
from ._inner_model import au_model, au_occurrence, au_targets, call, per_output
from ._inner_search import fit_groups
from ._scoring import choice_model, compare_candidates, face_r2, model_score
from ._targets import (
    check_blank_labels,
    check_targets,
    targets_repeated,
    warn_classes_without_faces,
)
from .normalization import (
    check_subjects,
    family_weights,
    person_normalize,
    safe_scale,
    saved_before_min_group,
    training_center,
)

__all__ = ["NORMALIZE_MODES", "NO_FACE", "FaceModel"]

#: Predicted label of an item without a face (class-label outputs).
NO_FACE = ""
#: Accepted values of ``FaceModel(normalize=...)``.
NORMALIZE_MODES = inputs.NORMALIZE_MODES


def _default_estimator():
    from sklearn.svm import LinearSVC

    return LinearSVC(C=1e-4)


class FaceModel(MetaEstimatorMixin, BaseEstimator):
    """Normalise, scale and mirror-augment face features around an estimator.

    Parameters
    ----------
    estimator : estimator, optional
        The model fitted on the standardised features (it needs no scaler of
        its own): a classifier, :class:`~aufeat.estimators.AUClassifier`,
        :class:`~aufeat.estimators.AURegressor` (or a Pipeline ending in one:
        an AU model all the same), ... Default ``LinearSVC(C=1e-4)``.
    normalize : {'auto', 'none', 'person', 'domain'}, default='auto'
        See the module description. ``'person'`` and ``'auto'`` use the
        ``groups`` (subject ids) given to ``fit`` and ``predict``; without them
        at ``predict`` all rows count as one person (see Notes).
    mirror : bool, default=False
        ``X`` holds each face's features followed by its mirror image's
        (:func:`~aufeat.estimators.feature_sets.face_features` with
        ``mirror=True``): ``fit`` trains on both, ``predict`` uses the face's own.
    blocks : tuple of int, optional
        Column counts of the feature families, in order (of one half when
        ``mirror``). Each family is then weighted by ``sqrt(D / (k * D_f))``
        (``D`` columns in ``k`` families, ``D_f`` in this one). None: all
        columns weigh the same.
    candidates : tuple of str, default=('none', 'person')
        The modes ``normalize='auto'`` chooses from.
    cv : int or splitter, default=3
        Inner folds of ``normalize='auto'``: an int >= 2 asks for that many
        person-wise folds (``GroupKFold``, fewer if fewer people); an object with
        ``split`` (``GroupKFold(5)``, ``LeaveOneGroupOut()``, ...) is used as given,
        ``cv.split(X, y, groups)`` over the rows with a face. Anything else (an
        iterable of splits too) is refused.
    min_batch : int, default=20
        ``'domain'``: a batch with fewer faces than this is standardised with
        the training statistics instead of its own (checked in ``fit``).
    min_group : int, default=3
        ``'person'``: a person with fewer faces than this (one photo, say) is
        centred on the median of all training faces instead of their own, which
        one or two images cannot estimate (0 acts as 1; checked in ``fit``).

    Attributes
    ----------
    estimator_ : estimator
        The fitted estimator.
    normalize_ : str
        The mode used (the chosen one for ``'auto'``).
    auto_scores_ : dict
        ``'auto'`` only: the inner cross-validated score of each candidate
        (:meth:`score`, but the negative mean squared error for regressors; for AU
        outputs 0 in a fold where only F1-scored AUs are coded and none is shown).
    feature_names_in_ : ndarray of str
        The column names of a DataFrame ``X`` given to ``fit``: ``predict`` refuses
        other names, or the same in another order, as scikit-learn estimators do.
    mean_, scale_ : ndarray of shape (n_columns,)
        Training statistics of the normalised features.
    center_ : ndarray of shape (n_columns,)
        ``'person'`` only: median of the training faces' features (for small groups).
    weights_ : ndarray of shape (n_columns,)
        Family weights.
    n_missing_fit_ : int
        Training rows without a face (left out).
    max_person_faces_ : int or None
        ``'person'`` only: the most faces one training person had (None: no ids).

    Notes
    -----
    In model selection only ``scoring=None`` (:meth:`score`) gets the test rows'
    ``groups`` (under metadata routing, with ``set_score_request(groups=True)``):
    scorers (``scoring='accuracy'``, ``'roc_auc'``, ...) call ``predict``,
    ``decision_function`` or ``predict_proba`` without them, and ``'person'`` then
    centres a whole test fold as one person. A batch without ``groups`` of more
    faces than ``max_person_faces_`` gets a warning (once per call).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> person = np.repeat(np.arange(6), 10)
    >>> y = np.tile(["smile", "frown"], 30)
    >>> X = rng.normal(size=(60, 5)) / 2 + person[:, None] + (y == "smile")[:, None]
    >>> X[0] = np.nan                                          # no face in item 0
    >>> model = FaceModel(normalize="auto").fit(X, y, groups=person)
    >>> model.normalize_, model.n_missing_fit_
    ('person', 1)
    >>> model.predict(X[:10], groups=person[:10])[:3].tolist()  # person 0's faces
    ['', 'frown', 'smile']
    """

    def __init__(self, estimator=None, *, normalize="auto", mirror=False, blocks=None,
                 candidates=("none", "person"), cv=3, min_batch=20, min_group=3):
        self.estimator = estimator
        self.normalize = normalize
        self.mirror = mirror
        self.blocks = blocks
        self.candidates = candidates
        self.cv = cv
        self.min_batch = min_batch
        self.min_group = min_group

    # -- checks and views
    def _inner(self):
        return self.estimator if self.estimator is not None else _default_estimator()

    def _halves(self, X, *, reset: bool):
        """Return the face's features, the mirror's (or None) and which rows hold a face."""
        array = inputs.check_features(X)  # dense, finite; NaN rows stay: no face
        # scikit-learn's checks: as many columns as in fit, and a DataFrame's names in its order
        validate_data(self, X, reset=reset, skip_check_array=True)
        return inputs.face_halves(array, self.mirror)

    # -- the transform shared by fit and predict
    def _normalized(self, A, groups, mode) -> np.ndarray:
        if mode != "person":
            return A
        return person_normalize(A, groups, self.center_, self.min_group)  # as PersonNormalizer

    def _standardized(self, A, groups, mode, *, batch: bool) -> np.ndarray:
        A = self._normalized(A, groups, mode)
        mean, scale = self.mean_, self.scale_
        if batch and mode == "domain" and len(A) >= self.min_batch:
            mean, scale = A.mean(axis=0), safe_scale(A.std(axis=0))
        return (A - mean) / scale * self.weights_

    # -- fitting
    def fit(self, X, y, groups=None):
        """Fit on the rows with a face.

        Parameters
        ----------
        X : ndarray, shape (n_samples, n_features)
            Dense face features (rows entirely NaN: no face; a partly-NaN row or
            ``inf`` is refused), ``[face | mirror]`` when ``mirror``.
        y : array-like, shape (n_samples,) or (n_samples, n_outputs)
            Labels (not ``''``, the "no face" prediction, nor missing) or AU values
            (missing: not coded, for an AU model: see ``estimator``).
        groups : array-like, shape (n_samples,), optional
            Subject ids: needed by ``normalize='person'`` (else all rows are one
            person) and ``'auto'``; passed on to an estimator's (or a Pipeline's last
            step's: ``{step}__groups``) ``fit`` that takes ``groups``, a search's
            (``GridSearchCV``...) too, under metadata routing by its request: person-wise
            tuning folds; with ``mirror`` and no ids, a face and its mirror form one group; with
            ``mirror``, an AUClassifier gets ``(subject id, pair id)`` rows (its tuning folds
            follow the subjects, keeping each pair), and a search (``RFECV``...) with
            an int ``cv`` gets as many folds of whole pairs, at most one per pair (a face's
            mirror never in another fold); one that cannot take groups is warned about.

        Returns
        -------
        self
        """
        return fit_aside(self, lambda work: work._fit(X, y, groups))  # refused: last fit kept

    def _fit(self, X, y, groups):  # on a fresh clone (fit_aside): no attribute of a last fit
        inputs.check_params(self.normalize, self.candidates, self.cv, self.min_group,
                            self.min_batch)
        A, B, found = self._halves(X, reset=True)
        y = au_targets(self._inner(), y)  # a DataFrame by the names its AU model gives the AUs
        names = getattr(y, "columns", None)  # a DataFrame's name the AUs of an AU model
        y = check_targets(y, len(A), uncoded_ok=au_model(self._inner()))
        groups = check_subjects(groups, len(A), "groups")
        self.n_missing_fit_ = int((~found).sum())
        inputs.check_some_face(found)
        if y.ndim == 1 and not (au_model(self._inner()) or is_regressor(self._inner())):
            warn_classes_without_faces(y, found)  # classes left out with their rows
        keep = np.flatnonzero(found)
        sub = None if groups is None else groups[keep]
        A, B, y = A[keep], None if B is None else B[keep], y[keep]
        mode = self._choose(A, B, y, sub) if self.normalize == "auto" else self.normalize
        self.normalize_ = mode
        self._fit_mode(A, B, y, sub, mode, names)
        self._fitted_names = fitted_label_names(self._inner(), names)

    def _fit_mode(self, A, B, y, groups, mode, names=None) -> None:
        if mode == "person":
            self.center_ = training_center(A if B is None else np.vstack([A, B]))
            self.max_person_faces_ = inputs.largest_group(groups)
        parts = [self._normalized(A, groups, mode)]
        if B is not None:
            parts.append(self._normalized(B, groups, mode))
        stacked = np.vstack(parts)
        self.mean_ = stacked.mean(axis=0)
        self.scale_ = safe_scale(stacked.std(axis=0))
        self.weights_ = family_weights(self.blocks, stacked.shape[1], self.mirror)
        Z = (stacked - self.mean_) / self.scale_ * self.weights_
        targets = np.concatenate([y] * len(parts))
        estimator = inputs.name_outputs(clone(self._inner()), names)
        groups = fit_groups(estimator, groups, len(A), B is not None, per_output(self._inner()),
                            targets)
        with targets_repeated(len(parts)):  # warnings count the user's rows, not the mirrors
            self.estimator_ = estimator.fit(Z, targets, **inputs.fit_params(estimator, groups))

    def _choose(self, A, B, y, groups) -> str:
        candidates = tuple(dict.fromkeys(str(c) for c in self.candidates))
        if len(candidates) == 1:
            return candidates[0]
        if groups is None:
            raise ValueError("normalize='auto' chooses by person-wise CV on the training data: "
                             "pass groups (subject ids) to fit (in GridSearchCV or a Pipeline: "
                             "sklearn.set_config(enable_metadata_routing=True) and FaceModel(...)"
                             ".set_fit_request(groups=True).set_score_request(groups=True); "
                             "only scoring=None (FaceModel.score) gets the ids, not scorers "
                             "such as 'accuracy'), or choose normalize='none', 'person' or "
                             "'domain'")
        n_groups = len(np.unique(groups))
        if n_groups < 2:
            self.auto_scores_ = {}
            return candidates[0]
        def fit_and_predict(mode, train, test):
            inner = clone(self).set_params(normalize=mode, estimator=self._choice_model())
            inner.n_features_in_, inner.normalize_ = self.n_features_in_, mode
            inner._fit_mode(A[train], None if B is None else B[train], y[train],
                            groups[train], mode)
            return inner._predict_found(A[test], groups[test]), au_occurrence(inner.estimator_)

        splits = inputs.inner_folds(self.cv, A, y, groups)
        scores = compare_candidates(fit_and_predict, candidates, splits, y,
                                    is_regressor(self._inner()), per_output(self._inner()))
        self.auto_scores_ = scores
        return max(candidates, key=lambda mode: scores.get(mode, 0))  # ties: the first

    def _choice_model(self):
        return choice_model(self._inner())

    # -- prediction
    def _found(self, X):
        check_is_fitted(self, "estimator_")
        A, _, found = self._halves(X, reset=False)
        return A, found

    def _predict_found(self, A, groups, method="predict"):
        Z = self._standardized(A, groups, self.normalize_, batch=True)
        return call(self.estimator_, method, Z)

    def _fill(self, A, found, groups, method):
        groups = check_subjects(groups, len(A), "groups")
        inputs.warn_without_groups(self, groups, int(found.sum()), method)
        if found.any():
            values = like = self._predict_found(A[found], None if groups is None
                                                else groups[found], method)
        else:  # a stand-in row tells the output's shape and type, and each AU's kind
            like = call(self.estimator_, method, np.zeros((1, A.shape[1])))
            values = inputs.no_rows(like)
        return inputs.fill_no_face(values, found, NO_FACE, like)  # NaN for numbers

    def predict(self, X, groups=None):
        """Predict every row; rows without a face get ``NO_FACE`` (``''``) or NaN.

        With a face in every row the predictions come as the estimator gives
        them (integers stay integers); else numbers become float, NaN if no face.

        Parameters
        ----------
        X : ndarray, shape (n_samples, n_features)
        groups : array-like, shape (n_samples,), optional
            Subject ids of the rows (``normalize='person'``).

        Returns
        -------
        ndarray, shape (n_samples,) or (n_samples, n_outputs)
        """
        A, found = self._found(X)
        return self._fill(A, found, groups, "predict")

    @available_if(inputs.estimator_has("decision_function"))
    def decision_function(self, X, groups=None):
        """Return the estimator's decision scores (NaN rows where there is no face)."""
        A, found = self._found(X)
        return self._fill(A, found, groups, "decision_function")

    @available_if(inputs.estimator_has("decision_scores"))
    def decision_scores(self, X, groups=None):
        """Return the AU models' positive-class scores (NaN rows where there is no face).

        For an estimator with ``decision_scores``, such as
        :class:`~aufeat.estimators.AUClassifier`, or a Pipeline ending in one (the other
        steps transform the features, the last one scores them).
        """
        A, found = self._found(X)
        return self._fill(A, found, groups, "decision_scores")

    @available_if(inputs.estimator_has("predict_proba"))
    def predict_proba(self, X, groups=None):
        """Return the estimator's class probabilities (NaN rows where there is no face)."""
        A, found = self._found(X)
        return self._fill(A, found, groups, "predict_proba")

    def score(self, X, y, groups=None, sample_weight=None):
        """Return a higher-is-better score of the predictions of ``X`` against ``y``.

        Accuracy for class labels (a row without a face is wrong), mean F1 over the AUs
        shown for AU outputs coded 0/1 or -1/+1 (several, or one of an AUClassifier's, also
        at a Pipeline's end: F1 or accuracy per AU as AUClassifier.score; none shown: accuracy
        over the coded cells): the score ``normalize='auto'`` chooses by. For regressors R²
        over the coded values, averaged over the AUs, as scikit-learn regressors and
        AURegressor score (NaN when a row with a coded value has no face). Rows weighted
        by ``sample_weight``; a DataFrame ``y`` read as the AU model alone reads it. Class
        labels ``''`` (no label) are refused, as ``fit`` refuses them: ``''`` is the "no
        face" prediction, so such rows would count as right exactly where no face is found.
        """
        inner = self._inner()
        y = score_labels(self, y)  # by fit's names of y's columns, else by au_names given
        if not (au_model(inner) or is_regressor(inner)):
            check_blank_labels(y, getattr(y, "columns", None), "FaceModel.score")
        predicted = self.predict(X, groups=groups)
        if is_regressor(inner):
            return face_r2(y, predicted, sample_weight)
        return model_score(y, predicted, False, sample_weight, per_output=per_output(inner),
                           occurrence=au_occurrence(self.estimator_))  # per AU, by its classes

    def __setstate__(self, state):
        """Restore a saved model, also one saved before ``min_group`` (2026-12-02).

        As :class:`PersonNormalizer` does: ``min_group=1`` (every person on their own
        median, as then) and, for a fitted ``'person'`` model, a zero ``center_``.
        """
        person = state.get("normalize_") == "person"
        super().__setstate__(saved_before_min_group(state, len(state["mean_"]) if person
                                                    else None))

    @property
    def classes_(self):
        """The estimator's classes."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.classes_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        inner_tags = self._inner().__sklearn_tags__()
        tags.estimator_type = inner_tags.estimator_type
        tags.target_tags = inner_tags.target_tags
        tags.classifier_tags = inner_tags.classifier_tags
        tags.regressor_tags = inner_tags.regressor_tags
        return tags
