"""Round 22 (Z122) findings on the examples, each checked the way a user meets it.

F1: binary_expression_kfold's "repeated k-fold by person" was scikit-learn's
``StratifiedGroupKFold``, whose shuffle only reorders people of the same label mix: on real
corpora every repeat was the same partition and the std over repeats 0.000. Now the
repeat's seed shuffles the people, dealt round-robin into the folds within strata of their
majority label. F2: the folds are drawn over every image, so two people with a face of a
label could share a test fold and leave its training side one label: a traceback after
aligning every face; now a one-line refusal before any training. F3: ``--weights
NAME=FILE`` naming a folder or nothing passed the command line and failed after aligning.
F5: ``OUT/jax-cache`` was set in the environment after JAX had read it (architecture_comparison
imports Keras while reading the command line): nothing was cached.
"""

import os
import subprocess
import sys

import numpy as np
import pytest

import aufeat

from .examples.conftest import ROOT

LABELS = ["happiness", "neutral"]


@pytest.fixture
def examples(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples"))


def partition(y, subjects, k, repeat, seed=0):
    """The repeat's by-person test folds as a set of sets of people; checks they partition."""
    from binary_expression_kfold import folds

    splits = folds("subject-independent", y, subjects, k, repeat, seed)
    assert len(splits) == k
    tests = np.concatenate([test for _, test in splits])
    np.testing.assert_array_equal(np.sort(tests), np.arange(len(y)))  # each image tested once
    for train, test in splits:
        np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(len(y)))
        assert not set(subjects[train]) & set(subjects[test])  # no person on both sides
        assert set(y[train]) == set(LABELS)  # every training side holds both labels
    return frozenset(frozenset(subjects[test]) for _, test in splits)


# ------------------------------------------------------------------ F1: new partitions
def test_binary_kfold_repeats_are_new_partitions_of_people(examples):
    """12 people, 10 neutral photos each and 11..22 happy ones: no two of the same mix."""
    happy = range(11, 23)
    y = np.concatenate([["happiness"] * n + ["neutral"] * 10 for n in happy])
    subjects = np.concatenate([[f"q{i}"] * (n + 10) for i, n in enumerate(happy)])
    for k in (3, 5):
        partitions = [partition(y, subjects, k, repeat) for repeat in range(5)]
        assert len(set(partitions)) == 5, k  # StratifiedGroupKFold: 1


def test_binary_kfold_by_person_keeps_a_label_of_few_people_on_every_training_side(examples):
    """Happiness is the majority of one person and in two others' photos: 3 people hold it."""
    people = {"a": (5, 1), "b": (1, 4), "c": (1, 6), **dict.fromkeys("defgh", (0, 3))}
    y = np.concatenate([["happiness"] * h + ["neutral"] * n for h, n in people.values()])
    subjects = np.concatenate([[p] * (h + n) for p, (h, n) in people.items()])
    for k in (2, 3, 4):
        partitions = {partition(y, subjects, k, repeat, seed) for repeat in range(3)
                      for seed in range(10)}
        assert len(partitions) > 1


def test_binary_kfold_notes_repeats_that_coincide(examples):
    """As many people as folds: every repeat is one partition, and the run says so."""
    from binary_expression_kfold import folds, same_partitions

    y = np.array(["happiness", "neutral"] * 3)
    subjects = np.repeat(["a", "b", "c"], 2)
    repeats = [folds("subject-independent", y, subjects, 3, r, 0) for r in range(2)]
    assert same_partitions(repeats, subjects) == (
        "note: the 2 repeats split the 3 people into only 1 different partition(s) of 3 folds "
        "(too few to reshuffle): the std over repeats understates how much the score depends "
        "on the split")
    y = np.array(["happiness", "neutral"] * 6)
    subjects = np.repeat(list("abcdef"), 2)
    repeats = [folds("subject-independent", y, subjects, 3, r, 0) for r in range(2)]
    assert len({frozenset(frozenset(subjects[t]) for _, t in f) for f in repeats}) == 2
    assert same_partitions(repeats, subjects) is None


# ------------------------------------------------------------------ F2: one-label training
def faceless_layout():
    """4 people, a happy and a neutral photo each; the last two's happy photos plain grey."""
    faces = aufeat.make_synthetic_faces(4, 2, emotions=LABELS, random_state=2)
    subjects = np.asarray(faces.subject).astype(str)
    y = np.asarray(faces.emotion).astype(str)
    people = sorted(set(subjects))
    grey = np.isin(subjects, people[2:]) & (y == "happiness")
    faces.images[grey] = 128  # dlib finds no face there
    return faces, subjects, y, ~grey, people


