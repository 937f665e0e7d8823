"""Fixtures shared by the evaluation tests."""

import pytest
from matplotlib.figure import Figure


@pytest.fixture
def saved(monkeypatch):
    """The figures the plot functions save (matplotlib's savefig, recorded)."""
    figures = []
    savefig = Figure.savefig

    def record(fig, *args, **kwargs):
        figures.append(fig)
        return savefig(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", record)
    return figures
