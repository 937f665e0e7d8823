"""User mistakes on the command line: one line on stderr, exit status 2, nothing written."""

from __future__ import annotations

import pytest

from .conftest import assert_refused, write_manifest, write_png

BENCH = "aufeat.cli.bench"


def test_bench_n_jobs_zero(tmp_path):
    assert_refused(tmp_path, "run", "--n-jobs", "0", module=BENCH,
             fragments=("--n-jobs must be a number of workers >= 1", "got 0"))


def test_train_n_jobs_zero(tmp_path):
    # aufeat train has no --n-jobs: still a one-line usage error, not a traceback
    assert_refused(tmp_path, "train", "--dataset", "synthetic", "--task", "emotion", "--out",
             tmp_path / "m.skops", "--n-jobs", "0",
             fragments=("aufeat train: error: unrecognized arguments: --n-jobs 0 "
                        "(see aufeat train --help)",))  # the sub-command's help, not aufeat's


@pytest.mark.parametrize("name", ["m.keras", "M.KERAS"])
def test_train_out_keras_is_refused_before_the_data_is_read(tmp_path, name):
    # the pipeline aufeat train fits is saved with skops; a .keras path was refused only after
    # the whole data set was aligned and the model fitted (a raw TypeError, nothing written).
    # The data set does not exist: the name is refused first
    assert_refused(tmp_path, "train", "--dataset", f"manifest:{tmp_path / 'absent.csv'}",
                   "--task", "emotion", "--out", tmp_path / "k" / name,
                   fragments=(f"aufeat train: error: --out {tmp_path / 'k' / name}: a .keras",
                              "name the model file MODEL.skops"))


def test_bench_synthetic_too_large_for_memory(tmp_path):
    line = assert_refused(tmp_path, "run", "--dataset", "synthetic:100000x100000", module=BENCH,
                    fragments=("10,000,000,000 images", "at most"))
    from aufeat.cli._specs import max_synthetic_images

    assert f"at most {max_synthetic_images():,} fit" in line


@pytest.mark.parametrize("module", [BENCH, "aufeat.cli.main"])
def test_header_only_manifest(tmp_path, module):
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,subject,emotion\n")
    args = (["run", "--dataset", f"manifest:{manifest}"] if module == BENCH else
            ["train", "--dataset", f"manifest:{manifest}", "--task", "emotion", "--out",
             tmp_path / "m.skops"])
    assert_refused(tmp_path, *args, module=module,
             fragments=(f"{manifest}:2:", "header but no rows"))


def test_non_utf8_manifest(tmp_path, faces):
    manifest = write_manifest(tmp_path, faces)
    data = manifest.read_bytes().replace(b"sadness", "tristesse é".encode("latin-1"), 1)
    manifest.write_bytes(data)
    line_no = data[:data.index(b"\xe9")].count(b"\n") + 1
    assert_refused(tmp_path, "run", "--dataset", f"manifest:{manifest}", module=BENCH,
             fragments=(f"{manifest}:{line_no}:", "byte 0xe9 is not UTF-8", "save the manifest"))


def test_extract_without_a_feature_name(tmp_path, face_pixels):
    write_png(tmp_path / "in" / "a.png", face_pixels[0])
    assert_refused(tmp_path, "extract", "--dataset", f"folder:{tmp_path / 'in'}", "--features",
                   ",", "--cache", tmp_path / "cache", fragments=("names no feature",))
    assert not (tmp_path / "cache").exists()


def test_crop_missing_input(tmp_path, face_pixels):
    image = write_png(tmp_path / "a.png", face_pixels[0])
    assert_refused(tmp_path, "crop", image, tmp_path / "missing.png", "--out", tmp_path / "out",
             fragments=("missing.png: no such file",))


def test_predict_missing_input(tmp_path):
    assert_refused(tmp_path, "predict", tmp_path / "m.skops", tmp_path / "missing.png", "--out",
             tmp_path / "out.csv", fragments=("missing.png: no such file",))


def test_predict_out_is_a_folder(tmp_path, face_pixels):
    image = write_png(tmp_path / "a.png", face_pixels[0])
    (tmp_path / "results").mkdir()
    assert_refused(tmp_path, "predict", tmp_path / "m.skops", image, "--out", tmp_path / "results",
             fragments=("results is a folder; give a file name",))


def test_crop_out_is_a_file(tmp_path, face_pixels):
    image = write_png(tmp_path / "a.png", face_pixels[0])
    (tmp_path / "crops").write_text("not a folder")
    assert_refused(tmp_path, "crop", image, "--out", tmp_path / "crops",
             fragments=("crops exists and is not a folder",))


@pytest.mark.parametrize("command", ["predict", "crop", "bench"])
def test_an_output_that_cannot_be_written_is_refused_before_any_work(tmp_path, model,
                                                                     face_pixels, command):
    image = write_png(tmp_path / "a.png", face_pixels[0])
    (tmp_path / "notes").write_text("a file, so notes/... cannot be made")
    out = tmp_path / "notes" / "sub"
    args = {"predict": ("predict", model, image, "--out", out / "p.csv"),
            "crop": ("crop", image, "--out", out),
            "bench": ("run", "--dataset", "synthetic:4x6", "--features", "hog", "--classifiers",
                      "logreg", "--protocol", "group-kfold:2", "--out", tmp_path / "results",
                      "--json", out / "r.json", "--no-progress")}[command]
    assert_refused(tmp_path, *args, module=BENCH if command == "bench" else "aufeat.cli.main",
                   fragments=("cannot write into", "notes"))


def test_predict_with_a_sidecar_that_names_no_task(tmp_path, model, face_pixels):
    import shutil

    copy = tmp_path / "m.skops"
    shutil.copy(model, copy)
    (tmp_path / "m.skops.json").write_text('{"emotion_classes": ["a", "b"]}')
    image = write_png(tmp_path / "a.png", face_pixels[0])
    assert_refused(tmp_path, "predict", copy, image, "--out", tmp_path / "out.csv",
                   fragments=("m.skops.json is not a sidecar written by 'aufeat train'",))


@pytest.mark.parametrize("value", ["0", "-5"])
def test_crop_min_size_that_is_not_positive(tmp_path, face_pixels, value):
    image = write_png(tmp_path / "a.png", face_pixels[0])
    assert_refused(tmp_path, "crop", image, "--out", tmp_path / "out", "--min-size", value,
                   fragments=("min_size must be a positive number of pixels",))
    assert not (tmp_path / "out").exists()


def test_crop_size_too_large_to_allocate(tmp_path, face_pixels):
    image = write_png(tmp_path / "a.png", face_pixels[0])
    assert_refused(tmp_path, "crop", image, "--out", tmp_path / "out", "--size", "100000",
                   fragments=("size must be an int from 8 to 4096 pixels, got 100000",))
    assert not (tmp_path / "out").exists()


def test_aligner_refuses_a_bad_min_size_before_reading_an_image():
    from aufeat.face import FaceAligner

    with pytest.raises(ValueError, match="min_size must be a positive number"):
        FaceAligner(min_size=0).fit()
