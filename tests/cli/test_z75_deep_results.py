"""A results file nested too deeply is a damaged results file (ValueError, one-line CLI error)."""

import subprocess
import sys

import pytest

from aufeat.evaluation.results import read_results


@pytest.fixture
def deep(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"results": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    return path


def test_read_results_of_deep_json_is_a_value_error(deep):
    with pytest.raises(ValueError, match="is not an aufeat results file: not JSON "
                                         r"\(nested too deeply"):
        read_results(deep)


def test_bench_compare_of_deep_json_is_one_line(deep):
    done = subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "compare", str(deep),
                           str(deep)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"aufeat-bench: error: {deep} is not an aufeat results file: "
                                  "not JSON (nested too deeply")
