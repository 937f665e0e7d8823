"""aufeat-bench says every warning of a run, also when it reuses stored results.

A person's id spelt two ways (the same person on both sides of a fold, perhaps) was
warned of by the first run only: a second run, reusing the stored results, said nothing,
and report.md showed one warning of several ("2 distinct warnings ..., e.g." the first).
Real runs on real PNG files.
"""

import subprocess
import sys

import cv2

import aufeat


def _manifest(tmp_path):
    data = aufeat.make_synthetic_faces(n_subjects=6, n_per_subject=4, random_state=0)
    rows = ["path,subject,emotion"]
    for i, (face, subject, emotion) in enumerate(zip(data.load_images(), data.subject,
                                                     data.emotion, strict=True)):
        path = tmp_path / f"f{i}.png"
        cv2.imwrite(str(path), cv2.cvtColor(face, cv2.COLOR_RGB2BGR))
        rows.append(f"{path},{subject.upper() if i == 0 else subject},{emotion}")
    (tmp_path / "faces.csv").write_text("\n".join(rows) + "\n")
    return tmp_path / "faces.csv"


def _bench(manifest, tmp_path):
    return subprocess.run([sys.executable, "-m", "aufeat.cli.bench", "run", "--dataset",
                           f"manifest:{manifest}", "--features", "hog", "--classifiers",
                           "linear-svm", "--no-align", "--protocol", "group-kfold:3", "--cache",
                           str(tmp_path / "cache"), "--out", str(tmp_path / "out"),
                           "--no-progress", "--n-jobs", "1"],
                          capture_output=True, text=True, timeout=600)


def test_a_run_reusing_stored_results_warns_as_the_first_and_the_report_lists_all(tmp_path):
    manifest = _manifest(tmp_path)
    said = "differ only in case: they count as different people"
    first = _bench(manifest, tmp_path)
    assert first.returncode == 0, first.stderr
    assert said in first.stderr
    again = _bench(manifest, tmp_path)
    assert again.returncode == 0, again.stderr
    assert said in again.stderr
    report = (tmp_path / "out" / "report.md").read_text()
    assert "Warnings of this task's run (" in report
    assert said in report
