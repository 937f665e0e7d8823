"""The results a results file or figure is made from: a list of them, or one, checked."""

from __future__ import annotations

__all__ = ["one_result", "result_list"]


def result_list(results, EvaluationResult, call: str = "write_results_json(path, [result])",
                done: str = "write") -> list:
    """``results`` (a list, a tuple, ``evaluate_many``'s generator) as a list of results.

    Read once, so that a generator is not used up by a first look. A single
    :class:`~aufeat.evaluation.results.EvaluationResult` (the class, given by
    its module, which imports this one), something that is no iterable, or an
    item that is no result is refused (TypeError, saying what to pass: ``call``); no
    results at all are refused (ValueError: no results to ``done``).
    """
    if isinstance(results, EvaluationResult):
        raise TypeError(f"results is one EvaluationResult; pass a list of results: {call}")
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
        raise ValueError(f"no results to {done}")
    return results


def one_result(result, EvaluationResult, function: str) -> None:
    """Refuse anything but one result for ``function`` (a figure of one run).

    A list of results (``evaluate_many``'s) failed with "'list' object has no
    attribute 'task'".
    """
    if isinstance(result, EvaluationResult):
        return
    if isinstance(result, (list, tuple)):
        raise TypeError(f"{function} draws one EvaluationResult; got a {type(result).__name__} "
                        f"of {len(result)}: pass one of them, e.g. {function}(results[0], path)")
    raise TypeError(f"{function} draws one EvaluationResult (what evaluate returns); got "
                    f"{type(result).__name__}")
