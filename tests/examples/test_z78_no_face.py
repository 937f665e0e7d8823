"""binary_expression_kfold, au_intensity_classical and fer2013_baselines score faceless images.

They dropped images where dlib found no face before scoring, so both of their protocols
scored only the faces found, unlike ``aufeat.evaluate``, cross_population.py and
architecture_comparison.py (test_z34_no_face.py). Now every labelled image is tested: a
faceless one is an error for emotions (predicted ``''``) and predicts no AU (intensity 0)
for AU intensity, and the coverage (share with a face) is reported beside the scores.
"""

import argparse
import csv
import json
import sys

import numpy as np
import pytest

import aufeat

from .conftest import ROOT, run

GREY_ROWS = [1, 8, 15, 22]  # plain grey photos: dlib finds no face there


@pytest.fixture
def examples(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples"))


def manifest_with_faceless_photos(path, n_subjects=6, per_subject=6):
    """Synthetic people, happiness / neutral, 4 photos plain grey: a manifest.

    A manifest's photos must hold a face dlib detects; it detects every face of this seed
    (it misses one synthetic crop of seed 0).
    """
    data = aufeat.make_synthetic_faces(n_subjects, per_subject,
                                       emotions=["happiness", "neutral"], random_state=2)
    data.images[GREY_ROWS] = 128
    data.to_manifest(path)
    return path


def test_binary_kfold_tests_every_image_and_scores_faceless_ones_as_errors(examples, tmp_path):
    import binary_expression_kfold as binary

    args = argparse.Namespace(data=f"manifest:{manifest_with_faceless_photos(tmp_path / 'f.csv')}",
                              labels=["happiness", "neutral"], quick=True, seed=0, repeats=1,
                              folds=3)
    data = binary.load(args)
    inputs, found = binary.prepare(data, "manifest")
    assert len(found) == 36
    assert (~found).sum() == 4
    for kind in ("pixels", "hog", "faces"):  # every image keeps its row, NaN without a face
        rows = inputs[kind].reshape(36, -1)
        np.testing.assert_array_equal(np.isnan(rows).all(axis=1), ~found)
    y = np.asarray(data.emotion).astype(str)
    subjects = np.asarray(data.subject).astype(str)
    rows, pooled = binary.run(aufeat.make_classifier("logreg", random_state=0),
                              inputs["pixels"], y, subjects, args)
    for protocol in ("subject-independent", "leaky"):
        folds = [r for r in rows if r["protocol"] == protocol]
        assert sum(r["n_test"] for r in folds) == 36  # every labelled image is tested
        assert sum(round(r["coverage"] * r["n_test"]) for r in folds) == 32
        for r in folds:
            assert r["accuracy"] <= r["coverage"]  # a faceless image cannot be right
        ((accuracy, _f1),) = pooled[protocol]
        assert accuracy <= 32 / 36
    assert any(r["coverage"] < 1 for r in rows if r["protocol"] == "subject-independent")


def test_binary_kfold_still_needs_faces_of_each_label(examples):
    import binary_expression_kfold as binary

    y = np.array(["happiness"] * 3 + ["neutral"] * 3)
    subjects = np.array(["a", "b", "c", "a", "b", "c"])
    found = np.array([True, True, False, False, False, False])
    assert binary.faces_problem(["happiness", "neutral"], y, found, subjects) == (
        "no face found in any 'neutral' image (happiness: 2 of 3, neutral: 0 of 3 photos had "
        "a face)")
    found[3:5] = True
    assert binary.faces_problem(["happiness", "neutral"], y, found, subjects) is None


@pytest.mark.slow
def test_binary_kfold_run_reports_coverage_beside_the_scores(tmp_path):
    """The run says how many had no face, and the tables and summary.json carry coverage."""
    manifest = manifest_with_faceless_photos(tmp_path / "faces.csv", per_subject=4)
    out = tmp_path / "out"
    proc = run([sys.executable, "examples/binary_expression_kfold.py", "--data",
                f"manifest:{manifest}", "--quick", "--repeats", "1", "--folds", "2",
                "--out", str(out)])
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert "24 images, 4 without a face (errors in every score; coverage 0.833)" in proc.stdout
    document = json.loads((out / "summary.json").read_text())
    assert (document["n_images"], document["no_face"]) == (24, 4)
    assert document["coverage"] == pytest.approx(20 / 24)
    with open(out / "summary.csv", newline="") as handle:
        summary = list(csv.DictReader(handle))
    for row in summary:
        assert float(row["coverage"]) == pytest.approx(20 / 24)
        assert float(row["accuracy_mean"]) <= 20 / 24
    with open(out / "per_fold.csv", newline="") as handle:
        per_fold = list(csv.DictReader(handle))
    for protocol in {r["protocol"] for r in per_fold}:
        folds = [r for r in per_fold if r["protocol"] == protocol and r["model"] == "small-cnn"]
        assert sum(int(r["n_test"]) for r in folds) == 24
        assert sum(round(float(r["coverage"]) * int(r["n_test"])) for r in folds) == 20
    assert "coverage 0.833" in (out / "summary.md").read_text()


def test_fer2013_baselines_score_faceless_images_as_errors(examples):
    import fer2013_baselines

    from aufeat.evaluation.protocols import make_splits

    from .test_z34_no_face import corpus_with_faceless_rows

    data, X = corpus_with_faceless_rows()  # 72 labelled images, 10 without a face
    y = np.asarray(data.emotion).astype(str)
    subjects = np.asarray(data.subject).astype(str)
    folds = make_splits("group-kfold:2", subjects)
    metrics, per_fold, n_test, coverage, _seconds, _chosen = fer2013_baselines.run_model(
        "linear SVM", aufeat.make_classifier("linear-svm", random_state=0), X, y, subjects,
        folds)
    honest = aufeat.evaluate(data, X, model="linear-svm", protocol="group-kfold:2",
                             labels=sorted(set(y)), random_state=0)
    assert n_test == honest.n_samples == 72  # every labelled image, found or not
    assert coverage == pytest.approx(honest.coverage) == pytest.approx(62 / 72)
    assert metrics["no_face"] == 10
    assert metrics["accuracy"] <= coverage  # a faceless image cannot be right
    assert metrics["accuracy"] == pytest.approx(honest.metrics["accuracy"])  # one scheme
    assert len(per_fold) == 2


def faceless_clips(au_intensity_classical):
    """Synthetic clips (4 people x 3 expressions x 2 frames), 3 frames plain grey."""
    clips = au_intensity_classical.synthetic_clips(4, 3, 2, 0)
    clips.images[[0, 5, 9]] = 128
    return clips


def test_au_intensity_scores_faceless_frames_as_no_au_in_both_protocols(examples, tmp_path):
    import au_intensity_classical as auic

    clips = faceless_clips(auic)
    data = auic.prepare(clips)
    assert len(data) == len(clips) == 24  # every frame kept
    found = ~np.isnan(data.images).any(axis=(1, 2))
    np.testing.assert_array_equal(np.flatnonzero(~found), [0, 5, 9])
    cache = aufeat.FeatureCache(tmp_path / "cache")
    X = auic.extract(cache, data.load_images(), auic.extractors("none"))
    np.testing.assert_array_equal(np.isnan(X).all(axis=1), ~found)  # no face: a NaN row

    model = auic.make_au_model("ridge-regression", list(data.au_names), 0)
    _y, pred = auic.leaky_predictions(model, X, data.aus, 2, 0)
    assert not np.isnan(pred).any()  # every frame predicted
    np.testing.assert_array_equal(pred[~found], 0.0)  # no face: no AU, intensity 0
    assert (pred[found] != 0).any()

    args = argparse.Namespace(quick=True, seed=0, folds=2)
    tables = auic.run_model(data, X, "ridge-regression", "none", args)
    for protocol in ("subject-independent", "leaky"):
        for au, row in tables[protocol].items():
            coded = int((~np.isnan(data.aus[:, list(data.au_names).index(au)])).sum())
            assert row["support"] == coded == 24  # faceless frames are scored too


@pytest.mark.slow
def test_au_intensity_run_reports_coverage(tmp_path):
    """A DISFA copy with grey frames: summary.json, report.md and the run give the coverage."""
    import cv2

    from .test_examples import _write_fake_disfa

    root = tmp_path / "DISFA"
    _write_fake_disfa(root, n_subjects=4, n_frames=6)
    grey = np.full((112, 112, 3), 128, np.uint8)
    for subject, frame in (("SN001", 2), ("SN003", 5)):
        cv2.imwrite(str(root / "Images_LeftCamera" / subject / f"{frame:04d}.png"), grey)
    out = tmp_path / "out"
    proc = run([sys.executable, "examples/au_intensity_classical.py", "--data", str(root),
                "--quick", "--step", "1", "--folds", "2", "--models", "ridge-regression",
                "--out", str(out)])
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert "aligned 22 faces of 24 frames; 2 without a face, scored as no AU (intensity 0) " \
           "in both protocols (coverage 0.917)" in proc.stdout
    document = json.loads((out / "summary.json").read_text())
    assert (document["n_images"], document["n_faces"], document["no_face"]) == (24, 22, 2)
    assert document["coverage"] == pytest.approx(22 / 24)
    assert "Coverage: 22 of 24 frames had a face (0.917)" in (out / "report.md").read_text()
    with open(out / "per_au.csv", newline="") as handle:
        assert {int(r["support"]) for r in csv.DictReader(handle)} == {24}
