"""``benchmarks/real_faces.py``: its ``--features-npz`` file and its AU row.

The script's functions are imported from its file and run on tiny real manifests
(synthetic faces written as PNG files with their CSV into ``tmp_path``).
"""

import csv
import importlib.util
from pathlib import Path

import numpy as np
import pytest

import aufeat

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "real_faces.py"


@pytest.fixture(scope="module")
def real_faces():
    spec = importlib.util.spec_from_file_location("real_faces_z121", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _manifest(folder: Path, name: str, n: int = 3) -> Path:
    """Write a manifest ``name.csv`` of ``n`` synthetic faces (PNG files beside it)."""
    data = aufeat.make_synthetic_faces(n_subjects=1, n_per_subject=n, size=48, random_state=0)
    return data.to_manifest(folder / f"{name}.csv")


def _reversed(csv_path: Path) -> None:
    """Re-sort a manifest: the same rows (labels kept with their images), last first."""
    with open(csv_path, newline="") as f:
        head, *rows = list(csv.reader(f))
    with open(csv_path, "w", newline="") as f:
        csv.writer(f).writerows([head, *rows[::-1]])


@pytest.fixture(scope="module")
def stored(tmp_path_factory, real_faces):
    """A film3 manifest and the features file a first run wrote for it (``feats.npz``)."""
    folder = tmp_path_factory.mktemp("real_faces")
    csv_path = _manifest(folder, "film3")
    datasets = {"film3": aufeat.load_manifest(csv_path, name="film3")}
    feats = real_faces.cached_features(datasets, "hog", folder / "feats.npz", print)
    return folder, csv_path, feats


def _copy(stored, tmp_path):
    """Copies of the stored manifest (its images named by absolute path) and features file."""
    folder, csv_path, feats = stored
    with open(csv_path, newline="") as f:
        head, *rows = list(csv.reader(f))
    column = head.index("path")
    for row in rows:
        row[column] = str(folder / row[column])
    csv_copy = tmp_path / "film3.csv"
    with open(csv_copy, "w", newline="") as f:
        csv.writer(f).writerows([head, *rows])
    npz = tmp_path / "feats"
    npz.write_bytes((folder / "feats.npz").read_bytes())
    return csv_copy, npz, feats


def test_features_file_is_written_and_read_under_the_name_given(stored, real_faces, tmp_path):
    """``--features-npz features``: written under that name (not ``features.npz``), and read
    by a rerun."""
    csv_copy, _, feats = _copy(stored, tmp_path)
    datasets = {"film3": aufeat.load_manifest(csv_copy, name="film3")}
    npz, lines = tmp_path / "features", []
    for _ in range(2):
        read = real_faces.cached_features(datasets, "hog", npz, lines.append)
    assert npz.is_file()
    assert not (tmp_path / "features.npz").exists()  # np.savez adds the suffix to a name
    assert any("faces in" in line for line in lines[:-1])  # computed on the first run
    assert lines[-1] == f"  features read from {npz} (detector hog)"
    for kept, first in zip(read["film3"], feats["film3"], strict=True):
        np.testing.assert_array_equal(kept, first)


def test_features_of_a_resorted_manifest_are_refused(stored, real_faces, tmp_path):
    csv_copy, npz, _ = _copy(stored, tmp_path)
    same = {"film3": aufeat.load_manifest(csv_copy, name="film3")}
    real_faces.cached_features(same, "hog", npz, lambda line: None)  # the same images: read
    _reversed(csv_copy)
    datasets = {"film3": aufeat.load_manifest(csv_copy, name="film3")}
    assert datasets["film3"].paths[0] == same["film3"].paths[-1]
    with pytest.raises(SystemExit, match=r"other images than film3\.csv") as err:
        real_faces.cached_features(datasets, "hog", npz, lambda line: None)
    assert str(npz) in str(err.value)
    assert "delete it" in str(err.value)
    assert "another --features-npz" in str(err.value)


def test_features_of_a_shorter_manifest_are_refused(stored, real_faces, tmp_path):
    csv_copy, npz, _ = _copy(stored, tmp_path)
    head, *rows = csv_copy.read_text().splitlines()
    csv_copy.write_text("\n".join([head, *rows[:2]]) + "\n")  # the third image dropped
    datasets = {"film3": aufeat.load_manifest(csv_copy, name="film3")}
    with pytest.raises(SystemExit, match=r"other images than film3\.csv"):
        real_faces.cached_features(datasets, "hog", npz, lambda line: None)


def test_a_features_file_without_image_paths_is_refused(stored, real_faces, tmp_path):
    """A file written before the paths were kept cannot be checked: refused, not trusted."""
    csv_copy, npz, feats = _copy(stored, tmp_path)
    best, naive, _ = feats["film3"]
    with open(npz, "wb") as f:  # as real_faces.py wrote it before
        np.savez(f, detector=np.array("hog"), film3_best=best, film3_naive=naive)
    datasets = {"film3": aufeat.load_manifest(csv_copy, name="film3")}
    with pytest.raises(SystemExit, match=r"film3\.csv") as err:
        real_faces.cached_features(datasets, "hog", npz, lambda line: None)
    assert str(npz) in str(err.value)
    assert "delete it" in str(err.value)


def test_a_cut_short_features_file_is_named(stored, real_faces, tmp_path):
    csv_copy, npz, _ = _copy(stored, tmp_path)
    npz.write_bytes(npz.read_bytes()[:200])  # as a write stopped half-way left it
    datasets = {"film3": aufeat.load_manifest(csv_copy, name="film3")}
    with pytest.raises(SystemExit, match="is no readable features file") as err:
        real_faces.cached_features(datasets, "hog", npz, lambda line: None)
    assert str(err.value).startswith(str(npz))
    assert "delete it" in str(err.value)


def test_au_features_use_the_detector_given(real_faces, tmp_path):
    """``--detector`` reaches the AU row's FaceFeatures (an unknown one is refused there)."""
    data = aufeat.load_manifest(_manifest(tmp_path, "ckplus_dev", n=1), name="ckplus_dev")
    with pytest.raises(ValueError, match="no-such-detector"):
        real_faces.au_row({"ckplus_dev": data}, {"ckplus_dev": (None, None, 1.0)}, 1,
                          "no-such-detector")


def test_au_row_coverage_is_printed_beside_its_score(real_faces):
    """A ckplus_dev crop without a face shows in the AU row, as in the emotion rows."""
    from aufeat.features.geometry import extract_geometry

    data = aufeat.make_synthetic_faces(n_subjects=10, n_per_subject=4, size=48, aus=[4, 12],
                                        random_state=1)
    X = extract_geometry(data.meta["landmarks"])
    best_X = X.copy()
    best_X[:2] = np.nan  # two images without a face: 95% coverage
    aus = {which: aufeat.evaluate(data, features, model=real_faces.naive_model("au-occurrence"),
                                  task="au-occurrence", protocol="group-kfold:10",
                                  n_bootstrap=50, keep_predictions=True)
           for which, features in (("naive", X), ("best", best_X))}
    assert aus["best"].coverage == 0.95
    row = real_faces.table([], aus).splitlines()[-1]
    mean_f1 = f"{aus['best'].metrics['mean_f1']:.3f}"
    assert f"| {mean_f1} (95% CI " in row
    assert "(faces in 95.0%) |" in row
    full = real_faces.table([], {**aus, "best": aus["naive"]}).splitlines()[-1]
    assert "faces in" not in full  # every image has a face: nothing added


def test_features_of_the_same_images_through_a_linked_folder_are_read(stored, real_faces,
                                                                      tmp_path):
    """SL27 F2: DEVDATA reached through a link holds the same images: read."""
    folder, _, feats = stored
    link = tmp_path / "linked"
    link.symlink_to(folder, target_is_directory=True)
    datasets = {"film3": aufeat.load_manifest(link / "film3.csv", name="film3")}
    assert str(datasets["film3"].paths[0]).startswith(str(link))
    read = real_faces.cached_features(datasets, "hog", folder / "feats.npz", lambda line: None)
    np.testing.assert_array_equal(read["film3"][0], feats["film3"][0])


@pytest.mark.parametrize(("coverage", "text"), [(326 / 327, "99.6%"), (0.95, "95.0%"),
                                                (0.0005, "0.0%")])
def test_coverage_is_rounded_down(real_faces, coverage, text):
    """SL27 F5: one missed face of 327 read '100%'."""
    assert real_faces._percent(coverage) == text


def test_features_of_same_named_images_in_another_folder_are_refused(stored, real_faces,
                                                                     tmp_path):
    """TL14 F4: names relative to the images' own folder matched another folder's copies."""
    folder, csv_path, _ = stored
    other = tmp_path / "images_v2"
    other.mkdir()
    with open(csv_path, newline="") as f:
        head, *rows = list(csv.reader(f))
    column = head.index("path")
    for row in rows:
        (other / Path(row[column]).name).write_bytes((folder / row[column]).read_bytes())
        row[column] = str(other / Path(row[column]).name)
    moved = tmp_path / "film3.csv"
    with open(moved, "w", newline="") as f:
        csv.writer(f).writerows([head, *rows])
    datasets = {"film3": aufeat.load_manifest(moved, name="film3")}
    with pytest.raises(SystemExit, match=r"other images than film3\.csv"):
        real_faces.cached_features(datasets, "hog", folder / "feats.npz", lambda line: None)
