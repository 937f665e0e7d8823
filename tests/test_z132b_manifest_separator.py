"""Z132 F3: a ';'-separated manifest whose file name held a comma was refused at that row
("expected 1 fields as in the header, got 2") instead of at its header; the header is now
checked first, and the message says that the file looks ';'- (or tab-) separated."""

import cv2
import numpy as np
import pytest

from aufeat.datasets import load_manifest
from aufeat.datasets.errors import DatasetError


@pytest.mark.parametrize(("sep", "said"), [(";", "';'"), ("\t", "tab")])
def test_a_semicolon_or_tab_file_is_refused_at_its_header(tmp_path, sep, said):
    for name in ("a.png", "b copy, 1.png"):
        assert cv2.imwrite(str(tmp_path / name), np.full((8, 8), 80, np.uint8))
    rows = [["path", "subject", "emotion"], ["a.png", "S1", "anger"],
            ["b copy, 1.png", "S1", "anger"]]
    csv = tmp_path / "faces.csv"
    csv.write_text("".join(sep.join(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(DatasetError, match=rf"faces\.csv:1: the header has no 'path' column.*"
                       rf"the file looks {said}-separated.*save it comma-separated"):
        load_manifest(csv)


def test_a_comma_header_without_path_gets_no_separator_hint(tmp_path):
    csv = tmp_path / "faces.csv"
    csv.write_text("file,subject\na.png,S1,extra\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"faces\.csv:1: the header has no 'path' column") \
            as caught:
        load_manifest(csv)
    assert "separated" not in str(caught.value)
