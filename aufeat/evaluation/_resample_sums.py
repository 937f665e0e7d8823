"""Per-person sums behind the AU-intensity intervals, and the metrics of their totals.

:mod:`.intervals` resamples people as weighted sums of per-person rows; for the
intensity metrics those rows hold sums of ``x``, ``y``, ``x*x``, ``y*y``, ``x*y``
and ``|x - y|`` (``x`` the label, ``y`` the prediction), from which ICC(3,1),
Pearson's r, CCC and MAE follow by the formulas of :mod:`.metrics`.
"""

from __future__ import annotations

import numpy as np

from ._au_columns import au_table

__all__ = ["intensity_sums", "moment_metrics", "nanmean_rows"]

#: A variance from sums below this share of the mean square it is taken from is
#: rounding: the side is constant, as :func:`numpy.ptp` would find it.
_ROUNDING = 1e-10


def nanmean_rows(values: np.ndarray) -> np.ndarray:
    """Return the mean of each row over its defined (non-NaN) values; NaN where none is."""
    defined = ~np.isnan(values)
    total = np.where(defined, values, 0.0).sum(axis=1)
    n = defined.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, total / n, np.nan)


def intensity_sums(y_true, y_pred, au_names):
    """Per-item columns per AU: coded, x, y, x*x, y*y, x*y, |x - y|, and their summary.

    Returns the ``(n_items, 7 * n_aus)`` columns and the function turning totals of
    them (one row per resample) into the metrics of :func:`moment_metrics`.
    ``x`` and ``y`` are each centred on their own mean over the coded items of
    their AU: a variance from sums is then a difference of numbers of its own
    size, so a prediction that varies by 1e-6 around 2 (a heavily shrunk model)
    keeps its variance, and is constant only where it does not vary, as in
    :func:`~aufeat.evaluation.au_intensity_metrics`. Pearson's r and ICC(3,1)
    do not change with a shift of one side; CCC is given the two shifts'
    difference back.
    """
    y_true, y_pred, names = au_table(y_true, y_pred, au_names)  # no face: absent, 0
    coded = ~np.isnan(y_true)
    x = np.where(coded, y_true, 0.0)
    y = np.where(coded, y_pred, 0.0)
    absolute = np.abs(x - y)  # before the shifts, which differ between the sides
    shift_x, shift_y = ([side[coded[:, j], j].mean() if coded[:, j].any() else 0.0
                         for j in range(len(names))] for side in (x, y))
    offset = np.subtract(shift_x, shift_y)  # mean label minus mean prediction, of all items
    x, y = (x - shift_x) * coded, (y - shift_y) * coded
    counts = np.column_stack([coded, x, y, x * x, y * y, x * y, absolute]).astype(float)
    k = len(names)

    def summarise(totals):
        n, sx, sy, sxx, syy, sxy, sabs = (totals[:, i * k:(i + 1) * k] for i in range(7))
        metrics = moment_metrics(n, sx, sy, sxx, syy, sxy, sabs, offset)
        out = {(f"mean_{key}",): nanmean_rows(value) for key, value in metrics.items()}
        for j, name in enumerate(names):
            for key, value in metrics.items():
                out[("per_au", name, key)] = value[:, j]
        return out

    return counts, summarise


def moment_metrics(n, sx, sy, sxx, syy, sxy, sabs, offset=0.0) -> dict:
    """ICC(3,1), Pearson, CCC and MAE from sums (the formulas of :mod:`.metrics`).

    ``offset``: how much the labels were shifted less than the predictions before
    summing (the difference of their shifts), which only CCC depends on.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        mx, my = sx / n, sy / n
        vx, vy = sxx / n - mx * mx, syy / n - my * my
        cov = sxy / n - mx * my
        # a variance from sums is a difference of two near-equal numbers when a side is
        # constant: call it zero below a relative _ROUNDING, as the direct formulas see it
        varies_x, varies_y = vx > _ROUNDING * sxx / n, vy > _ROUNDING * syy / n
        # labels_vary: the labels alone decide which AUs have these (and enter the means);
        # a constant prediction of varying labels scores 0
        labels = varies_x & (n >= 2)
        pcc = np.where(labels, np.where(varies_y, cov / np.sqrt(vx * vy), 0.0), np.nan)
        ccc_den = vx + vy + (mx - my + offset) ** 2
        ccc = np.where(labels, 2 * cov / ccc_den, np.nan)
        grand = (sx + sy) / (2 * n)
        ss_rows = (sxx + 2 * sxy + syy) / 2 - 2 * n * grand ** 2
        ss_cols = n * ((mx - grand) ** 2 + (my - grand) ** 2)
        ss_error = sxx + syy - 2 * n * grand ** 2 - ss_rows - ss_cols
        ms_rows, ms_error = ss_rows / (n - 1), ss_error / (n - 1)
        den = ms_rows + ms_error
        # both sides constant: 0 / 0, whatever sign the residue of the sums has
        icc = np.where(labels & (den > 0), (ms_rows - ms_error) / den, np.nan)
        mae = np.where(n > 0, sabs / n, np.nan)
    return {"icc": icc, "pcc": pcc, "ccc": ccc, "mae": mae}
