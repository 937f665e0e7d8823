"""Second look (SL20) at the round's manifest, FER2013 and metrics fixes.

Strict CSV reading (an unclosed quote is an error, not swallowed rows) had also refused
blanks after a closing quote, which hand-aligned files hold and which were read before;
the bool/bytes meta fix missed object arrays (h5py's text, a pandas bool column with a
gap); an integer AU table failed on Python 3.11 (``int.is_integer``); an empty
``labels`` list was scored.
"""

import warnings

import numpy as np
import pytest
from PIL import Image

from aufeat.datasets import FaceDataset, load_fer2013, load_manifest
from aufeat.datasets._csv_quotes import blanks_after_quotes_only
from aufeat.datasets.errors import DatasetError
from aufeat.evaluation.metrics import emotion_metrics


def _manifest(tmp_path, rows: list[str]):
    for name in ("a.png", "b.png"):
        Image.fromarray(np.full((8, 8), 90, np.uint8)).save(tmp_path / name)
    path = tmp_path / "m.csv"
    path.write_text("path,subject,emotion\n" + "".join(r + "\n" for r in rows))
    return path


def test_blanks_after_closing_quotes_are_read_as_before(tmp_path):
    path = _manifest(tmp_path, ['"a.png" ,"s1" ,happiness', '"b.png","s2","sadness"  '])
    ds = load_manifest(path)
    assert list(ds.subject) == ["s1", "s2"]
    assert list(ds.emotion) == ["happiness", "sadness"]


@pytest.mark.parametrize("end", ["\n", "\r"])
def test_quotes_are_checked_whatever_the_line_ends(tmp_path, end):
    """The scanner took only \n for a line end; csv ends records at \r too (TL12 F1): with
    \r ends a stray quote lost a row and gave another the wrong subject."""
    for name in ("a.png", "b.png", "c.png"):
        Image.fromarray(np.full((8, 8), 90, np.uint8)).save(tmp_path / name)
    path = tmp_path / "m.csv"
    path.write_text(end.join(["subject,path", '"s1" ,a.png', '"s2,b.png', 's3"x,c.png', ""]),
                    newline="")
    with pytest.raises(DatasetError, match="quote"):
        load_manifest(path)
    assert blanks_after_quotes_only(f'a,b{end}"x ,y{end}') is False


@pytest.mark.parametrize("rows", [['"a.png"x,s1,happiness', 'b.png,s2,sadness'],
                                  ['a.png,s1,"happiness', 'b.png,s2,sadness'],
                                  ['"a.png" ,s1,happiness', 'b.png,s2,"sadness']])
def test_an_unclosed_quote_or_text_after_one_is_still_refused(tmp_path, rows):
    with pytest.raises(DatasetError, match="quote"):
        load_manifest(_manifest(tmp_path, rows))


def test_fer_csv_with_blanks_after_quotes_is_read(tmp_path):
    pixels = " ".join(["7"] * 2304)
    path = tmp_path / "fer2013.csv"
    path.write_text(f'emotion,pixels,Usage\n3,"{pixels}" ,"Training" \n'
                    f'4,{pixels},PublicTest\n')
    ds = load_fer2013(path)
    assert list(ds.split) == ["Training", "PublicTest"]
    assert len(ds) == 2


def test_object_bool_and_bytes_meta_come_back_as_written(tmp_path):
    images = np.zeros((3, 8, 8), np.uint8)
    take = np.array([b"T1", b"T2", b"T3"], dtype=object)  # as h5py reads a list of str
    glasses = np.array([True, False, None], dtype=object)  # a pandas bool column with a gap
    ds = FaceDataset(images=images, subject=["s1", "s2", "s3"],
                     emotion=["happy", "sad", "happy"],
                     meta={"take": take, "glasses": glasses})
    back = load_manifest(ds.to_manifest(tmp_path / "m.csv"))
    assert back.meta["take"].tolist() == ["T1", "T2", "T3"]
    got = back.meta["glasses"]
    assert got[:2].tolist() == [1, 0]
    assert np.isnan(got[2])


def test_a_pandas_nullable_bool_column_comes_back_with_its_gap(tmp_path):
    import pandas as pd

    glasses = pd.Series([True, None, False], dtype="boolean").to_numpy()  # pd.NA: the gap
    ds = FaceDataset(images=np.zeros((3, 8, 8), np.uint8), subject=["s1", "s2", "s3"],
                     emotion=["happy", "sad", "happy"], meta={"glasses": glasses})
    got = load_manifest(ds.to_manifest(tmp_path / "m.csv")).meta["glasses"]
    assert got[[0, 2]].tolist() == [1, 0]
    assert np.isnan(got[1])


def test_an_integer_au_table_is_written(tmp_path):
    ds = FaceDataset(images=np.zeros((3, 8, 8), np.uint8), subject=["a", "b", "c"],
                     aus=[[0, 2.5], [3, 0], [0, 1]], au_names=["AU6", "AU12"])
    ds.aus = (ds.aus > 0).astype(int)
    back = load_manifest(ds.to_manifest(tmp_path / "m.csv"))
    np.testing.assert_array_equal(back.aus, [[0, 1], [1, 0], [0, 1]])
    assert "\n" + ",".join(["m_images/m-000000.png", "a"]) in (tmp_path / "m.csv").read_text()


def test_an_empty_labels_list_is_refused():
    with pytest.raises(ValueError, match="labels: no class given"):
        emotion_metrics(["happy", "sad"], ["happy", "happy"], labels=[])


# a quote that opens a cell and closes lines later is valid CSV: the rows between were read
# as that cell's text without a word (SL20 F4)
def test_rows_swallowed_by_a_quote_closed_later_are_warned_about(tmp_path):
    _manifest(tmp_path, [])
    path = tmp_path / "m.csv"
    path.write_text('path,subject,emotion,note\na.png,s1,happiness,"approx age\n'
                    'b.png,s2,sadness,height 5\'11"\n')
    with pytest.warns(UserWarning, match=r"line 2: the 'note' cell spans lines of which 1"):
        ds = load_manifest(path)
    assert len(ds) == 1  # read as the file says; the warning names the line to look at


def test_a_multi_line_text_cell_is_read_without_a_warning(tmp_path):
    ds = FaceDataset(images=np.zeros((2, 8, 8), np.uint8), subject=["s1", "s2"],
                     emotion=["happy", "sad"], meta={"note": ["two lines\nof text", "one"]})
    path = ds.to_manifest(tmp_path / "m.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = load_manifest(path)
    assert back.meta["note"].tolist() == ["two lines\nof text", "one"]


def test_fer_csv_with_a_field_spanning_lines_is_refused(tmp_path):
    pixels = " ".join(["7"] * 2304)
    path = tmp_path / "fer2013.csv"
    path.write_text(f'emotion,pixels,Usage\n3,{pixels},"Training\n4,{pixels},Public"\n'
                    f'5,{pixels},PrivateTest\n')
    with pytest.raises(DatasetError, match="spans lines"):
        load_fer2013(path)
