"""Person-specific normalisation (OpenFace's key trick for AU recognition).

Each subject's features are centred on that subject's own median feature
vector, which removes much of the identity (face shape, skin, lighting set-up)
and leaves the expression. The median is computed from the subject's own
*unlabelled* samples, so it is legal at test time: no label and no other
subject is used. At test time a new person therefore needs several frames
(a video, a session) before predictions are normalised well.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from aufeat._missing import as_array, missing_mask

from ._au_state import checked_features, set_fitted

__all__ = ["PersonNormalizer", "person_normalize", "subject_normalize", "training_center"]


def subject_normalize(X, subjects, *, statistic: str = "median") -> np.ndarray:
    """Subtract each subject's median (or mean) feature vector from their rows.

    Parameters
    ----------
    X : ndarray, shape (n_samples, n_features)
    subjects : array_like, shape (n_samples,), or None
        Subject id of every row; None: all rows are one person (as
        :func:`person_normalize` reads it).
    statistic : {'median', 'mean'}

    Returns
    -------
    ndarray, shape (n_samples, n_features)
        Float64 (float32 input stays float32). Rows entirely NaN (failed
        extractions) stay NaN and do not enter any subject's statistic.

    Raises
    ------
    ValueError
        If ``X`` is not 2-D, holds ``inf`` (which would enter its subject's
        statistic and turn that subject's other rows infinite or NaN), or has a
        row partly NaN (:func:`face_mask`).

    Examples
    --------
    >>> X = np.array([[1.0, 10.0], [3.0, 14.0], [100.0, 0.0]])
    >>> subject_normalize(X, ["a", "a", "b"]).tolist()
    [[-1.0, -2.0], [1.0, 2.0], [0.0, 0.0]]
    """
    check_statistic(statistic)
    X = _check_rows(X)
    subjects = check_subjects(subjects, len(X))
    if subjects is None:
        subjects = np.zeros(len(X), dtype=int)
    reduce = np.nanmedian if statistic == "median" else np.nanmean
    out = np.empty_like(X)
    for subject in np.unique(subjects):
        rows = subjects == subject
        block = X[rows]
        finite = ~np.isnan(block).any(axis=1)
        center = reduce(block[finite], axis=0) if finite.any() else np.zeros(X.shape[1])
        out[rows] = block - center.astype(X.dtype)
    return out


def saved_before_min_group(state, width) -> dict:
    """Return the saved ``state`` of a person-normalising model as this version reads it.

    A model saved by an aufeat without ``min_group`` (none in ``state``) centred every
    person on their own median: it gets ``min_group=1``, which does so, and, if fitted
    (``width``: its number of normalised columns; None if it is not fitted or does not
    normalise per person), a zero ``center_``, which ``min_group=1`` uses only for a
    person without a face (whose rows stay NaN). Used by ``PersonNormalizer`` and
    ``FaceModel``.
    """
    state = dict(state)
    state.setdefault("min_group", 1)
    if width is not None and "center_" not in state:
        state["center_"] = np.zeros(width)
    return state


def _check_rows(X) -> np.ndarray:
    """Return 2-D float64 ``X`` (float32 stays) without ``inf`` nor rows partly NaN (ValueError).

    A row of NaN stays (no face, out of every statistic): :func:`face_mask`.
    """
    X = _check_2d(np.asarray(X))
    X = check_finite(X.astype(np.float32 if X.dtype == np.float32 else np.float64))
    face_mask(X)
    return X


def face_mask(X: np.ndarray, step: str = "") -> np.ndarray:
    """Return which rows of 2-D ``X`` hold a face (not all NaN); refuse one partly NaN.

    ``step``: the pipeline step refusing it (its input is not the user's ``X``).
    """
    nan = np.isnan(X)
    missing = nan.all(axis=1) if X.shape[1] else np.zeros(len(X), dtype=bool)
    if (partly := nan.any(axis=1) & ~missing).any():
        first = int(np.flatnonzero(partly)[0])
        fill = (f"impute before {step} (e.g. a SimpleImputer ahead of it)" if step else
                "fill in the missing features (e.g. sklearn.impute.SimpleImputer)")
        raise ValueError(f"{step + ': ' if step else ''}{int(partly.sum())} row(s) of X are partly "
                         f"NaN, the first is row {first} ({int(nan[first].sum())} of {X.shape[1]} "
                         f"features NaN); only a row entirely NaN means 'no face found': {fill} "
                         "or set the whole row to NaN")
    return ~missing


def check_finite(X: np.ndarray) -> np.ndarray:
    """Return float ``X`` if it holds no ``inf`` (NaN: no face), else refuse it naming the first."""
    infinite = np.isinf(X)
    if infinite.any():
        row, column = np.argwhere(infinite)[0]
        raise ValueError(f"X has {int(infinite.sum())} infinite value(s), the first in row "
                         f"{row}, column {column}; features must be finite numbers (a row of "
                         "NaN stands for an item without a face)")
    return X


def _check_2d(X: np.ndarray) -> np.ndarray:
    """Return ``X`` if it is 2-D ``(n_samples, n_features)``, else refuse it (ValueError).

    Centring is per column of rows: a 1-D ``X`` had no rows (numpy's AxisError), and a
    3-D one (landmarks ``(n, 68, 2)``) had its NaN mask taken per point, centring wrongly.
    """
    if X.ndim != 2:
        hint = {1: "; pass X.reshape(-1, 1) for one feature",
                3: "; pass X.reshape(len(X), -1) for landmarks (n, 68, 2) or other rows of arrays"}
        raise ValueError(f"X must be a 2-D array (n_samples, n_features), got shape "
                         f"{X.shape}{hint.get(X.ndim, '')}")
    return X


def check_statistic(statistic) -> None:
    """Refuse a ``statistic`` other than ``'median'`` or ``'mean'`` (ValueError)."""
    if statistic not in ("median", "mean"):
        raise ValueError(f"statistic must be 'median' or 'mean', got {statistic!r}")


def is_count(value, minimum: int = 0) -> bool:
    """Whether ``value`` is a whole number >= ``minimum``: an int or whole float, not bool/NaN."""
    whole = (isinstance(value, numbers.Integral) or (isinstance(value, numbers.Real)
             and np.isfinite(value) and float(value).is_integer()))
    return bool(whole and not isinstance(value, bool) and value >= minimum)


def check_min_group(min_group) -> None:
    """Refuse a ``min_group`` that is not a whole number >= 0 (ValueError), once, at fit.

    ``0`` (every person on their own median, as ``1``) and whole floats (``3.0``
    from a config file) are taken; :func:`person_normalize` compares face counts
    with the value as it is, so a saved model is not checked again at predict.
    """
    if not is_count(min_group):
        raise ValueError(f"min_group must be a whole number of faces >= 0 (0 and 1 both centre "
                         f"every person on their own median), got {min_group!r}")


def training_center(X, statistic: str = "median") -> np.ndarray:
    """Return the median (or mean) feature vector of the rows with a face (no NaN).

    What a person too small to estimate their own is centred on
    (:func:`person_normalize`); zeros when no row has a face.
    """
    X = np.asarray(X, dtype=float)
    faces = X[~np.isnan(X).any(axis=1)]
    if not len(faces):
        return np.zeros(X.shape[1])
    return np.median(faces, axis=0) if statistic == "median" else faces.mean(axis=0)


def person_normalize(X, subjects, center, min_group: int, *,
                     statistic: str = "median") -> np.ndarray:
    """Centre each person on their own statistic, and a small one on ``center``.

    A person with fewer than ``min_group`` faces (rows without NaN) is centred on
    ``center`` (:func:`training_center` of the training faces): one or two images
    cannot estimate their own median, and a single image centred on itself
    becomes all zeros. The others as :func:`subject_normalize`. ``subjects``
    None: all rows are one person. The one rule of ``FaceModel(normalize='person')``
    and :class:`PersonNormalizer`, whose ``fit`` checks ``min_group``
    (:func:`check_min_group`).
    """
    X = _check_rows(X)
    subjects = (np.zeros(len(X), dtype=int) if subjects is None
                else check_subjects(subjects, len(X)))
    people, index = np.unique(subjects, return_inverse=True)
    faces = np.bincount(index[~np.isnan(X).any(axis=1)], minlength=len(people))
    few = faces[index] < min_group
    out = np.empty_like(X)
    if (~few).any():
        out[~few] = subject_normalize(X[~few], subjects[~few], statistic=statistic)
    out[few] = X[few] - np.asarray(center).astype(X.dtype)
    return out


def safe_scale(std: np.ndarray) -> np.ndarray:
    """Return ``std`` with (near-)zero entries replaced by 1, to divide by."""
    return np.where(std > 1e-12, std, 1.0)


def family_weights(blocks, width: int, mirror: bool = False) -> np.ndarray:
    """Return a weight per column giving each feature family the same total weight.

    ``blocks`` are the families' column counts (of each half of ``[face | mirror]``
    features when ``mirror``: ``width`` is then a half's, of ``FaceModel``'s ``X``
    of twice as many); a family of ``b`` of the ``width`` columns in ``k``
    families weighs ``sqrt(width / (k * b))`` per column. None: all columns weigh 1.

    Examples
    --------
    >>> family_weights((1, 4), 5).round(3).tolist()
    [1.581, 0.791, 0.791, 0.791, 0.791]
    """
    if blocks is None:
        return np.ones(width)
    blocks = [int(b) for b in blocks]
    if sum(blocks) != width or min(blocks) < 1:
        raise ValueError(_blocks_problem(blocks, width, mirror))
    return np.concatenate([np.full(b, np.sqrt(width / (len(blocks) * b))) for b in blocks])


def _blocks_problem(blocks: list[int], width: int, mirror: bool) -> str:
    """Say why ``blocks`` do not fit ``width`` columns (of each half when ``mirror``).

    With ``mirror``, ``X`` (``[face | mirror]``) has ``2 * width`` columns; one of
    ``sum(blocks)`` columns is the feature set made without its mirror half
    (``FaceFeatures``' default), which is said so, with the fix.
    """
    total = sum(blocks)
    if not mirror or min(blocks) < 1:
        return (f"blocks {tuple(blocks)} must be positive and add up to the {width} feature "
                f"columns{' of each half' if mirror else ''}")
    if 2 * width == total:
        return (f"X has {total} columns, the sum of blocks {tuple(blocks)}: it looks like the "
                "feature set without its mirror half. This model (mirror=True) takes each "
                "face's features followed by its mirror image's, [face | mirror], "
                f"{2 * total} columns: make them with FaceFeatures(..., mirror=True)")
    return (f"X has {2 * width} columns; this model (mirror=True) takes [face | mirror] "
            f"features, twice the {total} columns of blocks {tuple(blocks)}: {2 * total} "
            "columns (FaceFeatures(..., mirror=True) of the feature set of these blocks)")


def check_subjects(subjects, n_rows: int, name: str = "subjects") -> np.ndarray | None:
    """Return the subject ids as an array, or None; refuse a wrong length or missing ids.

    A NaN or None id would match no row (NaN != NaN), leaving its rows unset. Ids
    in an object array that cannot be sorted together (a spreadsheet column mixing
    ``101`` and ``'S7'``) come back as text, as ``evaluate`` reads them: NumPy
    cannot sort such a mix. Other object arrays (integers from a pandas column)
    are returned as they are, so that their ids keep their own order (1, 2, 10).
    """
    if subjects is None:
        return None
    subjects = as_array(subjects)  # a list's NaN stays NaN, not the text 'nan'
    if subjects.shape != (n_rows,):
        raise ValueError(f"{name} must have one id per row: {n_rows} rows, {name} of shape "
                         f"{subjects.shape}")
    missing = missing_mask(subjects)
    if missing.any():
        raise ValueError(f"{int(missing.sum())} row(s) have no id in {name} (NaN or None), "
                         f"the first is row {int(np.flatnonzero(missing)[0])}; give every row "
                         "an id (one per person)")
    if subjects.dtype.kind == "O":
        try:
            np.unique(subjects)
        except TypeError:  # kinds that do not compare (int and str): text
            return subjects.astype(str)
    return subjects


def _warn_one_person(largest, n_faces: int) -> None:
    """Warn that ``n_faces`` faces without subjects, more than ``largest``, are one person."""
    if largest is None or n_faces <= largest:
        return
    from aufeat._warnings import warn

    warn(f"PersonNormalizer.transform got {n_faces} faces without subjects, more than any "
         f"training person had ({largest}), and centres them on one median as one person; "
         "pass subjects (any one id if they are one person). scikit-learn scorers "
         "(scoring='accuracy', 'roc_auc', ...) never pass them: only scoring=None (the "
         "Pipeline's score, under metadata routing) gets the ids")


class PersonNormalizer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Transformer form of :func:`subject_normalize`, as ``FaceModel(normalize='person')``.

    ``transform(X, subjects=...)`` centres each subject on their own median.
    Without ``subjects`` all rows are treated as one person (plain median
    centring). The statistic of a test subject comes from that subject's test
    rows, as in OpenFace. A subject with fewer than ``min_group`` faces (a
    single photograph, say) is centred on ``center_``, the median of the
    training faces learnt in ``fit``, instead of their own, which one or two
    images cannot estimate (one image centred on itself is all zeros). Rows all NaN
    (no face found) stay NaN, out of every statistic and count; one partly NaN is refused.

    Parameters
    ----------
    statistic : {'median', 'mean'}, default='median'
    min_group : int, default=3
        Fewest faces of a subject centred on their own statistic (0 acts as 1;
        checked in ``fit``).

    Attributes
    ----------
    center_ : ndarray of shape (n_features,)
        The median (``statistic``) of the training rows with a face.
    max_person_faces_ : int or None
        The most faces one training subject had (None: ``fit`` got no ``subjects``).

    Notes
    -----
    In model selection (``GridSearchCV``, ``cross_val_score`` of a Pipeline), only
    ``scoring=None`` (the Pipeline's ``score``, under metadata routing with
    ``set_transform_request(subjects=True)``) gives ``transform`` the test rows'
    ``subjects``: scorers (``scoring='accuracy'``, ``'roc_auc'``, ...) call
    ``predict`` without them, and a whole test fold is then centred as one person.
    A batch without ``subjects`` of more faces than ``max_person_faces_`` gets a
    warning, as in ``FaceModel(normalize='person')``.

    Examples
    --------
    >>> X = np.array([[1.0], [3.0], [5.0], [10.0], [30.0], [50.0]])
    >>> norm = PersonNormalizer().fit(X)
    >>> norm.transform(X, subjects=[0, 0, 0, 1, 1, 1]).ravel().tolist()
    [-2.0, 0.0, 2.0, -20.0, 0.0, 20.0]
    >>> norm.transform([[100.0]], subjects=["one photo"]).ravel().tolist()  # 100 - 7.5
    [92.5]
    """

    def __init__(self, statistic="median", min_group=3):
        self.statistic = statistic
        self.min_group = min_group

    def fit(self, X, y=None, subjects=None):
        """Learn ``center_``, the training faces' median, and ``max_person_faces_``.

        ``subjects`` (one id per row, optional) tell the most faces one person has,
        above which ``transform`` without ids warns.
        """
        # set at the end: a refused refit keeps the last fit (its width beside its centre)
        X, features = checked_features(self, X, ensure_all_finite="allow-nan")
        check_statistic(self.statistic)
        check_min_group(self.min_group)
        subjects = check_subjects(subjects, len(X))
        faces = face_mask(X, "PersonNormalizer")  # all NaN: no face; partly: refused
        set_fitted(self, features, center_=training_center(X, self.statistic),
                   max_person_faces_=None if subjects is None or not faces.any()
                   else int(np.unique(subjects[faces], return_counts=True)[1].max()))
        return self

    def fit_transform(self, X, y=None, subjects=None):
        """Fit, then centre each subject's rows: ``Pipeline.fit(X, y, NAME__subjects=ids)``.

        At ``Pipeline.predict`` a transformer gets no ``subjects`` unless metadata
        routing is on (``set_transform_request(subjects=True)``), and never from a
        scorer (see Notes); without it, use ``FaceModel(normalize='person')``, whose
        ``predict`` takes ``groups``.
        """
        return self.fit(X, y, subjects=subjects).transform(X, subjects=subjects)

    def transform(self, X, subjects=None):
        """Centre each subject's rows on their own median (under ``min_group``: ``center_``).

        Without ``subjects`` all rows are one person; more faces than
        ``max_person_faces_`` are then warned about (see Notes).
        """
        check_is_fitted(self, "center_")
        X = validate_data(self, X, reset=False, ensure_all_finite="allow-nan")
        faces = face_mask(X, "PersonNormalizer")  # refuses a row partly NaN
        if subjects is None:  # max_person_faces_ None: saved before it
            _warn_one_person(getattr(self, "max_person_faces_", None), int(faces.sum()))
        return person_normalize(X, subjects, self.center_, self.min_group,
                                statistic=self.statistic)

    def __setstate__(self, state):
        """Restore a pickled or skops-saved object, also one saved before ``min_group``.

        Such an object (no ``min_group``, no ``center_``) centred every person on
        their own median: it gets ``min_group=1``, which does so, and, if it was
        fitted, a zero ``center_``, which ``min_group=1`` uses only for a person
        without a face (whose rows stay NaN).
        """
        super().__setstate__(saved_before_min_group(state, state.get("n_features_in_")))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags
