"""``--seed`` is checked with the command line: 0 to 2**32 - 1, as ``aufeat-bench --seed``.

A seed outside that range was read as any int: NumPy or scikit-learn tracebacks (some after
minutes of aligning faces), a one-line error that did not name ``--seed``, and the output
folder made first. Now argparse refuses it (one line, exit 2) before any work, and the
largest seed works where an example derives other seeds from it.
"""

import argparse
import sys

import numpy as np
import pytest

from .conftest import ROOT, run
from .test_example_options import one_line_usage_error

EXAMPLES = ["quickstart", "binary_expression_kfold", "au_intensity_classical",
            "cross_population", "fer2013_baselines", "architecture_comparison"]


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("seed", ["-1", str(2**32)])
def test_a_seed_out_of_range_is_refused_before_any_work(name, seed, tmp_path):
    out = tmp_path / "out"
    proc = run([sys.executable, f"examples/{name}.py", "--quick", "--seed", seed,
                "--out", str(out)])
    assert one_line_usage_error(proc, name).endswith(
        f"argument --seed: must be 0 to {2**32 - 1} (the seeds NumPy and scikit-learn take), "
        f"got {seed}")
    assert not out.exists()


@pytest.fixture
def examples(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples"))


def test_the_largest_seed_is_read_and_derived_seeds_wrap_around(examples):
    import binary_expression_kfold
    import cross_population

    largest = 2**32 - 1
    args = binary_expression_kfold.parse_args(["--quick", "--seed", str(largest)])
    assert args.seed == largest
    y = np.repeat(["happiness", "neutral"], 6)
    subjects = np.tile(np.arange(6).astype(str), 2)
    for protocol in ("leaky", "subject-independent"):  # repeat 1: seed + 1 is 2**32
        assert len(binary_expression_kfold.folds(protocol, y, subjects, 3, 1, largest)) == 3
    corpora = cross_population.load_corpora(  # population B: seed + 1000
        argparse.Namespace(data=None, quick=True, seed=largest))
    assert [len(c) for c in corpora] == [140, 120]
