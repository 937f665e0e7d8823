"""Label-map files: a trailing '# comment' and spreadsheet CSV cells stay out of the target."""

import numpy as np
import pytest

from aufeat.datasets import load_manifest
from aufeat.datasets._labels import parse_label_map
from tests.datasets.conftest import write_png


@pytest.mark.parametrize("text", [
    "# typos of the annotation tool\nhapy=happiness   # typo\nnuetral=neutral # typo\n",
    "hapy=happiness\t# typo\r\nnuetral=neutral\r\n",
    "hapy,happiness,\nnuetral,neutral,,\n",  # saved from a spreadsheet: empty 3rd column
    '"hapy","happiness"\n"nuetral",neutral\n',  # quoted cells
    "hapy, happiness  # typo\n,,\n\nnuetral ,neutral\n",  # a row of empty cells is blank
    # RAW=LABEL sheets saved as CSV (Z123 F1: 'happiness,' was a class of its own)
    "hapy=happiness,\nnuetral=neutral,,\n",
    '"hapy=happiness"\n"nuetral=neutral",\n',
    '"hapy"="happiness"\nnuetral="neutral",\n',
    # SL25 F1: a blank before a quoted cell, a ';'-separated sheet
    '"hapy", "happiness"\nnuetral, "neutral" ,\n',
    "hapy=happiness;\nnuetral;neutral;;\n",
    "hapy;happiness  # typo\nnuetral;neutral\n",  # TL14 F2: the comment of a ';' line
])
def test_a_file_s_comments_and_csv_cells_stay_out_of_the_label(tmp_path, text):
    (tmp_path / "map.txt").write_text(text)
    assert parse_label_map(tmp_path / "map.txt") == {"hapy": "happiness", "nuetral": "neutral"}


def test_a_mapped_typo_joins_its_class_instead_of_making_one(tmp_path):
    for i in range(3):
        write_png(tmp_path / f"{i}.png", np.full((8, 8), i, np.uint8))
    (tmp_path / "m.csv").write_text("path,subject,emotion\n0.png,a,hapy\n1.png,b,happy\n"
                                    "2.png,c,nuetral\n")
    (tmp_path / "map.txt").write_text("hapy=happiness   # typo\nnuetral,neutral,\n")
    ds = load_manifest(tmp_path / "m.csv", label_map=tmp_path / "map.txt")
    assert ds.labels()["emotion"] == {"happiness": 2, "neutral": 1}


def test_a_hash_inside_a_label_without_a_space_before_it_is_kept(tmp_path):
    (tmp_path / "map.txt").write_text("c#=calm#1\n")
    assert parse_label_map(tmp_path / "map.txt") == {"c#": "calm#1"}


@pytest.mark.parametrize(("text", "message"), [
    ("hapy,happiness,extra\n", r"map\.txt:1: .*3 cells.*RAW,LABEL"),
    ("hapy,,\n", r"map\.txt:1: 'hapy' maps to an empty label"),
    ("hapy=   # nothing\n", r"map\.txt:1: 'hapy' maps to an empty label"),
    ("hapy;happiness;extra\n", r"map\.txt:1: .*3 cells.*RAW,LABEL"),
    # TL14 F1, F2: a cell beside the pair is no part of its label; ',' and ';' both
    ("hapy=happiness,sad\n", r"map\.txt:1: .*cells beside its RAW=LABEL pair \('sad'\)"),
    ('"hapy=happiness","note"\n', r"map\.txt:1: .*quoted '=' beside another cell"),
    ('"AU6=1",happiness\n', r"map\.txt:1: .*quoted '=' beside another cell"),  # FL3 F3
    ("smile, open;happiness\n", r"map\.txt:1: .*both ',' and ';'"),
    ("HA=positive;SU=positive\n", r"map\.txt:1: .*2 '='"),
])
def test_a_line_without_one_raw_and_one_label_is_refused(tmp_path, text, message):
    (tmp_path / "map.txt").write_text(text)
    with pytest.raises(ValueError, match=message):
        parse_label_map(tmp_path / "map.txt")


@pytest.mark.parametrize(("text", "pair"), [  # SL25 F2: one pair whose RAW or LABEL holds ','
    ("smile, open=happiness\n", ("smile, open", "happiness")),
    ("smile, open=happiness,\n", ("smile, open", "happiness")),
    ('"smile, open"="happy, open"\n', ("smile, open", "happy, open")),
    ('"smile, open",happiness\n', ("smile, open", "happiness")),
])
def test_a_pair_whose_raw_or_label_holds_a_comma_is_one_pair(tmp_path, text, pair):
    (tmp_path / "map.txt").write_text(text)
    assert parse_label_map(tmp_path / "map.txt") == dict([pair])


@pytest.mark.parametrize(("text", "pair"), [  # FL3 F2: a '#' inside RAW after a ';'
    ("smile;big #2=happiness\n", ("smile;big #2", "happiness")),
    ("hapy;happiness # note; x\n", ("hapy", "happiness")),
])
def test_a_hash_in_raw_after_a_semicolon_is_no_comment(tmp_path, text, pair):
    (tmp_path / "map.txt").write_text(text)
    assert parse_label_map(tmp_path / "map.txt") == dict([pair])
