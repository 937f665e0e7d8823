"""The emotion vocabulary shared by every loader.

All loaders map their corpus' codes onto these names (the nouns used by the
FACS / EMFACS literature): ``anger, contempt, disgust, fear, happiness,
neutral, sadness, surprise``. Common synonyms and the JAFFE / FER / CK+
abbreviations are accepted by :func:`canonical_emotion`.
"""

from __future__ import annotations

__all__ = ["EMOTIONS", "canonical_emotion"]

#: The common emotion vocabulary, sorted.
EMOTIONS: tuple[str, ...] = (
    "anger", "contempt", "disgust", "fear", "happiness", "neutral", "sadness", "surprise",
)

_SYNONYMS = {
    "angry": "anger", "an": "anger", "ang": "anger", "mad": "anger",
    "contemptuous": "contempt", "co": "contempt",
    "disgusted": "disgust", "di": "disgust", "dis": "disgust",
    "afraid": "fear", "fearful": "fear", "scared": "fear", "fe": "fear",
    "happy": "happiness", "joy": "happiness", "ha": "happiness", "hap": "happiness",
    "smile": "happiness",
    "ne": "neutral", "neu": "neutral", "calm": "neutral",
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
