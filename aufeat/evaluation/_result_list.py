"""The results a results file is written from, as a list (any iterable is taken)."""

from __future__ import annotations

__all__ = ["result_list"]


def result_list(results, EvaluationResult) -> list:
    """``results`` (a list, a tuple, ``evaluate_many``'s generator) as a list of results.

    Read once, so that a generator is not used up by a first look. A single
    :class:`~aufeat.evaluation.results.EvaluationResult` (the class, given by
    its module, which imports this one), something that is no iterable, or an
    item that is no result is refused (TypeError, saying what to pass); no
    results at all are refused (ValueError).
    """
    if isinstance(results, EvaluationResult):
        raise TypeError("results is one EvaluationResult; pass a list of results: "
                        "write_results_json(path, [result])")
    try:
        results = list(results)
    except TypeError:
        raise TypeError(f"results must be an iterable of EvaluationResult (a list, or "
                        f"evaluate_many's generator); got {type(results).__name__}") from None
    wrong = [f"{i}: {type(r).__name__}" for i, r in enumerate(results)
             if not isinstance(r, EvaluationResult)]
    if wrong:
        raise TypeError(f"results must hold EvaluationResult s (what evaluate returns); "
                        f"item {', item '.join(wrong[:3])}")
    if not results:
        raise ValueError("no results to write")
    return results
