"""The emotion vocabulary shared by every loader.

All loaders map their corpus' codes onto these names (the nouns used by the
FACS / EMFACS literature): ``anger, contempt, disgust, fear, happiness,
neutral, sadness, surprise``. Common synonyms and the JAFFE / FER / CK+
abbreviations are accepted by :func:`canonical_emotion`. Names that are a
class of their own in some corpus are no synonyms: RAVDESS has ``calm`` beside
``neutral``; Multi-PIE and the AR faces have ``smile`` (an action, not an
emotion); ``co`` is no corpus' code (confusion? contempt?). Such labels are
kept as written; map them explicitly when they mean a common emotion.
"""

from __future__ import annotations

__all__ = ["EMOTIONS", "canonical_emotion", "known_labels", "map_target", "parse_label_map",
           "refuse_label_twins",
           "suggest_emotion"]

#: The common emotion vocabulary, sorted.
EMOTIONS: tuple[str, ...] = (
    "anger", "contempt", "disgust", "fear", "happiness", "neutral", "sadness", "surprise",
)

_SYNONYMS = {
    "angry": "anger", "an": "anger", "ang": "anger", "mad": "anger",
    "contemptuous": "contempt",
    "disgusted": "disgust", "di": "disgust", "dis": "disgust",
    "afraid": "fear", "fearful": "fear", "scared": "fear", "fe": "fear",
    "happy": "happiness", "joy": "happiness", "ha": "happiness", "hap": "happiness",
    "ne": "neutral", "neu": "neutral",
    "sad": "sadness", "sa": "sadness",
    "surprised": "surprise", "su": "surprise", "sur": "surprise",
}


def canonical_emotion(label: str) -> str | None:
    """Return the common name of an emotion label, or None when it is not one.

    Parameters
    ----------
    label : str
        A name, synonym or two-letter code, any case (``'Happy'``, ``'HA'``).

    Returns
    -------
    str or None

    Examples
    --------
    >>> canonical_emotion("Angry"), canonical_emotion("SU"), canonical_emotion("bored")
    ('anger', 'surprise', None)
    """
    key = str(label).strip().lower()
    if key in EMOTIONS:
        return key
    return _SYNONYMS.get(key)


def map_target(label: str) -> str:
    """Return the label an explicit label map's target gives.

    A target naming a common emotion, or one of its synonyms, in any case, is that
    common name (``'happy'``: ``'happiness'``), so that a mapped typo joins the
    images already labelled so instead of making a class of its own; any other
    target (``'calm'``, ``'relaxed'``) is kept as the user wrote it.

    Examples
    --------
    >>> map_target("Neutral"), map_target("calm"), map_target("happy")
    ('neutral', 'calm', 'happiness')
    """
    label = str(label).strip()
    return canonical_emotion(label) or label


def refuse_label_twins(labels, path) -> None:
    """Refuse labels that differ only in case or spaces: they would be separate classes.

    Common emotions are read in any spelling (``'Happy '``: ``'happiness'``); the user's
    own labels are kept as written, so folders ``Pain/`` and ``pain/``, or a label map's
    targets ``Pain`` and ``pain``, made two classes of one. Raises DatasetError naming them.

    Examples
    --------
    >>> try:
    ...     refuse_label_twins(["pain", "happiness", "Pain"], "faces")
    ... except ValueError as err:
    ...     print(str(err)[:72])
    faces: labels 'pain', 'Pain' differ only in case or spaces, and would be
    """
    from .errors import DatasetError

    groups: dict[str, list] = {}
    for label in dict.fromkeys(labels):
        if isinstance(label, str) and label:
            groups.setdefault(" ".join(label.split()).casefold(), []).append(label)
    twins = next((group for group in groups.values() if len(group) > 1), None)
    if twins:
        raise DatasetError(f"labels {', '.join(map(repr, twins))} differ only in case or "
                           f"spaces, and would be {len(twins)} classes: give them one "
                           "spelling (rename the folders, or map them to one with label_map "
                           "/ --label-map)", path=path)


