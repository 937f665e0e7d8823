"""``evaluate``: one configuration, one task, one honest protocol.

Features are computed once per (data set, extractor), through the cache when one is
given; folds are then fitted in parallel with joblib. Predictions of all test folds are
pooled for the headline metrics (each sample is tested exactly once under ``loso`` and
``group-kfold``), and every fold's own metrics are kept in ``per_fold``. Every held-out
item counts: one without a face (NaN features) gets the "no face" prediction (no
emotion: an error; no AU present and intensity 0: an error where the AU is present),
and ``coverage`` says how many had one.
"""

from __future__ import annotations

import numpy as np

from aufeat._warnings import warn
from aufeat.estimators.recipes import TASKS

from ._arguments import check_inputs, check_model_inputs, configurations_for, resample_count
from ._folds import fit_fold, in_workers, pool_scores, task_metrics, with_au_names
from ._headline import small_headline_note
from ._items import listed
from ._models import REGRESSOR_FOR, make_model, model_name, normalize_mode, with_normalization
from ._person_ids import no_person_ids_note
from ._rows import kept_rows, unlabelled_notes
from .intervals import DEFAULT_RESAMPLES, bootstrap_intervals
from .protocols import parse_protocol, warn_without_person_ids
from .results import EvaluationResult

__all__ = ["REGRESSOR_FOR", "TASKS", "evaluate", "evaluate_many", "make_model", "model_name"]


def evaluate(dataset, X, *, model="linear-svm", task="emotion", protocol="loso",
             features_name="features", target=None, target_X=None, labels=None,
             normalize=False, n_jobs=None, random_state=0, extract_seconds=0.0,
             keep_predictions=False, n_bootstrap=DEFAULT_RESAMPLES,
             progress=True) -> EvaluationResult:
    """Evaluate one model on precomputed features under a subject-independent protocol.

    Parameters
    ----------
    dataset : FaceDataset
        Supplies ``subject``, labels (``emotion`` or ``aus``/``au_names``),
        ``split`` for the ``split`` protocol, and ``name``.
    X : ndarray, shape (n_samples, n_features) or (n_samples, H, W[, C])
        Features of ``dataset`` in row order, or aligned images for an image model such as
        :class:`aufeat.keras.KerasCNNClassifier`. Rows or images holding NaN (no face found,
        failed extraction) are never given to the model; held out, they get the "no face"
        prediction, scored as the module docstring says (see ``coverage``).
    model : str or estimator
        A classifier preset name (``'smote+NAME'`` for SMOTE) or an estimator; for
        ``au-intensity`` a name maps to its regressor (:func:`make_model`), the one
        ``result.classifier`` records. An estimator (or a ``Pipeline``'s last step) whose
        ``fit`` and ``predict`` take ``groups`` gets each side's subject ids; so does a search's
        ``fit`` (``GridSearchCV(..., cv=GroupKFold())``: tuned by person). A ``Pipeline`` step
        that takes ``subjects`` (``PersonNormalizer``) gets the training ids in ``fit`` and each
        test person is centred on their own median. AU models' ``au_names`` (at any depth) at
        None, the AUs evaluated in another order, or more (``cross:``) get a clone named by them
        (noted in ``result.warnings`` but for None); as many other names (AU06) rename the labels
        in order; others, or an evaluated AU moved among them: ValueError before any fit.
    task : {'emotion', 'au-occurrence', 'au-intensity'}
    protocol : str
        ``'loso'``, ``'group-kfold:K'``, ``'split'`` or ``'cross:NAME'`` (then
        ``target`` and ``target_X`` are the test data set and its features).
    features_name : str
        Name of the features, for the record.
    labels : iterable of str, optional
        Emotion classes to keep, in order (others are dropped); an AU task refuses it
        (ValueError). Fewer than two of them with images is refused (ValueError naming
        those no image has). Rows without an emotion label are never scored: they are
        left out, and a warning (also in ``result.warnings``) says how many.
    normalize : {False, 'none', 'person', 'domain', 'auto'} or True
        Wrap the model in :class:`~aufeat.estimators.FaceModel` with this normalisation:
        ``'person'`` (or True) subtracts each subject's median feature vector (from their own
        unlabelled samples; legal at test time), ``'domain'`` standardises each test set with
        its own statistics, ``'auto'`` chooses by person-wise CV on each training fold. A model
        that is already a ``FaceModel`` keeps its own setting. Images (``X`` of more than 2
        dimensions) are not normalised: ``'auto'`` means none for them, and the other modes are
        refused (ValueError).
    n_jobs : int, optional
        Folds fitted in parallel (joblib), each under the caller's scikit-learn config.
        Results of any two ``n_jobs`` agree to about 1e-10 in scores and metrics, not
        bit for bit (each worker's BLAS runs fewer threads, which sums in another order).
        Under a thread backend (``joblib.parallel_backend('threading')``) liblinear
        models (linear SVM, SVR) also move in the 5th decimal from run to run, as
        scikit-learn's own do (one process-wide ``rand()``): use processes (the default).
    random_state : int
        Seed of the model and its inner choices (SMOTE, threshold tuning, ...). Not of the
        95% intervals over people: their resamples are drawn with seed 0, so that results
        of several configurations share them (:func:`aufeat.evaluation.compare_results`).
    extract_seconds : float
        Time spent extracting ``X``, copied into the record.
    keep_predictions : bool
        Keep pooled ``y_true``/``y_pred``/``scores`` and each row's ``subjects``
        in ``result.predictions`` (for confusion matrices, ROC curves and
        :func:`~aufeat.evaluation.intervals.paired_difference`).
    n_bootstrap : int
        Resamples of the tested people behind ``metrics['intervals']``, the 95% intervals of the
        pooled metrics (:mod:`aufeat.evaluation.intervals`); 0 leaves them out.
    progress : bool
        Show a bar of the folds fitted on stderr, once the folds have taken 5 seconds
        (a ``loso`` run of hundreds of people): quicker runs print nothing.

    Returns
    -------
    EvaluationResult

    Examples
    --------
    >>> import aufeat
    >>> data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=7, size=48)
    >>> X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))
    >>> result = aufeat.evaluate(data, X, model="linear-svm", protocol="group-kfold:2")
    >>> result.protocol, result.n_subjects, len(result.per_fold)
    ('group-kfold:2', 4, 2)
    >>> 0 <= result.metrics["accuracy"] <= 1
    True
    >>> low, high = result.metrics["intervals"]["accuracy"]  # 95%, resampling the 4 people
    >>> low <= result.metrics["accuracy"] <= high
    True
    """
    plan = _Plan(dataset, X, model=model, task=task, protocol=protocol,
                 features_name=features_name, target=target, target_X=target_X,
                 labels=labels, normalize=normalize, random_state=random_state,
                 extract_seconds=extract_seconds, keep_predictions=keep_predictions,
                 n_bootstrap=n_bootstrap)
    return plan.collect(list(_fitted([plan], n_jobs, progress)))


