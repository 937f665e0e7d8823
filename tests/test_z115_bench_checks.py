"""aufeat-bench run: data and options that would give a result that says nothing (Z115)."""

import numpy as np
import pytest

from aufeat.cli.bench import main

FAST = ["--features", "hog", "--classifiers", "linear-svm", "--protocol", "group-kfold:2",
        "--no-progress", "--n-jobs", "1"]


def _manifest(tmp_path, *, aus=None, emotion=True, name="faces.csv"):
    """A manifest of 18 synthetic faces of 3 people; ``aus(array)`` edits their AU labels."""
    from aufeat.datasets import make_synthetic_faces

    ds = make_synthetic_faces(n_subjects=3, n_per_subject=6, random_state=3)
    if aus is not None:
        ds.aus = np.asarray(ds.aus, float).copy()
        aus(ds.aus)
    if not emotion:
        ds.emotion = None
    return f"manifest:{ds.to_manifest(tmp_path / name)}", list(ds.au_names)


# --- F4: an existing path of the wrong kind ------------------------------------------------

@pytest.mark.parametrize(("spec", "said"), [
    ("manifest:{folder}", "{folder} is a folder, and manifest: takes a CSV file; for a folder "
     "of images use folder:{folder}"),
    ("folder:{csv}", "{csv} is a file, and folder: takes a folder; for a manifest CSV use "
     "manifest:{csv}"),
    ("ckplus:{csv}", "{csv} is a file, and ckplus: takes a folder; for a manifest CSV use "
     "manifest:{csv}"),
    ("jaffe:{csv}", "{csv} is a file, and jaffe: takes a folder; for a manifest CSV use "
     "manifest:{csv}"),
    ("disfa:{csv}", "{csv} is a file, and disfa: takes a folder; for a manifest CSV use "
     "manifest:{csv}"),
])
def test_an_existing_path_of_the_wrong_kind_says_what_it_is(spec, said, tmp_path, capsys):
    manifest, _ = _manifest(tmp_path)
    paths = {"csv": manifest.partition(":")[2], "folder": str(tmp_path / "faces_images")}
    spec = spec.format(**paths)
    assert main(["run", "--dataset", spec, *FAST, "--cache", str(tmp_path / "c"),
                 "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err == f"aufeat-bench: error: dataset {spec!r}: {said.format(**paths)}\n"
    assert "not found" not in err
