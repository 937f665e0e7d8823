"""Action Unit models: one model per AU, honest about what each could learn.

:class:`AUClassifier` predicts AU occurrence (or intensity classes, as the DISFA
study did), :class:`AURegressor` predicts AU intensity (0-5). Both

* fit one clone of the base model per AU on the rows where that AU is coded
  (NaN = not coded, e.g. CK+ FACS files code only the AUs present);
* replace a model that cannot be trained (an AU with too few positives in a
  training fold, or coded only for people outside it) by an explicit constant
  model, record why in ``constant_outputs_`` and warn, rather than crash
  mid-protocol.

Threshold and class-weight tuning lives in ``_au_tuning``.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MultiOutputMixin, RegressorMixin, clone
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._au_names import fitted_names, score_targets
from ._au_outputs import (
    SavedAUModel,
    binary_outputs,
    occurrences,
    per_output,
    scored_outputs,
    stack_outputs,
    too_few,
    uncoded_model,
    warn_constant,
)
from ._au_state import checked_features, set_fitted
from ._au_tuning import (
    au_scores,
    candidate_weights,
    check_tuning_groups,
    fit_tuned,
    positive_scores,
    score_offset,
    subject_params,
)
from ._scoring import coded_mask as _coded
from ._scoring import coded_r2, intensities, model_score
from ._targets import as_2d_targets as _as_2d_targets
from ._targets import check_clip as _check_clip
from ._targets import check_some_coded as _check_some_coded
from ._targets import clipped as _clipped
from ._targets import coded_column as _coded_column
from ._targets import output_names as _output_names
from ._targets import warn_outside_clip as _warn_outside_clip
from .presets import make_classifier, make_regressor

__all__ = ["AUClassifier", "AURegressor"]


class AUClassifier(SavedAUModel, MultiOutputMixin, ClassifierMixin, BaseEstimator):
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
        An AU whose rarest class has fewer training samples (``FaceModel(mirror=True)``: each
        face and its mirror) than this gets a constant model of its majority class (warned).
    au_names : list of str, optional
        Names of the target columns, used in warnings, ``constant_outputs_`` and
        metrics (a pandas Index is saved as a list). A DataFrame ``Y`` (in ``fit`` and
        ``score``) whose columns are these names in another order is read by name; other
        names rename its columns in order. None: ``fit`` names them in its warnings and
        ``constant_outputs_`` by a DataFrame ``Y``'s columns (as text), else ``output0``, ...,
        and ``score`` reads a DataFrame by those names (others: ValueError; pandas' ``0, 1,
        ...`` columns, as an array, by position).
    tune_thresholds : bool, default=False
        For each binary AU, pick the decision threshold that maximises F1 on
        cross-validated scores of the *training* data (by subject when ``groups`` are
        passed to ``fit``, else over images; at most 3 folds, and no more than the rarer
        class has people, or images); never looks at test data.
        An AU whose rows cannot be split by subject (one person shows it) keeps its own
        decision rule, as does one whose model cannot be fitted on them (with a warning).
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
    classes_ : ndarray of ndarray
        The classes of each AU, one entry per AU (an object array, read as a
        list; a single array for 1-D targets).
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

    #: (parameter added since the first release, value as saves before it behave, per-AU
    #: fitted attribute going with it): see SavedAUModel
    _ADDED = (("tune_thresholds", False, "thresholds_"), ("class_weights", None, "class_weights_"))

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

    def fit(self, X, Y, groups=None):
        """Fit one model per target column on the rows where it is coded.

        ``groups`` (subject ids) make the threshold-tuning folds subject-disjoint; as
        ``(n_samples, 2)`` ``(subject id, pair id)`` (``FaceModel`` with ``mirror=True``)
        the folds follow the subject ids too, which keeps a face beside its mirror. A model
        whose ``fit`` takes ``groups`` (a Keras classifier: its early-stopping people; a
        search: its group splitter), also as a ``Pipeline``'s last step, gets the subject
        ids of the rows it is fitted on, as from ``FaceModel``. In a
        ``Pipeline``, pass them as ``<step name>__groups=``, or with metadata routing enabled
        request them with ``set_fit_request(groups=True)``.
        """
        X, features = checked_features(self, X)  # the state of a fit is set once it is done
        columns, fitted = fitted_names(Y)  # name the AUs in messages; kept for score once fit
        Y, single = _as_2d_targets(Y, self.au_names, warn=True)
        _check_some_coded(Y)
        if len(Y) != len(X):
            raise ValueError(f"X has {len(X)} rows but Y has {len(Y)}")
        groups = check_tuning_groups(groups, len(X))
        weights = candidate_weights(self)  # min_samples, class_weights... refused first
        names = _output_names(self.au_names, Y.shape[1], columns=columns)
        fits, constant = [], {}  # per AU: (model, threshold, class weight, classes)
        columns = [_coded_column(Y[:, j], name) for j, name in enumerate(names)]
        words = np.array(sorted({v for _, y in columns if y.dtype.kind in "US" for v in y}))
        # the two classes of word labels ('no'/'yes'): the last is present, as in tune()
        positive = str(words[-1]) if len(words) == 2 else None
        for name, (coded, y) in zip(names, columns, strict=True):
            check_classification_targets(y)  # continuous AU intensities belong in AURegressor
            labels, counts = np.unique(y, return_counts=True)
            if len(labels) == 0:
                model, constant[name] = uncoded_model(name, X, words, columns, positive)
                weight, threshold, labels = None, None, model.classes_
            else:
                model, weight, threshold = self._fit_output(
                    name, X[coded], y, labels, counts,
                    None if groups is None else groups[coded], weights, constant)
            fits.append((model, threshold, weight, labels))
        models, thresholds, chosen, classes = (list(values) for values in zip(*fits, strict=True))
        set_fitted(self, features, estimators_=models, constant_outputs_=constant,
                   thresholds_=thresholds, class_weights_=chosen, _positive=positive,
                   _single_output=single,
                   classes_=classes[0] if single else per_output(classes),
                   _fitted_names=fitted)
        return self

    def _fit_output(self, name, X, y, labels, counts, groups, weights, constant):
        """Return one AU's model, class weight, threshold (None: untuned); reasons: ``constant``."""
        return (too_few(name, X, y, labels, counts, self.min_samples, constant)
                or fit_tuned(self._base(), weights, X, y, labels, groups, self.random_state,
                             name, self.tune_thresholds))

    def predict(self, X):
        """Predict each AU: ``(n_samples, n_aus)``, or ``(n_samples,)`` for 1-D targets.

        AUs coded with numbers beside AUs coded with words give an object array.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        columns = []
        for j, model in enumerate(self.estimators_):
            threshold = self.thresholds_[j]
            if threshold is None:
                columns.append(model.predict(X))
            else:
                negative, positive = model.classes_
                columns.append(np.where(positive_scores(model, X) >= threshold, positive,
                                        negative))
        Y = stack_outputs(columns)  # an object array when numbers and words mix
        return Y[:, 0] if self._single_output else Y

    @available_if(scored_outputs)
    def decision_scores(self, X):
        """Return a positive-class score per AU (binary AUs), ``(n_samples, n_aus)``.

        Uses ``decision_function`` where the model has one, else
        ``predict_proba`` of the last class. An AU's constant model scores +1 or
        -1 when training saw one class only, and 1 or 0 (whether the majority
        class is the positive one) when it was kept for too few samples of a class.
        An AU coded in more classes (intensities 0-5) scores 1 minus the probability
        of its lowest class (absent), or, without ``predict_proba``, minus that
        class's decision score (it was the highest class's score, not presence).
        "Present" is a number above 0, or for word labels the last of the two
        classes the AUs use ('yes' of 'no'/'yes'). Not available when an AU's model has
        neither (a hard-voting ensemble): ``evaluate`` then reports no ROC-AUC.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        positive = getattr(self, "_positive", None)
        return np.column_stack([au_scores(model, X, positive) for model in self.estimators_])

    @available_if(binary_outputs)
    def decision_function(self, X):
        """Return :meth:`decision_scores`, 1-D for 1-D targets, as scikit-learn's scorers take.

        So ``scoring='roc_auc'`` (or ``'average_precision'``) works in
        ``cross_val_score`` and ``GridSearchCV`` on fully coded AUs. Each AU's
        scores are shifted so that a score above 0 is exactly what :meth:`predict`
        calls present: a tuned threshold counts a score equal to it as present, so
        the shift is the float just below it (``np.nextafter(threshold, -inf)``),
        and a score at the threshold becomes a tiny positive number, not 0. Not so for a
        per-AU model with a threshold of its own (``FixedThresholdClassifier``,
        ``TunedThresholdClassifierCV``: their scores are the inner model's, cut at 0 / 0.5).
        Not available when an output has more than two classes (intensities), or an AU's
        model has no scores (:meth:`decision_scores`).
        """
        check_is_fitted(self)
        offsets = [0.0 if len(m.classes_) == 1 else score_offset(m, t)
                   for m, t in zip(self.estimators_, self.thresholds_, strict=True)]
        scores = self.decision_scores(X) - np.asarray(offsets)
        return scores[:, 0] if self._single_output else scores

    def score(self, X, y, sample_weight=None):
        """Mean over the AUs of F1 (occurrence AUs) or accuracy (intensity classes, words).

        F1 for an AU where its fitted classes and its labels in ``y`` are both within 0/1 (or
        -1/+1), else accuracy: intensity classes where a held-out person shows only 0/1, or a
        fold's model fitted on 0/1 where ``y`` shows 2 or 3. An occurrence AU showing no
        positive is left out; where none does (a held-out person who never shows them) and no
        other AU is scored, the accuracy over the coded cells (F1 is 0 whatever is predicted).
        Scored where ``y`` is coded (NaN / None cells are left out), as ``fit`` trains, so
        ``cross_val_score`` and ``GridSearchCV`` work on partly coded AUs given a splitter
        (``cv=GroupKFold(5)`` with the subject ids as ``groups``, so no person is on both
        sides): with an integer ``cv`` (their default) scikit-learn stratifies by ``y`` and
        refuses its NaN before any fit. ``sample_weight`` weighs the rows. A ``y`` of
        another number of AUs (or rows) than the model's is refused (ValueError).
        """
        return model_score(score_targets(self, y), self.predict(X), regressor=False,
                           sample_weight=sample_weight, per_output=True,  # 1-D y: one AU
                           occurrence=occurrences(self))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        tags.input_tags.allow_nan = False
        return tags