def known_labels() -> str:
    """Describe the accepted emotion labels for error messages."""
    return (f"{', '.join(EMOTIONS)} (or a synonym or code such as happy, sad, angry, HA, "
            "SU)")


def suggest_emotion(label: str) -> str | None:
    """Return the known label closest to a misspelt one, or None.

    Examples
    --------
    >>> suggest_emotion("hapy"), suggest_emotion("nuetral"), suggest_emotion("xyz")
    ('happy', 'neutral', None)
    """
    import difflib

    key = str(label).strip().lower()
    matches = difflib.get_close_matches(key, [*EMOTIONS, *_SYNONYMS], n=1, cutoff=0.7)
    return matches[0] if matches else None


def unmatched_keys_message(keys, labels, of: str | tuple = "") -> str:
    """Word the error for ``--label-map`` keys matching none of a data set's labels (typos).

    Examples
    --------
    >>> unmatched_keys_message(["surprse"], ["happy", "surprise", ""])
    "--label-map: 'surprse' matches no label (its labels: happy, surprise)"
    >>> unmatched_keys_message(["a", "b"], ["x"], of="ck")
    "--label-map: 'a', 'b' match no label of 'ck' (its labels: x)"
    >>> unmatched_keys_message(["a"], ["x", "y"], of=("ck", "jaffe"))
    "--label-map: 'a' matches no label of 'ck' or 'jaffe' (their labels: x, y)"
    """
    verb = "matches" if len(keys) == 1 else "match"
    names = [of] if isinstance(of, str) else list(of)
    where = f" of {' or '.join(map(repr, names))}" if any(names) else ""
    whose = "their" if len(names) > 1 else "its"
    return (f"--label-map: {', '.join(map(repr, keys))} {verb} no label{where} ({whose} "
            f"labels: {', '.join(sorted(set(map(str, labels)) - {''}))})")


def parse_label_map(value) -> dict[str, str]:
    """Read an explicit label map: a dict, a file, or ``RAW=LABEL`` pairs.

    Parameters
    ----------
    value : dict, path-like or str
        A dict ``{raw: label}``; the path of a text file with one ``RAW=LABEL``
        (or ``RAW,LABEL``) per line; or pairs separated by commas,
        ``'hapy=happiness,nuetral=neutral'``. An empty RAW (``'=neutral'``)
        maps blank labels. In a file, blank lines and ``#`` comments are
        skipped, also a comment after a pair (``hapy=happiness  # typo``: a
        ``#`` after a space or tab, outside quotes; a ``#`` inside quotes or
        inside RAW, as in ``smile,"happy #2"`` or ``smile #2=happiness``, is
        kept); a line is read as CSV, as a spreadsheet saves it (``,`` or ``;``):
        quotes are removed (``"hapy","happiness"``, also ``"hapy"="happiness"``)
        and empty cells after the label (``hapy,happiness,``, ``hapy=happiness;``)
        dropped, so neither enters the label. A ``RAW=LABEL`` line splits at its
        first ``=``: RAW may hold a comma (``smile, open=happiness``).

    Returns
    -------
    dict of str -> str
        Keys stripped and lower-cased (labels match case-insensitively).

    Raises
    ------
    ValueError
        For a pair without ``=``, one with a second ``=`` (pairs glued by a space
        or ``;``), a file's line with a cell beside its pair (``RAW,LABEL,note``,
        ``RAW=LABEL,note``) or both ``,`` and ``;`` outside quotes, or an empty
        target label; a file that is not
        UTF-8 text raises :class:`~aufeat.datasets.DatasetError` (a ValueError)
        naming the file and line.

    Examples
    --------
    >>> parse_label_map("hapy=happiness, Nuetral=neutral")
    {'hapy': 'happiness', 'nuetral': 'neutral'}
    """
    import os

    from ._io import read_text
    from ._map_lines import file_pair, split_pair

    if isinstance(value, dict):
        pairs = [(str(k), str(v), None) for k, v in value.items()]
        source = "label map"
    elif os.path.isfile(os.fspath(value)):
        source = os.fspath(value)
        text = read_text(source, "the label map file")  # Notepad's BOM is not a label
        lines = [(n, file_pair(line, source, n)) for n, line in enumerate(text.splitlines(), 1)]
        pairs = [(*pair, n) for n, pair in lines if pair is not None]
    else:
        source = "--label-map"
        pairs = [(*split_pair(text, source, None), None)
                 for text in str(value).split(",") if text.strip()]
    out = {}
    for raw, label, line in pairs:
        if not label.strip():
            where = f"{source}:{line}" if line else source
            raise ValueError(f"{where}: {raw!r} maps to an empty label; write RAW=LABEL")
        out[raw.strip().lower()] = label.strip()
    return out