def _fitted(plans, n_jobs, shown: bool):
    """Yield the outputs of the plans' folds, in order, counted on a bar once 5 s have passed."""
    from sklearn.utils.parallel import Parallel  # carries the caller's sklearn config

    from aufeat._progress import progress

    tasks = (task for plan in plans for task in plan.tasks(in_workers(n_jobs)))
    with progress(total=sum(plan.n_tasks for plan in plans), desc="evaluate", unit="fold",
                  enabled=shown, leave=False, late=True) as bar:
        for output in Parallel(n_jobs=n_jobs, return_as="generator")(tasks):
            bar.update()
            yield output


def evaluate_many(configurations, *, n_jobs=None, progress=True):
    """Evaluate several configurations with all their folds in one pool of workers.

    One configuration's folds leave cores idle when there are fewer folds than
    cores or their count is not a multiple (5 folds on 2 cores: 3 rounds, the
    last one on one core); here every fold of every configuration is one task,
    so the workers stay busy until the last fold. Results are those of
    :func:`evaluate` with the same arguments, yielded in the configurations'
    order as each one's last fold is back.

    Parameters
    ----------
    configurations : iterable of dict
        Keyword arguments of :func:`evaluate` (``dataset``, ``X``, ``model``, ...),
        one dict per configuration, without ``n_jobs``. All of them are prepared
        before the first fit: configurations that pass the same ``X`` object with
        the same task, labels, protocol and normalisation share one copy of the
        rows they keep, but different matrices are each copied (for a large data
        set, pass one feature matrix's configurations per call).
    n_jobs : int, optional
        Folds fitted in parallel (joblib); -1 uses every core.
    progress : bool
        Show a bar of all the folds fitted, once they have taken 5 seconds.

    Yields
    ------
    EvaluationResult

    Examples
    --------
    >>> import aufeat
    >>> from aufeat.evaluation import evaluate_many
    >>> data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=7, size=48)
    >>> X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))
    >>> runs = [{"dataset": data, "X": X, "model": m, "protocol": "group-kfold:2"}
    ...         for m in ("linear-svm", "rf")]
    >>> [r.classifier for r in evaluate_many(runs)]
    ['linear-svm', 'rf']
    """
    shared: dict = {}
    plans = [_Plan(**c, shared=shared) for c in configurations_for(evaluate, configurations)]
    shared.clear()  # the plans hold what they need
    if not plans:
        return
    outputs, done = [], 0
    for output in _fitted(plans, n_jobs, progress):
        outputs.append(output)
        if len(outputs) == plans[done].n_tasks:
            yield plans[done].collect(outputs)
            plans[done], outputs, done = None, [], done + 1  # free its rows


