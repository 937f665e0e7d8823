"""The score ``FaceModel`` chooses its normalisation by (and returns from ``score``)."""

from __future__ import annotations

import numpy as np

__all__ = ["compare_candidates", "model_score"]


def model_score(y_true, y_pred, regressor: bool) -> float:
    """Return a higher-is-better score of predictions.

    Accuracy for one column of labels (a row without a face, predicted ``''``
    or NaN, counts as wrong); for several binary outputs (AU occurrence) the
    mean F1 over the outputs with a positive, over coded (non-NaN) values; for
    several other label columns the mean accuracy per column; for regressors
    the negative mean squared error over coded values (NaN where a row has no
    prediction).

    Examples
    --------
    >>> model_score(["a", "b", "b"], ["a", "b", "a"], regressor=False)
    0.6666666666666666
    >>> model_score([[1, 0], [0, np.nan]], [[1, 1], [0, 0]], regressor=False)
    1.0
    >>> model_score([1.0, 2.0], [1.0, 3.0], regressor=True)
    -0.5
    """
    if regressor:
        truth = np.asarray(y_true, dtype=float)
        coded = ~np.isnan(truth)
        diff = truth[coded] - np.asarray(y_pred, float)[coded]
        return -float(np.mean(diff ** 2))
    truth, pred = np.asarray(y_true), np.asarray(y_pred)
    if truth.ndim == 1:
        return float(np.mean(truth == pred))
    if truth.dtype.kind not in "biuf":  # several columns of class names
        return float(np.mean(truth == pred))
    from sklearn.metrics import f1_score

    f1s = []
    for t, p in zip(truth.astype(float).T, np.asarray(pred, float).T, strict=True):
        coded = ~np.isnan(t)
        if (t[coded] > 0).any():
            f1s.append(f1_score(t[coded] > 0, p[coded] > 0, zero_division=0))
    return float(np.mean(f1s)) if f1s else 0.0


def compare_candidates(fit_and_predict, candidates, splits, y, regressor: bool) -> dict:
    """Return each candidate's mean :func:`model_score` over the folds all of them fit.

    ``fit_and_predict(candidate, train, test)`` returns the predictions of the
    test rows. A fold whose training side cannot be fitted (a ValueError: an AU
    coded for none of its people, one class only) is left out for every
    candidate, with a warning; when no fold is left the result is empty.
    """
    import warnings

    from aufeat.exceptions import AufeatWarning

    per_candidate = {candidate: [] for candidate in candidates}
    skipped = []
    for train, test in splits:
        try:
            predicted = {c: fit_and_predict(c, train, test) for c in candidates}
        except ValueError as err:
            skipped.append(str(err))
            continue
        for candidate, values in predicted.items():
            per_candidate[candidate].append(model_score(y[test], values, regressor))
    if skipped:
        kept = len(per_candidate[candidates[0]])
        outcome = (f"the other {kept} decide" if kept else
                   f"none is left, so {candidates[0]!r} is used")
        warnings.warn(f"{len(skipped)} inner fold(s) left out of the comparison of "
                      f"{', '.join(map(repr, candidates))}: their training side could not be "
                      f"fitted ({skipped[0]}); {outcome}", AufeatWarning, stacklevel=4)
    return {c: float(np.mean(v)) for c, v in per_candidate.items() if v}
