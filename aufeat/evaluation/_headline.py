"""Say when the AU-occurrence headline could not follow its rule (tiny data).

``mean_f1`` averages the AUs measured well enough (:func:`~.metrics.au_occurrence_metrics`:
15 or more images with the AU, from 3 or more people, and 15 without it). When no AU
qualifies, it averages what there is instead; that number reads like the usual headline,
so the result says which AUs it averages and why.
"""

from __future__ import annotations

__all__ = ["small_headline_note"]


def small_headline_note(result) -> str | None:
    """Return the note for an AU-occurrence ``result`` whose headline AUs miss the rule."""
    from .metrics import MIN_AU_POSITIVES, MIN_AU_SUBJECTS

    metrics = result.metrics
    if result.task != "au-occurrence" or not metrics.get("headline_aus"):
        return None
    short = [name for name in metrics["headline_aus"]
             if (m := metrics["per_au"][name])["support"] < MIN_AU_POSITIVES
             or m.get("n_subjects", MIN_AU_SUBJECTS) < MIN_AU_SUBJECTS]
    if not short:
        return None
    return (f"no AU has {MIN_AU_POSITIVES} tested images with it from {MIN_AU_SUBJECTS} people "
            f"(and {MIN_AU_POSITIVES} without it), so mean_f1 averages the AUs there are, "
            f"{len(short)} of them with fewer ({', '.join(short)}): their F1 are loose, read "
            "each in per_au, or test on more people")