class _Plan:
    """One configuration made ready to fit: kept rows, targets, folds and model.

    ``shared`` (a dict) lets configurations over the same ``X`` object reuse
    one copy of the rows they keep.
    """

    def __init__(self, dataset, X, *, model="linear-svm", task="emotion", protocol="loso",
                 features_name="features", target=None, target_X=None, labels=None,
                 normalize=False, random_state=0, extract_seconds=0.0,
                 keep_predictions=False, n_bootstrap=DEFAULT_RESAMPLES, shared=None):
        check_inputs(dataset, X)  # swapped, or no features: said before any work
        self.parsed = parse_protocol(protocol)
        # checked now: it is used only after every fold is fitted
        self.n_bootstrap = 0 if n_bootstrap is None else resample_count(n_bootstrap, "n_bootstrap")
        self.dataset, self.task, self.model = dataset, task, model
        self.features_name = features_name
        self.notes = unlabelled_notes(task, dataset,
                                      target if self.parsed.name == "cross" else None)
        self.extract_seconds, self.keep_predictions = extract_seconds, keep_predictions
        labels = listed(labels)  # a map or generator: read once; a string: one label
        key = (id(X), id(dataset), task, None if labels is None else tuple(labels),
               str(self.parsed), id(target), id(target_X))
        if shared is not None and key in shared:
            rows = shared[key][1]
        else:
            rows = kept_rows(dataset, X, task, self.parsed, target, target_X, labels)
            if shared is not None:  # the inputs are kept alive so that no id is reused
                shared[key] = ((X, dataset, target, target_X), rows)
        (self.X, self.y, self.subjects, self.found, self.folds, self.validation, self.labels,
         self.au_names, self.id_notes) = rows  # id_notes: warned already, for the record
        check_model_inputs(model, self.X)  # images for a preset: before the first fold
        self.no_ids = None if self.parsed.name == "cross" else no_person_ids_note(
            getattr(dataset, "name", "dataset"), str(self.parsed), self.subjects)
        if self.no_ids is not None:  # before the first fit: loso's may be thousands
            warn(self.no_ids)
        estimator = (make_model(task, model, au_names=self.au_names, random_state=random_state)
                     if isinstance(model, str) else with_au_names(model, self.au_names, self.notes))
        mode = normalize_mode(normalize)
        if self.X.ndim > 2 and mode != "none":  # images: the modes work on feature vectors
            if mode != "auto":
                raise ValueError(
                    f"normalize={normalize!r} normalises feature vectors, but X holds images "
                    f"{self.X.shape[1:]}; an image model such as KerasCNNClassifier takes "
                    "normalize=False (or 'auto', which chooses none for images)")
            mode = "none"
        self.estimator = with_normalization(estimator, mode)

    def _all_folds(self):
        yield from self.folds  # loso's made as read: never all at once
        if self.validation is not None:
            yield self.validation

    def tasks(self, portable: bool = False):
        """One joblib task per fold (the validation fold of ``split`` last).

        scikit-learn's ``delayed``/``Parallel`` run each fit under the caller's
        scikit-learn config (metadata routing, ``transform_output``, ...), also in
        worker processes; there (``portable``), a fold's error is sent back as one
        the caller can unpickle (:func:`~aufeat.evaluation._folds.fit_fold_portable`).
        """
        from sklearn.utils.parallel import delayed

        from ._folds import fit_fold_portable

        fit = fit_fold_portable if portable else fit_fold
        return (delayed(fit)(self.estimator, self.X, self.y, tr, te, self.task,
                             self.subjects, self.found) for tr, te in self._all_folds())

    @property
    def n_tasks(self) -> int:
        """Number of joblib tasks of this configuration."""
        return len(self.folds) + (self.validation is not None)

    def collect(self, outputs) -> EvaluationResult:
        """Return the result from the folds' outputs (in fold order)."""
        last = None
        if self.validation is not None:
            outputs, last = outputs[:-1], outputs[-1]
        result = _collect(self.dataset, self.task, self.parsed, self.model, self.features_name,
                          self.y, self.subjects, self.found, self.folds, outputs,
                          self.au_names, self.labels, self.extract_seconds)
        validation = None if last is None else _validation_record(
            self, last, result.metrics.get("headline_aus"))
        if self.no_ids is None:  # a cross target's tested rows: known now
            warn_without_person_ids(result, self.subjects)
        else:  # warned when planned
            result.warnings = sorted({*result.warnings, self.no_ids})
        # unlabelled rows (left out before scoring), an AU headline of too few positives
        for note in (notes := [*self.notes, *filter(None, [small_headline_note(result)])]):
            warn(note)
        result.warnings = sorted({*result.warnings, *notes, *self.id_notes})
        intervals = _intervals(result, self.au_names, self.n_bootstrap)
        if intervals is not None:
            result.metrics["intervals"] = intervals
        if not self.keep_predictions:
            result.predictions = None
        result.validation = validation
        return result


def _intervals(result, au_names, n_bootstrap):
    """95% intervals of the pooled metrics, resampling the tested people (or None)."""
    if not n_bootstrap:
        return None
    p, m = result.predictions, result.metrics
    return bootstrap_intervals(result.task, p["y_true"], p["y_pred"], p["subjects"],
                               au_names=au_names, labels=m.get("labels"),
                               headline_aus=m.get("headline_aus"), n_resamples=n_bootstrap)


def _validation_record(plan, output, headline_aus) -> dict:
    """Metrics of the ``split`` protocol's validation rows, reported apart from the test's.

    AU-occurrence means are over the test's ``headline_aus``, as each fold's are,
    so that validation and test ``mean_f1`` average the same AUs.
    """
    _, rows = plan.validation
    metrics = task_metrics(plan.task, plan.y[rows], output[0], au_names=plan.au_names,
                           labels=plan.labels, subjects=plan.subjects[rows],
                           headline_aus=headline_aus)
    return {"n": len(rows), "coverage": float(plan.found[rows].mean()),
            "metrics": _summary(metrics)}


def _summary(metrics: dict) -> dict:
    """Return a fold's metrics without the per-class / per-AU detail."""
    return {k: v for k, v in metrics.items()
            if k not in ("per_class", "per_au", "confusion_matrix", "labels", "headline_aus")}


def _collect(dataset, task, parsed, model, features_name, y, subjects, found, folds, outputs,
             au_names, labels, extract_seconds):
    per_fold, preds, truths, scores_all, messages = [], [], [], [], []
    for (train, test), (pred, scores, s_labels, fit_s, pred_s, msgs) in zip(
            folds, outputs, strict=True):
        per_fold.append({"n_train": int(found[train].sum()), "n_test": len(test),
                         "coverage": float(found[test].mean()) if len(test) else 1.0,
                         "test_subjects": sorted(set(subjects[test]))[:50],
                         "fit_seconds": fit_s, "predict_seconds": pred_s})
        truths.append(y[test])
        preds.append(pred)
        messages.extend(msgs)
        if scores is not None:
            scores_all.append((scores, s_labels))
        elif not found[test].any():
            scores_all.append(len(test))  # no face to score: all its items rank last
    y_true, y_pred = np.concatenate(truths), np.concatenate(preds)
    tested = np.concatenate([test for _, test in folds])
    pooled_scores, score_labels = (pool_scores(scores_all) if len(scores_all) == len(folds)
                                   else (None, None))
    metrics = task_metrics(task, y_true, y_pred, au_names=au_names, labels=labels,
                           scores=pooled_scores, score_labels=score_labels,
                           subjects=subjects[tested])
    for fold, (_, test), pred in zip(per_fold, folds, preds, strict=True):
        # a fold's AU means are over the pooled headline's AUs, not a rule of its own
        fold["metrics"] = _summary(task_metrics(
            task, y[test], pred, au_names=au_names, labels=labels, subjects=subjects[test],
            headline_aus=metrics.get("headline_aus")))
    name = getattr(dataset, "name", "dataset")
    # the items evaluated (docs/results.md); across data sets, both sets' items
    counted = subjects if parsed.name == "cross" else subjects[tested]
    return EvaluationResult(
        dataset=name, task=task, protocol=str(parsed), features=features_name,
        classifier=model_name(task, model),
        n_samples=len(counted), n_subjects=len(set(counted)), metrics=metrics, per_fold=per_fold,
        coverage=float(found[tested].mean()) if len(tested) else 1.0,
        fit_seconds=sum(o[3] for o in outputs), predict_seconds=sum(o[4] for o in outputs),
        extract_seconds=extract_seconds, warnings=sorted(set(messages)),
        predictions={"y_true": y_true, "y_pred": y_pred, "scores": pooled_scores,
                     "score_labels": score_labels, "subjects": subjects[tested]},
    )
