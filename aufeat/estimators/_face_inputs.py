"""What :class:`~aufeat.estimators.FaceModel` accepts, and what it hands its estimator.

``FaceModel`` takes a dense matrix of face features in which a row of NaN means
"no face found in this item". Everything else in that matrix must be a number:
``inf`` and a partly-NaN row (a face with some features missing) are refused
here, with the row (and column) to look at, rather than read as "no face" or
failing later inside the estimator. ``cv`` is an int or a splitter
(:func:`check_cv`). The subject ids (``groups``) go to the estimator's ``fit``,
or to a Pipeline's last step's, by :func:`fit_params`; a batch predicted
without them under ``normalize='person'`` is warned about
(:func:`warn_without_groups`).
"""

from __future__ import annotations

from numbers import Integral, Number

import numpy as np

from ._group_params import fit_params
from ._inner_model import au_step, has_method

__all__ = ["NORMALIZE_MODES", "check_cv", "check_features", "check_params", "check_some_face",
           "estimator_has", "face_halves", "face_rows", "fill_no_face", "fit_params", "inner_folds",
           "largest_group", "name_outputs", "no_rows", "warn_without_groups"]


#: Accepted values of ``FaceModel(normalize=...)``.
NORMALIZE_MODES = ("none", "person", "domain", "auto")


def check_params(normalize, candidates, cv, min_group=3, min_batch=20) -> None:
    """Refuse an unknown ``normalize`` or ``candidates`` mode, or a ``cv`` not accepted.

    ``candidates`` is any ordered sequence (a tuple, list or array); a set, dict
    or a bare string is refused: ``'auto'`` gives ties to the first candidate.

    ``min_group`` is checked (:func:`~.normalization.check_min_group`) where person
    normalisation may be used (``'person'``, or ``'auto'`` with it among the
    candidates), ``min_batch`` (a whole number >= 0) where domain normalisation may,
    once, at fit: ``predict`` takes a saved model's values as they are.
    """
    from .normalization import check_min_group, is_count

    if normalize not in NORMALIZE_MODES:
        raise ValueError(f"normalize must be one of {NORMALIZE_MODES}, got {normalize!r}")
    given = candidates
    # ordered only: ties go to the first, so a set's (hash-seeded) order would pick the mode
    ordered = not isinstance(candidates, (set, frozenset, dict, str)) and np.iterable(candidates)
    candidates = tuple(candidates) if ordered else ()
    known = ("none", "person", "domain")
    if not candidates or any(not isinstance(c, str) or c not in known for c in candidates):
        raise ValueError(f"candidates must be a non-empty tuple of 'none', 'person', "
                         f"'domain' (ordered: ties go to the first); got {given!r}")
    check_cv(cv)
    if normalize == "person" or (normalize == "auto" and "person" in candidates):
        check_min_group(min_group)
    if (normalize == "domain" or (normalize == "auto" and "domain" in candidates)) \
            and not is_count(min_batch):
        raise ValueError(f"min_batch must be a whole number of faces >= 0 (a batch of fewer "
                         f"is standardised with the training statistics; 0: every batch with "
                         f"its own), got {min_batch!r}")


def check_features(X) -> np.ndarray:
    """Return ``X`` as a 2-D float64 array; refuse sparse matrices, complex and infinite values.

    NaN stays: a row of NaN is an item without a face (see :func:`face_rows`); so does
    ``pandas.NA`` in a DataFrame of nullable dtypes (``read_csv(...,
    dtype_backend='numpy_nullable')``), read as NaN.

    Examples
    --------
    >>> check_features([[1, 2], [np.nan, np.nan]]).dtype
    dtype('float64')
    >>> check_features([[1, 2], [3, np.inf]])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: X has 1 infinite value(s), the first in row 1, column 1; ...
    """
    from scipy.sparse import issparse

    from .normalization import check_finite

    if issparse(X):
        raise TypeError("FaceModel takes dense features; got a sparse matrix (use X.toarray())")
    frame = hasattr(X, "to_numpy") and hasattr(X, "columns")
    kinds = {getattr(d, "kind", "") for d in X.dtypes} if frame else {np.asarray(X).dtype.kind}
    if "c" in kinds:  # the float cast would keep the real part, with only a ComplexWarning
        raise ValueError("Complex data not supported: X holds complex values, whose imaginary "
                         "part would be dropped; "
                         "pass np.abs(X), X.real or np.hstack([X.real, X.imag])")
    if frame:  # pandas: <NA> (nullable dtypes)
        X = X.to_numpy(dtype=np.float64, na_value=np.nan)  # is NaN, as in scikit-learn
    array = np.asarray(X, dtype=np.float64)
    if array.ndim != 2:
        raise ValueError(f"X must be a 2-D feature matrix, got shape {array.shape}. Reshape "
                         "your data: X.reshape(1, -1) for one face, X.reshape(-1, 1) for one "
                         "feature")
    return check_finite(array)


def face_rows(array: np.ndarray) -> np.ndarray:
    """Return which rows hold a face: all but the rows entirely NaN ("no face found").

    A row with some NaN features but not all is refused: it is a face whose features
    are partly missing, which neither "no face" nor the estimator can stand for.

    Examples
    --------
    >>> face_rows(np.array([[1.0, 2.0], [np.nan, np.nan]])).tolist()
    [True, False]
    >>> face_rows(np.array([[1.0, np.nan], [np.nan, np.nan]]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: 1 row(s) of X are partly NaN, the first is row 0 (1 of 2 features NaN); ...
    """
    from .normalization import face_mask  # the one rule, PersonNormalizer's too

    return face_mask(array)


def check_some_face(found: np.ndarray) -> None:
    """Refuse training rows ``found`` (:func:`face_rows`) of which none holds a face.

    No rows at all is told apart: its usual cause is an empty data set or selection
    (a subset that matched nothing), not face detection.
    """
    if not len(found):
        raise ValueError("FaceModel.fit: X has no rows (an empty data set or selection); "
                         "nothing to fit")
    if not found.any():
        raise ValueError("every training row is NaN (no face found in any image); "
                         "nothing to fit")


def estimator_has(name: str):
    """``available_if`` check: the model's (fitted, else given) estimator has method ``name``."""
    def check(model) -> bool:
        inner = getattr(model, "estimator_", None)
        return has_method(model._inner() if inner is None else inner, name)
    return check


def face_halves(array: np.ndarray, mirror: bool):
    """Return the face's features, its mirror's (None unless ``mirror``) and :func:`face_rows`.

    With ``mirror`` the columns are ``[face | mirror]``: an even count, split in two.
    An odd count is most likely a feature set made without its mirror half
    (``FaceFeatures``' default; ``'best+patches'`` has an odd width): said so, with
    the fix, as FaceModel's ``blocks`` check says of an even one.
    ``mirror`` must be a bool (``'no'`` is not False), as FaceAligner's flags.
    """
    from aufeat.face._params import check_choice

    mirror = check_choice("mirror", mirror, (True, False))
    if mirror and (width := array.shape[1]) % 2:
        raise ValueError(f"X has {width} columns, an odd number: it looks like the feature set "
                         "without its mirror half. This model (mirror=True) takes each face's "
                         "features followed by its mirror image's, [face | mirror], an even "
                         f"number of columns (here {2 * width} columns): make them with "
                         "FaceFeatures(..., mirror=True)")
    found = face_rows(array)
    if not mirror:
        return array, None, found
    half = array.shape[1] // 2
    return array[:, :half], array[:, half:], found


def check_cv(cv) -> None:
    """Refuse a ``cv`` that is neither an int >= 2 nor a splitter (an object with ``split``).

    A splitter class (``GroupKFold``, not ``GroupKFold()``) has a ``split`` too, which
    would fail deep in ``fit``: it is refused here.
    """
    if isinstance(cv, type):
        raise ValueError(f"cv must be an int >= 2 or a splitter instance, got the class "
                         f"{cv.__name__}: instantiate it, e.g. cv={cv.__name__}()")
    if callable(getattr(cv, "split", None)) and not isinstance(cv, (str, bytes)):
        return
    if not isinstance(cv, Integral) or isinstance(cv, bool) or cv < 2:
        raise ValueError(f"cv must be an int >= 2 (the number of person-wise folds) or a "
                         f"splitter with a split method, as GroupKFold(5), which is given the "
                         f"subject ids as groups; got {cv!r}")


