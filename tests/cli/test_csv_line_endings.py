r"""Every CSV aufeat writes ends its rows with ``\n``, as pandas and OpenFace do on Linux.

With ``csv``'s default ``\r\n``, ``awk -F, '$NF == 1'`` matched no row of a predictions
file (its last field was ``1\r``), while ``--out -`` wrote ``\n``. A field holding ``\r``
(a file named so) is still quoted, so readers keep its row whole.
"""

import csv
import io

import cv2

from aufeat.cli.bench import main as bench
from aufeat.datasets import make_synthetic_faces

from .crop_helpers import crop, extract_folder_rows, noise
from .predict_helpers import run_predict


def _lines_end_with_line_feeds(data: bytes) -> list[list[str]]:
    assert data.endswith(b"\n")
    assert b"\r\n" not in data
    return list(csv.reader(io.StringIO(data.decode("utf-8", "surrogateescape"), newline="")))


def test_predictions_end_rows_with_line_feeds_and_quote_a_name_holding_cr(emotion_model,
                                                                          tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    face = sorted(emotion_model["images"].glob("*.png"))[0]
    for name in ("a\rb.png", "c.png"):
        (photos / name).write_bytes(face.read_bytes())
    run = run_predict(emotion_model["model"], photos, out=tmp_path / "p.csv")
    assert run.returncode == 0, run.stderr
    rows = _lines_end_with_line_feeds((tmp_path / "p.csv").read_bytes())
    assert [row[0] for row in rows[1:]] == [str(photos / "a\rb.png"), str(photos / "c.png")]
    assert all(row[-1] != "" and not row[-1].endswith("\r") for row in rows)


def test_landmarks_rows_bench_results_and_manifests_end_rows_with_line_feeds(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    for i in range(2):
        assert cv2.imwrite(str(photos / f"{i}.png"), noise(i))
    crop(photos, "--out", tmp_path / "crops")
    assert len(_lines_end_with_line_feeds((tmp_path / "crops" / "landmarks.csv").read_bytes())) == 3
    assert len(extract_folder_rows(tmp_path)) == 2
    assert len(_lines_end_with_line_feeds((tmp_path / "out" / "rows.csv").read_bytes())) == 3
    data = make_synthetic_faces(n_subjects=3, n_per_subject=4, random_state=0)
    manifest = data.to_manifest(tmp_path / "faces.csv")
    assert len(_lines_end_with_line_feeds(manifest.read_bytes())) == 13
    assert bench(["run", "--dataset", f"manifest:{manifest}", "--task", "emotion", "--features",
                  "hog", "--classifiers", "linear-svm", "--protocol", "group-kfold:3", "--crops",
                  "--no-progress", "--n-jobs", "1", "--cache", str(tmp_path / "cache"),
                  "--out", str(tmp_path / "bench")]) == 0
    assert len(_lines_end_with_line_feeds((tmp_path / "bench" / "results.csv").read_bytes())) > 1