class AURegressor(SavedAUModel, MultiOutputMixin, RegressorMixin, BaseEstimator):
    """One intensity regressor per AU, predictions clipped to ``clip``.

    Parameters
    ----------
    estimator : str or estimator, default='ridge'
        A :func:`~aufeat.estimators.make_regressor` preset name or an
        unfitted regressor, cloned for every AU.
    clip : (float, float) or None, default=(0, 5)
        Range of valid intensities (FACS A-E = 1-5, 0 = absent), low below
        high (``fit`` refuses others); None for a side: no bound there.
    au_names : list of str, optional
        Names of the target columns, as :class:`AUClassifier`'s ``au_names``.
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
    >>> Y = np.column_stack([5 * X[:, 0], 5 - 5 * X[:, 0]])  # two AUs, intensities 0-5
    >>> model = AURegressor("ridge").fit(X, Y)
    >>> model.predict([[0.5], [1.5]]).round(2).tolist()  # 1.5: 6.5 and -1.5, clipped to 0-5
    [[2.5, 2.5], [5.0, 0.0]]
    """

    # routing: unrequested unless set_fit_request(groups=True), else a search refuses it unset
    __metadata_request__fit = {"groups": False}  # noqa: RUF012 (scikit-learn's class protocol)

    def __init__(self, estimator="ridge", *, clip=(0.0, 5.0), au_names=None, random_state=None):
        self.estimator = estimator
        self.clip = clip
        self.au_names = au_names
        self.random_state = random_state

    def _base(self):
        if isinstance(self.estimator, str):
            return make_regressor(self.estimator, random_state=self.random_state)
        return clone(self.estimator)

    def fit(self, X, Y, groups=None):
        """Fit one regressor per AU on the rows where it is coded (NaN: not coded).

        Coded values outside ``clip`` (9 for "not coded") are learnt as given, with a warning.
        ``groups`` (subject ids) go on as :class:`AUClassifier` passes them: to a model
        whose ``fit`` takes them (a search: its group splitter, for a per-AU search by person).
        With metadata routing on, a search or ``cross_validate`` around it passes them only
        after ``AURegressor(...).set_fit_request(groups=True)`` (not requested by default);
        ``FaceModel`` and ``evaluate`` always give them.
        """
        from sklearn.dummy import DummyRegressor

        _check_clip(self.clip)
        X, features = checked_features(self, X)  # the state of a fit is set once it is done
        columns, fitted = fitted_names(Y)  # name the AUs in messages; kept for score once fit
        Y, single = _as_2d_targets(Y, self.au_names, warn=True)
        Y = intensities(Y)  # NaN where not coded (None, pandas.NA too)
        _check_some_coded(Y)
        if len(Y) != len(X):
            raise ValueError(f"X has {len(X)} rows but Y has {len(Y)}")
        groups = check_tuning_groups(groups, len(X))
        names = _output_names(self.au_names, Y.shape[1], columns=columns)
        _warn_outside_clip(Y, names, self.clip)  # e.g. 9 = 'not coded' in BP4D-style files
        models, constant = [], {}
        for j, name in enumerate(names):
            coded = _coded(Y[:, j])
            y = Y[coded, j]
            if y.size == 0:  # coded only for people outside this training set
                constant[name] = ("not coded in any training sample; predicted "
                                  f"{_clipped(0.0, self.clip):g}")
                warn_constant(name, constant[name])
                models.append(DummyRegressor(strategy="constant", constant=0.0)
                              .fit(X[:1], np.zeros(1)))
                continue
            if np.ptp(y) == 0:
                constant[name] = f"intensity is always {y[0]:g} in the training data"
                warn_constant(name, constant[name])
                model = DummyRegressor(strategy="mean")
            else:
                model = self._base()
            models.append(model.fit(X[coded], y, **subject_params(
                model, None if groups is None else groups[coded])))
        set_fitted(self, features, estimators_=models, constant_outputs_=constant,
                   _single_output=single, _fitted_names=fitted)
        return self

    def predict(self, X):
        """Predict intensities ``(n_samples, n_aus)`` (1-D for 1-D targets), clipped."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        Y = np.column_stack([model.predict(X) for model in self.estimators_]).astype(float)
        if self.clip is not None:
            Y = np.clip(Y, *self.clip)
        return Y[:, 0] if self._single_output else Y

    def score(self, X, y, sample_weight=None):
        """Return R² per AU over its coded (non-NaN) intensities, averaged over the AUs.

        AUs whose coded intensities do not vary are left out; when none varies (a
        held-out person who never shows the AU), scikit-learn's ``r2_score`` is
        averaged as it is (1.0 for an exact prediction, else 0.0), so that one such
        fold does not make a LOSO search's mean NaN.
        Rows are weighted by ``sample_weight``. ``RegressorMixin.score`` would fail on
        the NaN cells ``fit`` accepts.
        """
        return coded_r2(score_targets(self, y), self.predict(X), sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags
