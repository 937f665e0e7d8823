"""Round 20 (Z105) findings on the examples, each checked the way a user meets it.

f01: architecture_comparison's log line and ``summary.json`` counted every photo without a
face as an error in every score, the training side's too (tested:
``tests/examples/test_z34_no_face.py``; here the count the log line is built from). f02:
binary_expression_kfold wrote ``test_people_in_training = 0.0`` for both protocols on a
corpus without person ids, where the share is unknown. f03: an unknown network name or a
size of 0 in ``--architectures`` was found only when its turn came, then "skipped" with exit
0, as was any ValueError while training. f04: ``--data KIND:PATH`` with an unknown KIND said
that the whole spec "does not exist". f05: docstrings promising what the code does not do.
"""

import csv
import importlib.util
import json
import sys

import cv2
import numpy as np
import pytest

import aufeat

from .examples.conftest import ROOT, run

DEEP = importlib.util.find_spec("keras") is not None and importlib.util.find_spec("jax") is not None


@pytest.fixture
def examples(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples"))


def last_error_line(proc, name):
    """The one stderr line of an example's refusal, after checking exit 2 and no traceback."""
    assert proc.returncode == 2, (proc.stdout + proc.stderr)[-2000:]
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith(f"{name}.py: error: "), proc.stderr
    return last


# --------------------------------------------------------- f01: no face on the training side
def test_images_line_counts_only_test_images_without_a_face_as_errors(examples):
    from _common import fer_like_split, images_line, tested_images

    from aufeat.evaluation.protocols import make_splits

    subjects = np.repeat([f"p{i}" for i in range(6)], 4)
    folds = make_splits("split", subjects, fer_like_split(subjects, 0))
    tested = tested_images(folds, len(subjects))
    found = np.ones(len(subjects), dtype=bool)
    found[np.flatnonzero(tested)[:1]] = False  # one test photo without a face
    found[np.flatnonzero(~tested)[:3]] = False  # three training photos without one
    assert images_line(found, tested) == (
        f"24 images, 1 of the {tested.sum()} test images without a face (errors in every "
        f"score; coverage {1 - 1 / tested.sum():.3f}), 3 training images without one "
        "(not fitted on)")


# --------------------------------------------- f02: the share of test people is unknown
def folder_without_person_ids(root):
    """A ``folder:`` corpus (one sub-folder per emotion): every image its own subject id."""
    data = aufeat.make_synthetic_faces(4, 4, emotions=["happiness", "neutral"], random_state=2)
    for i, (image, emotion) in enumerate(zip(data.load_images(), data.emotion, strict=True)):
        (root / emotion).mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(root / emotion / f"{i:02d}.png"), np.asarray(image)[..., ::-1])
    return root


