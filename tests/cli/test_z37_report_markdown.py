"""report.md writes names from the user's files as text, not as Markdown.

``manifest:my|faces_*v2*.csv`` in the heading rendered as "my|faces_<em>v2</em>.csv",
and an emotion named from a folder went as unescaped into the majority-floor sentence.
"""

import re

import numpy as np
import pytest

import aufeat
from aufeat.cli._bench_report import write_outputs
from aufeat.datasets import FaceDataset

#: CommonMark: a backslash before ASCII punctuation makes it a literal character.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
#: Characters that start emphasis, code, links, HTML, entities, strikethrough or tables.
_ACTIVE = set("\\`*_[]<>|~&")


def _unescaped(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


def _bare(text: str) -> set:
    """Markdown characters of ``text`` that no backslash makes literal."""
    return set(_ESCAPED.sub("", text)) & _ACTIVE


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    synthetic = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=8, size=48)
    emotion = np.array([f"*{e}_`x`" for e in synthetic.emotion])  # from folder names
    name = "manifest:my|faces_*v2*&amp;[a](b)<i>~~.csv"
    data = FaceDataset(images=synthetic.load_images(), subject=synthetic.subject,
                       emotion=emotion, name=name)
    X = np.random.default_rng(0).normal(size=(len(data), 10))
    result = aufeat.evaluate(data, X, model="nb", protocol="group-kfold:2",
                             features_name="hog")
    out = tmp_path_factory.mktemp("out")
    write_outputs([("emotion", [result])], out)
    return (out / "report.md").read_text(encoding="utf-8"), name, result


def test_the_heading_names_the_data_set_as_it_is(report):
    text, name, _ = report
    heading = text.splitlines()[0]
    assert heading.startswith("# aufeat-bench: ")
    shown = heading.removeprefix("# aufeat-bench: ")
    assert _unescaped(shown) == name
    assert not _bare(shown), shown


def test_the_majority_floor_names_the_emotion_as_it_is(report):
    text, _, result = report
    line = next(line for line in text.splitlines() if line.startswith("The most frequent"))
    shown = line.removeprefix("The most frequent emotion, ").split(", is ")[0]
    assert _unescaped(shown) in result.metrics["per_class"]
    assert not _bare(shown), shown