def test_binary_kfold_refuses_a_training_fold_without_faces_of_a_label(examples, tmp_path,
                                                                        capsys, monkeypatch):
    """The two people with a happy face in one test fold: refused after aligning, not trained."""
    import binary_expression_kfold as binary

    faces, subjects, y, _found, people = faceless_layout()
    seed = next(s for s in range(100) if any(  # a seed whose folds put a and b together
        set(people[:2]) <= set(subjects[test])
        for _, test in binary.folds("subject-independent", y, subjects, 2, 0, s)))
    faces.to_manifest(tmp_path / "faces.csv")
    monkeypatch.setenv("JAX_COMPILATION_CACHE_DIR", str(tmp_path / "cache"))  # this process's
    monkeypatch.setenv("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0.5")   # JAX untouched
    out = tmp_path / "out"
    code = binary.main(["--data", f"manifest:{tmp_path / 'faces.csv'}", "--folds", "2",
                        "--repeats", "1", "--seed", str(seed), "--quick", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    (line,) = captured.err.strip().splitlines()
    assert line.startswith("binary_expression_kfold.py: error: manifest:faces.csv: fold ")
    assert "of repeat 0 (subject-independent) has no 'happiness' face to train on" in line
    assert f"({people[0]}, {people[1]})" in line
    assert "8 images, 2 without a face" in captured.out  # aligned, then refused
    assert "logreg" not in captured.out  # no model trained
    assert not (out / "summary.csv").exists()


def test_binary_kfold_training_check_matches_the_faces_of_each_training_side(examples):
    from _binary_faces import faces_problem, training_problem
    from binary_expression_kfold import folds

    _faces, subjects, y, found, _people = faceless_layout()
    assert faces_problem(LABELS, y, found, subjects) is None  # two people per label: passes
    outcomes = set()
    for seed in range(12):
        splits = {("subject-independent", 0): folds("subject-independent", y, subjects, 2, 0,
                                                    seed)}
        lacking = [(k, label) for k, (train, _) in enumerate(splits["subject-independent", 0])
                   for label in LABELS if label not in set(y[train[found[train]]])]
        problem = training_problem(LABELS, y, found, subjects, splits)
        outcomes.add(bool(lacking))
        if lacking:
            k, label = lacking[0]
            assert problem.startswith(f"fold {k} of repeat 0 (subject-independent) has no "
                                      f"'{label}' face to train on")
        else:
            assert problem is None
    assert outcomes == {True, False}


# SL28 F1: a training side whose faces of a label come from one person passed the check, and
# the small CNN's early stopping (whole people held out) refused it after the logreg folds
def pure_people_layout():
    """4 people, 2 photos each of one label: the first two happy, the others neutral."""
    faces = aufeat.make_synthetic_faces(4, 4, emotions=LABELS, random_state=2)
    subjects = np.asarray(faces.subject).astype(str)
    y = np.asarray(faces.emotion).astype(str)
    people = sorted(set(subjects))
    keep = np.where(np.isin(subjects, people[:2]), y == LABELS[0], y == LABELS[1])
    return faces.subset(keep), subjects[keep], y[keep]


def test_binary_kfold_refuses_a_fold_the_small_cnn_cannot_validate_before_training(
        examples, tmp_path, capsys, monkeypatch):
    import binary_expression_kfold as binary

    faces, subjects, y = pure_people_layout()
    faces.to_manifest(tmp_path / "faces.csv")
    monkeypatch.setenv("JAX_COMPILATION_CACHE_DIR", str(tmp_path / "cache"))  # this process's
    monkeypatch.setenv("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0.5")   # JAX untouched
    out = tmp_path / "out"
    code = binary.main(["--data", f"manifest:{tmp_path / 'faces.csv'}", "--folds", "2",
                        "--repeats", "1", "--quick", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    (line,) = captured.err.strip().splitlines()
    train = binary.folds("subject-independent", y, subjects, 2, 0, 0)[0][0]
    label = LABELS[0]  # each label has one person on this side: the first is named
    (person,) = set(subjects[train][y[train] == label])
    assert line == (
        "binary_expression_kfold.py: error: manifest:faces.csv: fold 0 of repeat 0 "
        "(subject-independent): the small CNN's early stopping holds whole people out of its "
        f"training faces (validation_fraction=0.15), and its '{label}' faces come from 1 "
        f"person ({person}), so no split it tries keeps one to train on; give '{label}' faces "
        "of more people, or fewer --folds")
    assert "8 faces, 4 people" in captured.out  # aligned, then refused
    assert "logreg" not in captured.out  # no model trained
    assert not (out / "summary.csv").exists()


@pytest.mark.parametrize("protocol", ["subject-independent", "leaky"])
def test_binary_kfold_refuses_a_training_side_exactly_when_the_network_would(examples,
                                                                              protocol):
    """The CNN's own rule: a neutral person beside two happy ones (not one) can be validated."""
    pytest.importorskip("keras")
    from _binary_faces import training_problem

    from aufeat.keras import KerasMLPClassifier  # fit's validation split is the CNN's

    subjects = np.repeat(["a", "b", "c", "d"], 3)
    y = np.repeat(["happiness", "neutral", "happiness", "neutral"], 3)
    found = np.ones(len(y), bool)
    X = np.random.default_rng(0).normal(size=(len(y), 3)).astype(np.float32)
    outcomes = set()
    for people in (["a", "b"], ["a", "b", "c"]):
        train = np.flatnonzero(np.isin(subjects, people))
        splits = {(protocol, 0): [(train, np.setdiff1d(np.arange(len(y)), train))]}
        problem = training_problem(LABELS, y, found, subjects, splits, (0.15, 0))
        net = KerasMLPClassifier((2,), epochs=1, validation_fraction=0.15, random_state=0)
        groups = subjects[train] if protocol != "leaky" else None
        refusal = ""
        try:
            net.fit(X[train], y[train], groups=groups)
        except ValueError as exc:
            refusal = str(exc)
        if refusal:
            assert "held out every" in refusal
            assert problem.startswith(f"fold 0 of repeat 0 ({protocol}): the small CNN's ")
        else:
            assert problem is None
        outcomes.add(problem is None)
    assert outcomes == ({False, True} if protocol != "leaky" else {True})


# ------------------------------------------------------------------ F3: --weights FILE
@pytest.mark.parametrize("kind", ["folder", "empty"])
def test_architecture_weights_that_are_no_file_are_refused_while_reading_the_command_line(
        examples, kind, tmp_path, capsys):
    import architecture_comparison as arch

    path = str(tmp_path) if kind == "folder" else ""
    with pytest.raises(SystemExit) as stop:
        arch.parse_args(["--architectures", "MobileNet@32", "--weights", f"MobileNet={path}"])
    assert stop.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last == (f"architecture_comparison.py: error: --weights MobileNet={path} "
                    + ("is not a file" if kind == "folder" else "names no FILE")
                    + "; give a keras.applications weights file (include_top=False)")
    weights = tmp_path / "notop.h5"
    weights.write_bytes(b"")
    args = arch.parse_args(["--architectures", "MobileNet@32", "--weights",
                            f"MobileNet={weights}"])
    assert args.weights == {"MobileNet": str(weights)}


# ------------------------------------------------------------------ F5: OUT/jax-cache
CACHE = """
import sys
import jax
sys.path.insert(0, sys.argv[1])
from _common import output_folder
output_folder(sys.argv[2], jax_cache=True)
print(jax.config.jax_compilation_cache_dir)
print(jax.config.jax_persistent_cache_min_compile_time_secs)
"""


@pytest.mark.parametrize("user_dir", [None, "mine"])
def test_output_folder_sets_the_jax_cache_of_a_process_that_imported_jax_first(
        user_dir, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("JAX_")}
    if user_dir:
        env["JAX_COMPILATION_CACHE_DIR"] = str(tmp_path / user_dir)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-c", CACHE, str(ROOT / "examples"), str(out)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    cache_dir, min_seconds = proc.stdout.split()
    assert cache_dir == str(tmp_path / user_dir if user_dir else out / "jax-cache")
    assert float(min_seconds) == 0.5


# SL28 F4: a value the caller set through jax.config (not the environment) was overridden
CACHE_CONFIG = """
import ast
import sys
import jax
jax.config.update(sys.argv[3], ast.literal_eval(sys.argv[4]))
""" + CACHE.replace("import jax\n", "")


@pytest.mark.parametrize("key", ["jax_compilation_cache_dir",
                                 "jax_persistent_cache_min_compile_time_secs"])
def test_output_folder_keeps_a_jax_cache_setting_the_caller_made_in_jax_config(key, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("JAX_")}
    out = tmp_path / "out"
    mine = str(tmp_path / "mine") if key == "jax_compilation_cache_dir" else 0.0
    proc = subprocess.run([sys.executable, "-c", CACHE_CONFIG, str(ROOT / "examples"), str(out),
                           key, repr(mine)], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    cache_dir, min_seconds = proc.stdout.split()
    if key == "jax_compilation_cache_dir":  # the caller's kept; the other still set
        assert (cache_dir, float(min_seconds)) == (mine, 0.5)
    else:
        assert (cache_dir, float(min_seconds)) == (str(out / "jax-cache"), 0.0)