def test_binary_kfold_leaves_the_share_of_test_people_empty_without_person_ids(
        examples, monkeypatch, tmp_path):
    import binary_expression_kfold as binary

    monkeypatch.setattr(binary, "make_models", lambda args: {  # one linear model: fast
        "logreg (pixels 48x48)": ("pixels", aufeat.make_classifier("logreg", random_state=0))})
    folder = folder_without_person_ids(tmp_path / "faces")
    out = tmp_path / "out"
    assert binary.main(["--data", f"folder:{folder}", "--repeats", "1", "--folds", "2",
                        "--out", str(out)]) == 0
    for table in ("per_fold.csv", "summary.csv"):
        with open(out / table, newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert {r["protocol"] for r in rows} == {"by image (no person ids)", "leaky"}
        assert {r["test_people_in_training"] for r in rows} == {""}  # unknown, not 0.0
    document = json.loads((out / "summary.json").read_text())
    assert document["person_ids"] is False
    assert {r["test_people_in_training"] for r in document["summary"]} == {None}
    assert "test_people_in_training is left empty" in (out / "summary.md").read_text()


def test_binary_kfold_still_measures_the_share_of_test_people_with_person_ids(examples):
    import argparse

    import binary_expression_kfold as binary

    subjects = np.repeat([f"p{i}" for i in range(6)], 4)
    y = np.tile(["happiness", "neutral"], 12)
    X = np.random.default_rng(0).normal(size=(24, 3)) + (y == "happiness")[:, None]
    args = argparse.Namespace(labels=["happiness", "neutral"], repeats=1, folds=2, seed=0)
    rows, _ = binary.run(aufeat.make_classifier("logreg", random_state=0), X, y, subjects, args)
    shares = {p: [r["test_people_in_training"] for r in rows if r["protocol"] == p]
              for p in binary.PROTOCOLS}
    assert shares["subject-independent"] == [0.0, 0.0]
    assert min(shares["leaky"]) == 1.0  # 4 photos per person: each on both sides


# --------------------------------------------------- f03: --architectures checked at once
@pytest.mark.skipif(not DEEP, reason="the deep examples need the 'deep' extra (Keras 3 + JAX)")
@pytest.mark.parametrize(("networks", "expected"), [
    ("small-cnn@48,DenseNet12l@32", "--architectures: unknown network 'DenseNet12l' (did you "
     "mean DenseNet121?); use small-cnn, vgg-small or a keras.applications name such as "
     "DenseNet121 (names are case-sensitive)"),
    ("small-cnn@48,vgg-small@0", "--architectures: vgg-small needs a SIZE of at least 8, got "
     "'vgg-small@0'"),
    ("MobileNet@0", "--architectures: MobileNet needs a SIZE of at least 1, got 'MobileNet@0'"),
])
def test_architecture_comparison_refuses_a_bad_network_before_any_work(networks, expected,
                                                                       tmp_path):
    out = tmp_path / "out"
    proc = run([sys.executable, "examples/architecture_comparison.py", "--quick",
                "--architectures", networks, "--out", str(out)])
    assert last_error_line(proc, "architecture_comparison").endswith(expected)
    assert not out.exists()  # nothing aligned, nothing trained


@pytest.mark.skipif(not DEEP, reason="the deep examples need the 'deep' extra (Keras 3 + JAX)")
def test_only_the_adapters_size_refusal_skips_a_network(examples):
    """InceptionV3 learns its smallest input when built: that refusal, and no other error."""
    from _networks import size_refusal

    from aufeat.keras import KerasCNNClassifier

    faces = np.random.default_rng(0).random((6, 32, 32)).astype(np.float32)
    y = np.array(["happiness", "neutral"] * 3)
    with pytest.raises(ValueError, match="at least 75x75") as too_small:  # before building
        KerasCNNClassifier("InceptionV3", input_size=32, epochs=1).fit(faces, y)
    assert size_refusal(too_small.value, "InceptionV3")
    with pytest.raises(ValueError, match="labels are ''") as bad_labels:  # a valid network
        KerasCNNClassifier("small-cnn", input_size=16, epochs=1).fit(faces, np.array([""] * 6))
    assert not size_refusal(bad_labels.value, "small-cnn")


@pytest.mark.slow
@pytest.mark.skipif(not DEEP, reason="the deep examples need the 'deep' extra (Keras 3 + JAX)")
def test_architecture_comparison_lists_a_skipped_network_in_summary_json(tmp_path):
    rng = np.random.default_rng(0)
    rows = ["emotion,pixels,Usage"] + [
        f"{code},{' '.join(map(str, rng.integers(0, 256, 48 * 48)))},{usage}"
        for usage, codes in {"Training": [0, 3, 6] * 4, "PublicTest": [0, 3, 6],
                             "PrivateTest": [6, 3, 0]}.items() for code in codes]
    (tmp_path / "fer2013.csv").write_text("\n".join(rows) + "\n")
    out = tmp_path / "out"
    proc = run([sys.executable, "examples/architecture_comparison.py", "--quick", "--data",
                str(tmp_path / "fer2013.csv"), "--architectures", "small-cnn@16,InceptionV3@32",
                "--out", str(out)])
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    summary = json.loads((out / "summary.json").read_text())
    assert [r["architecture"] for r in summary["rows"]] == ["small-cnn"]
    assert list(summary["skipped"]) == ["InceptionV3@32"]
    assert "Input size must be at least 75x75" in summary["skipped"]["InceptionV3@32"]
    assert "InceptionV3@32: skipped (keras.applications.InceptionV3 cannot be built" in proc.stdout


# ------------------------------------------------------------- f04: --data KIND:PATH
@pytest.mark.parametrize(("name", "spec"), [
    ("binary_expression_kfold", "manifets"), ("binary_expression_kfold", "disfa"),
    ("architecture_comparison", "fer")])
def test_an_unknown_data_kind_is_refused_as_unknown(name, spec, tmp_path):
    manifest = tmp_path / "faces.csv"
    manifest.write_text("path,subject,emotion\n")
    out = tmp_path / "out"
    proc = run([sys.executable, f"examples/{name}.py", "--data", f"{spec}:{manifest}",
                "--out", str(out)])
    assert last_error_line(proc, name).endswith(
        f"argument --data: unknown KIND {spec!r} in {spec}:{manifest}; KIND:PATH takes KIND "
        "one of ckplus, jaffe, fer2013, manifest, folder")
    assert not out.exists()


def test_a_bare_path_with_a_colon_is_still_a_path(examples, tmp_path):
    from _common import data_source

    odd = tmp_path / "faces:v2.csv"
    odd.write_text("path,subject,emotion\n")
    assert data_source(str(odd)) == (None, str(odd))  # it exists: a path, not a KIND
    assert data_source("C:/corpora/fer2013.csv") == (None, "C:/corpora/fer2013.csv")  # a drive
    assert data_source(" Manifest :x.csv") == ("manifest", "x.csv")
    assert data_source(f"{tmp_path}/missing.csv") == (None, f"{tmp_path}/missing.csv")


# ------------------------------------------------------------------ f05: what docs promise
def test_docstrings_say_what_the_scripts_do(examples):
    import _common
    import architecture_comparison
    import au_intensity_classical
    import binary_expression_kfold

    for doc in (_common.count_people.__doc__, architecture_comparison.__doc__,
                binary_expression_kfold.__doc__):
        # neither script takes a subject pattern: a folder: never has person ids there
        assert "folder without a subject pattern" not in " ".join(doc.split())
    for module in (architecture_comparison, binary_expression_kfold):
        assert "--subject-pattern" not in module.parse_args.__code__.co_consts
    text = " ".join(au_intensity_classical.__doc__.split())
    assert "``summary.md`` (one row per features x model, the protocols side by side)" in text


# ------------------------------- SL19 f02/f03: --weights that do not fit, SIZE '²'
@pytest.mark.skipif(not DEEP, reason="the deep examples need the 'deep' extra (Keras 3 + JAX)")
@pytest.mark.filterwarnings("ignore::UserWarning")  # Keras on the file's unmatched parts
def test_a_weights_file_that_does_not_fit_is_no_size_refusal(examples, tmp_path):
    """Another network's weights (two --weights files swapped) fail the run, not skip it."""
    from _networks import size_refusal

    from aufeat.keras import WeightsMismatchError
    from aufeat.keras._architectures import build_image_model
    from aufeat.keras._backend import import_keras

    keras = import_keras()
    other = str(tmp_path / "mobilenetv2_notop.weights.h5")
    fits = keras.applications.MobileNetV2(include_top=False, weights=None,
                                          input_shape=(32, 32, 3))
    fits.save_weights(other)
    with pytest.raises(WeightsMismatchError, match="does not fit") as wrong:
        build_image_model("MobileNet", (32, 32, 1), 3, weights=other)  # a ValueError too
    assert other in str(wrong.value)  # the file is named
    assert "input_size" not in str(wrong.value)  # no advice to raise the size
    assert not size_refusal(wrong.value, "MobileNet")
    # a file that fits still loads (the same MobileNetV2, built once: its weights + 1 are
    # new values, so loading them is still seen; a second build only repeated the first)
    fits.set_weights([w + 1 for w in fits.get_weights()])
    fits.save_weights(other)
    model = build_image_model("MobileNetV2", (32, 32, 3), 3, weights=other)
    loaded = model.get_weights()
    assert all(any(w.shape == m.shape and np.array_equal(w, m) for m in loaded)
               for w in fits.get_weights())


@pytest.mark.skipif(not DEEP, reason="the deep examples need the 'deep' extra (Keras 3 + JAX)")
def test_a_size_in_other_digits_is_refused_in_one_line(tmp_path):
    proc = run([sys.executable, "examples/architecture_comparison.py", "--quick",
                "--architectures", "small-cnn@²", "--out", str(tmp_path / "out")])
    assert last_error_line(proc, "architecture_comparison").endswith(
        "--architectures takes NAME[@SIZE] with an integer SIZE, got 'small-cnn@²'")
