"""aufeat-bench run on a folder data set whose class folder name is not UTF-8."""

import os

from aufeat.cli.bench import main


def test_a_class_folder_named_in_latin1_gets_its_report_and_figures(tmp_path, capsys):
    import cv2

    from aufeat.datasets import make_synthetic_faces

    faces = make_synthetic_faces(n_subjects=1, n_per_subject=8, random_state=0).load_images()
    latin1 = os.fsdecode(b"\xdcberrascht")  # 'Überrascht' from an old archive
    for i, face in enumerate(faces):
        folder = tmp_path / "faces" / ("happy" if i % 3 == 0 else latin1)  # most are Latin-1
        folder.mkdir(parents=True, exist_ok=True)
        ok, png = cv2.imencode(".png", face[..., ::-1])  # cv2 cannot take the path itself
        assert ok
        (folder / f"{i}.png").write_bytes(png.tobytes())
    out = tmp_path / "o"
    assert main(["run", "--dataset", f"folder:{tmp_path / 'faces'}", "--features", "hog",
                 "--classifiers", "linear-svm", "--protocol", "group-kfold:2", "--no-align",
                 "--n-jobs", "1", "--no-progress", "--cache", str(tmp_path / "c"),
                 "--out", str(out)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    for name in ("emotion-confusion.png", "emotion-roc.png", "emotion-scores.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
    # the bytes that are not UTF-8 are written in hex, the rest of the name as it is
    assert "The most frequent emotion, " in (out / "report.md").read_text(encoding="utf-8")
    assert "\\xdcberrascht" in (out / "report.md").read_text(encoding="utf-8")
