"""Z138 F2: au_intensity_classical's best configuration is labelled as the highest of N chosen
on the same test folds, and compared with chance, in the text, report.md and summary.json."""

import csv
import json
import re
import sys

import pytest

from .conftest import run
from .test_examples import _write_fake_disfa


@pytest.mark.slow
def test_au_intensity_best_configuration_is_labelled_as_chosen_on_the_test_folds(tmp_path):
    root = tmp_path / "DISFA"
    _write_fake_disfa(root, n_subjects=4, n_frames=6)
    out = tmp_path / "out"
    proc = run([sys.executable, "examples/au_intensity_classical.py", "--data", str(root),
                "--quick", "--step", "1", "--folds", "2", "--models", "ridge-regression",
                "--out", str(out)])
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    document = json.loads((out / "summary.json").read_text())
    with open(out / "summary.csv", newline="") as handle:
        tried = {(r["features"], r["model"]) for r in csv.DictReader(handle)
                 if r["model"] != "chance"}
    best, chance = document["best"], document["chance"]
    n = len(tried)
    assert n >= 2
    assert best["selection"].startswith(f"highest of {n} configurations, chosen on these "
                                        "same subject-independent test folds, so optimistic")
    expected = ("no better than" if best["subject-independent"]["f1"] < chance["f1"] + 0.02
                else "above")
    assert best["versus_chance"] == expected
    line = re.search(rf"- Highest subject-independent F1 of the {n} configurations tried, "
                     r"chosen on these same subject-independent test folds, so optimistic "
                     r"[^\n]*: (.+?) \+ (\S+): F1 ([\d.]+), ICC (-?[\d.]+|nan) \(the leaky "
                     r"split would claim F1 [\d.]+, ICC (?:-?[\d.]+|nan); (above|no better "
                     r"than) chance\)\.", proc.stdout)
    assert line, proc.stdout[-3000:]
    assert (line.group(1), line.group(2)) == (best["features"], best["model"])
    assert float(line.group(3)) == pytest.approx(best["subject-independent"]["f1"], abs=6e-4)
    assert line.group(5) == expected
    report = (out / "report.md").read_text()
    assert line.group(0) in report
    assert f"The {best['selection']}." in report  # beside the per-AU table it picks
