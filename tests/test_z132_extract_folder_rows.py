"""Z132 F4: ``aufeat extract --dataset folder:`` writes rows.csv's ``subject`` column too."""


import cv2

from aufeat.datasets import load_image_folder
from tests.cli.crop_helpers import extract_folder_rows, noise


def test_folder_rows_csv_has_the_subjects_load_image_folder_gives(tmp_path):
    names = ("anger/S1 a.png", "anger/S2/b.png", "happy/c.png")
    for name in names:
        (tmp_path / "photos" / name).parent.mkdir(parents=True, exist_ok=True)
        assert cv2.imwrite(str(tmp_path / "photos" / name), noise(len(name)))
    rows = extract_folder_rows(tmp_path)
    assert list(rows[0]) == ["row", "path", "subject"]
    assert [r["path"] for r in rows] == [f"photos/{n}" for n in names]  # as the folder was given
    read = load_image_folder(tmp_path / "photos", label_from=None)  # as aufeat train names them
    assert [r["subject"] for r in rows] == read.subject.tolist()
    assert read.subject.tolist() == list(names)
