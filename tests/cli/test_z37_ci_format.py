"""The ``95% CI`` column says which interval it is, also when a bound is negative.

Its bounds were joined with a hyphen: ``-0.109-0.009`` (really -0.109 to +0.009)
read as an interval below 0, and ``-0.178--0.033`` hardly read at all.
"""

import numpy as np
import pytest

import aufeat
from aufeat.cli._bench_report import format_table


@pytest.fixture(scope="module")
def weak_intensity_results():
    """AU-intensity ridge fits on noise: ICCs near 0, so intervals reach below 0."""
    data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=8, size=48)
    results = []
    for seed in range(4):
        X = np.random.default_rng(seed).normal(size=(len(data), 20))
        results.append(aufeat.evaluate(data, X, model="ridge", task="au-intensity",
                                       protocol="group-kfold:2", n_bootstrap=200,
                                       features_name=f"noise{seed}"))
    return sorted(results, key=lambda r: -r.metrics["mean_icc"])


def _cells(table: str, markdown: bool) -> list[str]:
    """The ``95% CI`` cell of each row of a formatted table."""
    lines = table.splitlines()
    if markdown:
        rows = [[c.strip() for c in line.strip("|").split("|")] for line in lines]
        header, body = rows[0], rows[2:]
        return [row[header.index("95% CI")] for row in body]
    start = lines[0].index("95% CI")  # right-aligned under its header
    end = start + len("95% CI")
    return [line[:end].split("  ")[-1].strip() for line in lines[1:]]


@pytest.mark.parametrize("markdown", [False, True])
def test_a_negative_interval_is_written_with_to(weak_intensity_results, markdown):
    intervals = [r.metrics["intervals"]["mean_icc"] for r in weak_intensity_results]
    assert any(low < 0 for low, _ in intervals)  # the case the hyphen misread
    cells = _cells(format_table(weak_intensity_results, markdown=markdown), markdown)
    assert len(cells) == len(intervals)
    for cell, (low, high) in zip(cells, intervals, strict=True):
        printed_low, printed_high = (float(x) for x in cell.split(" to "))
        assert abs(printed_low - low) <= 5e-4, cell
        assert abs(printed_high - high) <= 5e-4, cell
