"""Review Z113: a quote that opens a field and never closes (or text after a closing one)
in a manifest or the FER2013 CSV is refused at the line its record starts, where it
swallowed the rows after it; a FER emotion code that is a digit only to str.isdigit()."""

import numpy as np
import pytest

from aufeat.datasets import load_fer2013, load_manifest
from aufeat.datasets.errors import DatasetError
from tests.datasets.conftest import write_png

_PIXELS = " ".join(["7"] * 2304)


def _images(folder, names):
    for name in names:
        write_png(folder / name, np.zeros((8, 8), np.uint8))


def test_a_quote_that_never_closes_in_a_manifest_is_refused_at_its_line(tmp_path):
    # a hand-written note '"approx' opened a quoted field that swallowed every later row
    _images(tmp_path, ["a.png", "b.png", "c.png", "d.png"])
    (tmp_path / "m.csv").write_text('path,subject,note\na.png,s1,ok\nb.png,s2,"approx\n'
                                    'c.png,s3,y\nd.png,s4,z\n')
    with pytest.raises(DatasetError, match=r"not a readable CSV.*never closed") as info:
        load_manifest(tmp_path / "m.csv")
    assert (info.value.path, info.value.line) == (str(tmp_path / "m.csv"), 3)


def test_text_after_a_closing_quote_in_a_manifest_is_refused(tmp_path):
    # '"a"b' was read as 'ab': strict reading refuses it, at the line its record starts
    _images(tmp_path, ["a.png", "b.png"])
    (tmp_path / "m.csv").write_text('path,subject,note\na.png,s1,"two\nlines"\n'
                                    'b.png,s2,"a"b\n')
    with pytest.raises(DatasetError, match=r"not a readable CSV.*after a closing") as info:
        load_manifest(tmp_path / "m.csv")
    assert info.value.line == 4


def test_manifest_rows_after_a_multi_line_cell_are_read_with_their_own_lines(tmp_path):
    # to_manifest writes multi-line text cells; a row's line is where it starts
    _images(tmp_path, ["a.png", "b.png"])
    (tmp_path / "m.csv").write_text('path,subject,note\na.png,s1,"two\nlines"\nb.png,s2,x\n'
                                    'b.png,s3,"y\nz"\n')
    with pytest.raises(DatasetError, match=r"listed twice \(first on line 4\)") as info:
        load_manifest(tmp_path / "m.csv")
    assert info.value.line == 5  # where the row starts, not its last line
    (tmp_path / "m.csv").write_text('path,subject,note\na.png,s1,"two\nlines"\nb.png,s2,x\n')
    ds = load_manifest(tmp_path / "m.csv")
    assert ds.subject.tolist() == ["s1", "s2"]
    assert ds.meta["note"].tolist() == ["two\nlines", "x"]


def test_a_quote_that_never_closes_in_the_fer_usage_column_is_refused(tmp_path):
    (tmp_path / "fer2013.csv").write_text(f'emotion,pixels,Usage\n3,{_PIXELS},"Training\n'
                                          f'4,{_PIXELS},PublicTest\n5,{_PIXELS},PrivateTest\n')
    with pytest.raises(DatasetError, match=r"not a readable CSV.*never closed") as info:
        load_fer2013(tmp_path / "fer2013.csv")
    assert info.value.line == 2


def test_a_fer_emotion_code_of_a_superscript_digit_is_an_unknown_code(tmp_path):
    # '³'.isdigit() is True, but int('³') raises a ValueError naming no file or line
    (tmp_path / "fer2013.csv").write_text(f"emotion,pixels,Usage\n3,{_PIXELS},Training\n"
                                          f"\u00b3,{_PIXELS},Training\n")
    with pytest.raises(DatasetError, match=r"unknown emotion code '\u00b3'; FER2013 codes are "
                                           r"0-6") as info:
        load_fer2013(tmp_path / "fer2013.csv")
    assert info.value.line == 3