def inner_folds(cv, A, y, groups):
    """Return the folds of ``normalize='auto'``: ``GroupKFold`` for an int, else ``cv``'s own.

    An int asks for that many person-wise folds (fewer where there are fewer people);
    a splitter is used as given, ``cv.split(A, y, groups)``.
    """
    if not isinstance(cv, Integral):
        return cv.split(A, y, groups)
    from sklearn.model_selection import GroupKFold

    return GroupKFold(n_splits=min(cv, len(np.unique(groups)))).split(A, groups=groups)


def largest_group(groups) -> int | None:
    """Return the most rows one id has in ``groups`` (None for no ids)."""
    return None if groups is None else int(np.unique(groups, return_counts=True)[1].max())


def warn_without_groups(model, groups, n_faces: int, method: str) -> None:
    """Warn if ``n_faces`` faces given to a ``'person'`` model without ids are many.

    Without ``groups`` they are centred on one median as one person. A batch of more
    faces than the fitted model's ``max_person_faces_`` (the most one training person
    had; None when ``fit`` had no ids: no warning) is unlikely to be one person. The
    usual cause is a scikit-learn scorer (``scoring='accuracy'``, ``'roc_auc'``, ...),
    which never passes ``groups`` to ``predict``.
    """
    largest = getattr(model, "max_person_faces_", None)  # None too in models saved before it
    if groups is not None or model.normalize_ != "person" or largest is None \
            or n_faces <= largest:
        return
    from aufeat._warnings import warn

    warn(f"normalize='person': {method} got {n_faces} faces without groups, more than any "
         f"training person had ({largest}), and centres them on one median as one person; "
         f"pass groups (subject ids; any one id if they are one person). scikit-learn "
         f"scorers (scoring='accuracy', 'roc_auc', ...) never pass them: only scoring=None "
         f"(FaceModel.score) gets the ids")


def no_rows(values):
    """``values`` cut to no rows (a list of arrays, a multi-output predict_proba: each)."""
    return [v[:0] for v in values] if isinstance(values, list) else values[:0]


def fill_no_face(values, found, no_face, like=None):
    """Spread the ``values`` of the rows with a face over all ``len(found)`` rows.

    Rows without a face get ``no_face`` for labels (words) and NaN for numbers (int
    or bool labels become float), column by column in an object array of several
    outputs (an AU model's numbers beside words: NaN in the AUs coded with numbers).
    ``like``: predictions telling each column's kind where ``values`` has no rows (a
    stand-in row's; default ``values``). A list (scikit-learn's multi-output
    ``predict_proba``: one array per output) is filled array by array. With a face
    in every row, ``values`` come back as they are.
    """
    like = values if like is None else like
    if isinstance(values, list):
        return [fill_no_face(v, found, no_face, w) for v, w in zip(values, like, strict=True)]
    if found.all():  # nothing to fill: the estimator's own values and dtype (int labels)
        return values
    shape = (len(found), *values.shape[1:])
    if values.dtype.kind in "USO":
        out = np.full(shape, no_face, dtype=values.dtype if values.dtype.kind == "U"
                      else object)
        if values.dtype.kind == "O" and values.ndim == 2:  # numbers beside words
            out[:, [all(isinstance(v, Number) for v in column) for column in like.T]] = np.nan
    else:
        out = np.full(shape, np.nan)
    out[found] = values
    return out


def name_outputs(estimator, columns):
    """Name an AU model's outputs (at a Pipeline's end, in a search too) by y's ``columns``.

    ``estimator`` is FaceModel's own clone; its AU model gets ``au_names`` (as text)
    only where it has none, so that its warnings and ``constant_outputs_`` name the
    AUs as the AU model alone would, not ``output0, output1...``.
    """
    last = au_step(estimator)  # a search's: the candidates it clones keep the names
    if columns is not None and last is not None and last.au_names is None:
        last.set_params(au_names=[str(c) for c in columns])
    return estimator
