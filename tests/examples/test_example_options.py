"""The examples' options are checked before any work: a bad value is one line and exit 2.

Every run here stops in argument checking (or just after reading tiny data), so these are
quick; the ``--quick`` runs themselves are in test_examples.py and test_deep_examples.py.
"""

import sys

import pytest

from .conftest import ROOT, run


def one_line_usage_error(proc, name):
    """The last stderr line of argparse's ``parser.error``, after checking the exit code."""
    assert proc.returncode == 2, (proc.stdout + proc.stderr)[-2000:]
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith(f"{name}.py: error: "), proc.stderr
    return last


@pytest.mark.parametrize(("name", "option", "value", "expected"), [
    ("binary_expression_kfold", "--repeats", "0", "--repeats must be at least 1, got 0"),
    ("binary_expression_kfold", "--folds", "0", "--folds must be at least 2, got 0"),
    ("au_intensity_classical", "--folds", "0", "--folds must be at least 2, got 0"),
    ("au_intensity_classical", "--step", "0", "--step must be at least 1 (every frame), got 0"),
    ("fer2013_baselines", "--trials", "0", "--trials must be at least 1, got 0"),
    ("fer2013_baselines", "--trials", "-3", "--trials must be at least 1, got -3"),
])
def test_zero_or_negative_counts_are_refused_not_replaced_by_the_default(
        name, option, value, expected, tmp_path):
    out = tmp_path / "out"
    proc = run([sys.executable, f"examples/{name}.py", "--quick", option, value,
                "--out", str(out)])
    assert one_line_usage_error(proc, name).endswith(expected)
    assert not out.exists()  # refused before any work


@pytest.mark.parametrize("n_iter", [0, -3])
def test_fer2013_search_of_no_candidates_says_so(n_iter, monkeypatch):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    from fer2013_baselines import SubjectSearch

    X = np.random.default_rng(0).normal(size=(16, 3))
    search = SubjectSearch(LogisticRegression(), {"C": [0.1, 1.0]}, search="sklearn",
                           n_iter=n_iter)
    with pytest.raises(ValueError, match=f"n_iter must be at least 1 .*got {n_iter}"):
        search.fit(X, np.repeat([0, 1], 8), np.repeat(np.arange(4), 4))


def test_au_intensity_with_more_folds_than_people_stops_before_any_work(tmp_path):
    out = tmp_path / "out"  # --quick: 8 synthetic people
    proc = run([sys.executable, "examples/au_intensity_classical.py", "--quick", "--folds", "10",
                "--out", str(out)])
    assert one_line_usage_error(proc, "au_intensity_classical").endswith(
        "8 people cannot fill 10 folds by person (--folds at most 8)")
    assert "aligned" not in proc.stdout  # no face aligned, no feature extracted
    assert not out.exists()


def test_architecture_weights_for_a_network_not_compared_are_refused(tmp_path):
    weights = tmp_path / "notop.h5"
    weights.write_bytes(b"")
    out = tmp_path / "out"
    proc = run([sys.executable, "examples/architecture_comparison.py", "--quick",
                "--architectures", "MobileNet@32,small-cnn", "--weights",
                f"mobilenet={weights}", "--out", str(out)])
    assert one_line_usage_error(proc, "architecture_comparison").endswith(
        "--weights names no network of --architectures: mobilenet (networks: MobileNet, "
        "small-cnn; names are case-sensitive)")
    assert not out.exists()


def test_architecture_weights_file_that_is_no_weights_is_one_line(tmp_path):
    """A weights file Keras cannot open gave two tracebacks (h5py's OSError, then aufeat's
    ValueError) after the faces were aligned."""
    weights = tmp_path / "w.h5"
    weights.write_text("x")
    proc = run([sys.executable, "examples/architecture_comparison.py", "--quick",
                "--architectures", "MobileNet@32", "--weights", f"MobileNet={weights}",
                "--out", str(tmp_path / "out")])
    assert f"weights file {str(weights)!r} does not fit keras.applications.MobileNet" in \
        one_line_usage_error(proc, "architecture_comparison")


def test_an_out_folder_that_cannot_be_made_is_one_line(tmp_path):
    """mkdir's FileNotFoundError came as a traceback (a folder under /proc, a read-only disk)."""
    proc = run([sys.executable, "examples/quickstart.py", "--quick", "--out", "/proc/aufeat"])
    assert one_line_usage_error(proc, "quickstart").endswith(
        "cannot create --out /proc/aufeat (No such file or directory); choose a folder you "
        "can write into")


def test_fer2013_quick_help_names_its_outer_protocol(help_run):
    """--quick is one outer split (test_deep_examples checks the run's protocol column)."""
    proc = help_run("fer2013_baselines")  # its --help, run once per session
    text = " ".join(proc.stdout.split("options:")[1].split())
    quick = text[text.index("--quick"):text.index("--out DIR")]
    assert "one outer split" in quick
    assert "2 folds" not in quick


def test_quickstart_subject_pattern_must_be_a_regular_expression_for_data(tmp_path):
    (tmp_path / "photos").mkdir()
    for argv, expected in (
            (["--data", str(tmp_path / "photos"), "--subject-pattern", "(S"],
             "--subject-pattern '(S' is not a regular expression: missing ), unterminated "
             "subpattern at position 0"),
            (["--subject-pattern", "^(S\\d+)_"],
             "--subject-pattern reads the file names of --data; give --data PATH too")):
        proc = run([sys.executable, "examples/quickstart.py", *argv,
                    "--out", str(tmp_path / "out")])
        assert one_line_usage_error(proc, "quickstart").endswith(expected)
    assert not (tmp_path / "out").exists()
