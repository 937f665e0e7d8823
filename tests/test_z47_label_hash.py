"""Label-map files: a '#' inside quotes or inside RAW is no comment; RAW=LABEL quotes removed."""
import pytest

from aufeat.datasets._labels import parse_label_map


def _read(tmp_path, text):
    path = tmp_path / "m.txt"
    path.write_text(text, encoding="utf-8")
    return parse_label_map(path)


@pytest.mark.parametrize(("text", "expected"), [
    ('"smile #2",happiness\n', {"smile #2": "happiness"}),
    ('smile,"happy #2"\n', {"smile": "happy #2"}),
    ("smile #2=happiness\n", {"smile #2": "happiness"}),
    ('smile="happy #2"  # a comment\n', {"smile": "happy #2"}),
    ('"hapy"="happiness"\n', {"hapy": "happiness"}),
    ("hapy=happiness   # typo\n# whole line\nsad,sadness # c\n",
     {"hapy": "happiness", "sad": "sadness"}),
])
def test_hash_in_quotes_or_raw_is_kept(tmp_path, text, expected):
    assert _read(tmp_path, text) == expected
