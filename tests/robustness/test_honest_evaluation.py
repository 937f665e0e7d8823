"""Honest evaluation cannot be bypassed: overlapping cross-data-set runs, unknown labels,
results cached under a file name instead of the data's content."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from aufeat import extract_hog
from aufeat.datasets import DatasetError, load_manifest
from aufeat.evaluation.runner import evaluate
from aufeat.exceptions import ProtocolError

from .conftest import assert_one_line_error, changed, run_cli, snapshot, write_manifest, write_png

BENCH = "aufeat.cli.bench"


def _hog(dataset):
    from aufeat.estimators.feature_sets import unit_gray

    return extract_hog(unit_gray(dataset.load_images()), pixels_per_cell=(16, 16))


def _other_ids(faces):
    return [f"other-{s}" for s in faces.subject]


# ------------------------------------------------------------------ cross-data-set overlap
def test_the_same_data_set_on_both_sides_is_refused(faces):
    X = _hog(faces)
    with pytest.raises(ProtocolError, match=r"share 12 images .* and 3 subject ids "
                                            r"\(syn001, syn002, syn003\)"):
        evaluate(faces, X, model="logreg", protocol="cross:copy", target=faces, target_X=X)


def test_two_manifests_listing_the_same_files_are_refused(tmp_path, faces):
    a = load_manifest(write_manifest(tmp_path, faces, name="a.csv"))
    b = load_manifest(write_manifest(tmp_path, faces, name="b.csv", subjects=_other_ids(faces)))
    with pytest.raises(ProtocolError, match=r"share 12 images \(e\.g\. .*face\d\d\.png is "
                                            r".*face\d\d\.png\):") as info:
        evaluate(a, _hog(a), model="logreg", protocol="cross:b", target=b, target_X=_hog(b))
    assert "subject id" not in str(info.value)


def test_copied_image_files_are_refused_by_content(tmp_path, faces):
    a = load_manifest(write_manifest(tmp_path / "a", faces))
    shutil.copytree(tmp_path / "a" / "images", tmp_path / "b" / "images")
    b = load_manifest(write_manifest(tmp_path / "b", faces, subjects=_other_ids(faces)))
    with pytest.raises(ProtocolError, match="share 12 images"):
        evaluate(a, _hog(a), model="logreg", protocol="cross:b", target=b, target_X=_hog(b))


def test_images_in_memory_and_on_disk_are_matched_by_their_features(tmp_path, faces):
    on_disk = load_manifest(write_manifest(tmp_path, faces, subjects=_other_ids(faces)))
    with pytest.raises(ProtocolError, match="share 12 images"):
        evaluate(faces, _hog(faces), model="logreg", protocol="cross:disk", target=on_disk,
                 target_X=_hog(on_disk))


def test_shared_subject_ids_are_refused_and_named(faces):
    from aufeat.datasets import make_synthetic_faces

    other = make_synthetic_faces(n_subjects=2, n_per_subject=4, random_state=99,
                                 emotions=["happiness", "sadness"])
    with pytest.raises(ProtocolError, match=r"share 2 subject ids \(syn001, syn002\)"):
        evaluate(faces, _hog(faces), model="logreg", protocol="cross:other", target=other,
                 target_X=_hog(other))


def test_independent_data_sets_still_evaluate(faces):
    from aufeat.datasets import make_synthetic_faces

    other = make_synthetic_faces(n_subjects=2, n_per_subject=4, random_state=99,
                                 emotions=["happiness", "sadness"])
    other.subject = np.char.add("other-", other.subject)
    result = evaluate(faces, _hog(faces), model="logreg", protocol="cross:other", target=other,
                      target_X=_hog(other))
    assert result.per_fold[0]["n_test"] == 8


def test_constant_feature_rows_of_different_images_are_not_shared_images(faces):
    # Every unaligned crop gets the all-zero geometry row, a uniform crop a constant HOG row:
    # equal rows of different pictures, not the same image.
    from aufeat.datasets import make_synthetic_faces

    other = make_synthetic_faces(n_subjects=2, n_per_subject=4, random_state=99,
                                 emotions=["happiness", "sadness"])
    other.subject = np.char.add("other-", other.subject)
    X, target_X = _hog(faces), _hog(other)
    X[0] = target_X[0] = 0.0
    X[1] = target_X[1] = 0.25
    result = evaluate(faces, X, model="logreg", protocol="cross:other", target=other,
                      target_X=target_X)
    assert result.per_fold[0]["n_test"] == 8
    target_X[2] = X[5]  # a varied row repeated is still the same image
    with pytest.raises(ProtocolError, match=r"share 1 image \(e\.g\. image #2 of 'synthetic' is "
                                            r"image #5 of "):
        evaluate(faces, X, model="logreg", protocol="cross:other", target=other,
                 target_X=target_X)


def test_bench_cross_with_the_same_data_set_is_one_line(tmp_path, faces):
    manifest = write_manifest(tmp_path, faces)
    before = snapshot(tmp_path)
    proc = run_cli("run", "--dataset", f"manifest:{manifest}", "--cross", f"manifest:{manifest}",
                   "--no-align", "--out", tmp_path / "results", "--cache", tmp_path / "cache",
                   "--no-progress", module=BENCH, cwd=tmp_path)
    assert_one_line_error(proc, "share 12 images", "3 subject ids (syn001, syn002, syn003)",
                          "not be subject-independent")
    assert changed(before, snapshot(tmp_path)) == []


# ------------------------------------------------------------------ labels
@pytest.mark.parametrize(("label", "fragment"), [
    ("hapy", "unknown emotion label 'hapy' (did you mean 'happy'?)"),
    ("nuetral", "unknown emotion label 'nuetral' (did you mean 'neutral'?)"),
    ("", "a blank emotion label"),
])
def test_labels_outside_the_vocabulary_are_refused_with_file_and_line(tmp_path, faces, label,
                                                                      fragment):
    labels = list(faces.emotion)
    labels[4] = label
    manifest = write_manifest(tmp_path, faces, labels=labels)
    with pytest.raises(DatasetError) as info:
        load_manifest(manifest)
    message = str(info.value)
    assert message.startswith(f"{manifest}:6: ")  # header is line 1, row 4 is line 6
    assert fragment in message
    assert "known labels: anger, contempt, disgust, fear, happiness, neutral" in message
    assert info.value.line == 6


def test_an_explicit_label_map_maps_them(tmp_path, faces):
    labels = list(faces.emotion)
    labels[0], labels[1], labels[2] = "hapy", "", "Sad"
    manifest = write_manifest(tmp_path, faces, labels=labels)
    mapping = tmp_path / "labels.txt"
    mapping.write_text("# typos in our annotation\nhapy=happiness\n=sadness\n")
    ds = load_manifest(manifest, label_map=mapping)
    assert ds.emotion[:3].tolist() == ["happiness", "sadness", "sadness"]
    assert ds.emotion[3:].tolist() == list(faces.emotion[3:])
    mapping.write_text("hapy=happiness\n=sadness\n", encoding="utf-8-sig")  # Notepad's BOM
    bom = load_manifest(manifest, label_map=mapping)
    assert bom.emotion.tolist() == ds.emotion.tolist()


def test_bench_refuses_an_unknown_label_in_one_line(tmp_path, faces):
    labels = list(faces.emotion)
    labels[2] = "hapy"
    manifest = write_manifest(tmp_path, faces, labels=labels)
    before = snapshot(tmp_path)
    proc = run_cli("run", "--dataset", f"manifest:{manifest}", "--no-align", "--out",
                   tmp_path / "results", "--no-progress", module=BENCH, cwd=tmp_path)
    assert_one_line_error(proc, f"{manifest}:4:", "'hapy'", "known labels", "--label-map")
    assert changed(before, snapshot(tmp_path)) == []


def test_train_with_label_map_pairs(tmp_path, faces):
    labels = list(faces.emotion)
    labels[2], labels[3] = "hapy", "HAPY"
    manifest = write_manifest(tmp_path, faces, labels=labels)
    model = tmp_path / "model.skops"
    proc = run_cli("train", "--dataset", f"manifest:{manifest}", "--task", "emotion",
                   "--features", "hog", "--model", "logreg", "--crops", "--label-map",
                   "hapy=happiness", "--out", model, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    meta = json.loads(model.with_name("model.skops.json").read_text())
    assert meta["emotion_classes"] == ["happiness", "sadness"]


# ------------------------------------------------------------------ cached results
def test_cached_bench_results_follow_the_data_not_its_file_name(tmp_path, faces, face_pixels):
    manifest = write_manifest(tmp_path, faces)
    results = tmp_path / "cache" / "bench-results"

    def bench():
        proc = run_cli("run", "--dataset", f"manifest:{manifest}", "--no-align", "--features",
                       "hog", "--classifiers", "logreg", "--protocol", "group-kfold:3",
                       "--cache", tmp_path / "cache", "--out", tmp_path / "out",
                       "--no-progress", module=BENCH, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        keys = sorted(p.stem for p in results.glob("*.json"))
        return keys, json.loads((tmp_path / "out" / "results.json").read_text())

    first, _ = bench()
    again, _ = bench()
    assert len(first) == 1
    assert again == first  # same data: the stored result is reused
    labels = list(faces.emotion)
    labels[0] = "sadness" if labels[0] == "happiness" else "happiness"
    write_manifest(tmp_path, faces, labels=labels)  # same file name, edited labels
    relabelled, _ = bench()
    assert len(relabelled) == 2
    write_png(tmp_path / "images" / "face05.png", face_pixels[5][::-1])  # new pixels, same name
    replaced, document = bench()
    assert len(replaced) == 3
    assert document["n_samples"] == 12