def resolve_labels(labels, present, name: str = "the data set") -> list[str]:
    """``labels`` as a data set names them, in the order given ('happy' -> 'happiness').

    One label may be given as a string (``'happy'``), as a list of one.

    A label that is one of the data set's own (``present``) is kept as it is;
    otherwise it is the data set's own label of the same common emotion (``'AN'``
    keeps the rows of a data set built by hand with ``'angry'``), or, where the
    data set has none, the common emotion name: a known emotion the data set
    lacks is kept (a cross-data-set run filters both sides with one list).

    Raises
    ------
    ValueError
        An empty label (``''``: rows without an emotion label are never kept,
        so it is no class to ask for); a label that is neither the data set's
        nor an emotion name, with the data set's labels; an emotion the data set
        spells in several ways (``'happy'`` and ``'HA'``: say which); or one emotion named
        twice (``'happy'`` beside ``'happiness'``, or a repeat), which would
        count twice in the means.

    Examples
    --------
    >>> resolve_labels(["happy", "SA", "neutral"], ["happiness", "sadness"])
    ['happiness', 'sadness', 'neutral']
    >>> resolve_labels(["HA", "sadness"], ["happy", "sad", "angry"])
    ['happy', 'sad']
    """
    present = {str(p) for p in present}
    if isinstance(labels, str):  # one label, not its letters (as load_disfa's subjects=)
        labels = [labels]
    labels = [str(label) for label in labels]
    empty = next((label for label in labels if not label.strip()), None)
    if empty is not None:
        raise ValueError(f"labels: {empty!r} is no class: rows without an emotion label are "
                         f"never kept; leave it out of labels ({labels})")
    wanted, unknown = [], []
    for label in labels:
        mapped = label if label in present else _own_spelling(label, present, name)
        (wanted if mapped is not None else unknown).append(mapped or label)
    if unknown:
        raise ValueError(f"labels: {', '.join(map(repr, unknown))} is not an emotion label of "
                         f"{name!r} (its labels: {', '.join(sorted(present))})")
    given = {}
    for label, mapped in zip(labels, wanted, strict=True):
        given.setdefault(mapped, []).append(label)
    for mapped, names in given.items():
        distinct = list(dict.fromkeys(names))
        if len(distinct) > 1:
            both = "both" if len(distinct) == 2 else "all"
            raise ValueError(f"labels: {' and '.join(map(repr, distinct))} {both} name "
                             f"{mapped!r} in {labels}; give each emotion once")
        if len(names) > 1:
            raise ValueError(f"labels: {mapped!r} is named more than once in {labels}; "
                             "give each emotion once")
    return wanted


def _own_spelling(label: str, present: set, name: str) -> str | None:
    """Return the label of ``present`` naming ``label``'s common emotion, else that name.

    None when ``label`` is no emotion name. A data set that spells the emotion in
    several ways (``'happy'`` and ``'HA'``) is a ValueError: which one is meant?
    """
    common = canonical_emotion(label)
    if common is None:
        return None
    own = sorted(p for p in present if canonical_emotion(p) == common)
    if len(own) > 1:
        raise ValueError(f"labels: {label!r} names {common!r}, which {name!r} spells in "
                         f"several ways ({', '.join(map(repr, own))}); give the one meant, "
                         "or relabel the data set to one spelling")
    return own[0] if own else common
