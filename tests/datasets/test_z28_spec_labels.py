"""Label maps with glued pairs, and the labels an AU task reads from CK+ and manifests."""

import pytest

from aufeat.cli._specs import load_dataset_spec
from aufeat.datasets import DatasetError
from aufeat.datasets._labels import parse_label_map

from .conftest import CK_SEQUENCES, write_png


@pytest.mark.parametrize("value", ["HA=positive SU=positive", "HA=positive;SU=positive"])
def test_pairs_glued_by_a_space_or_semicolon_are_refused_not_one_label(value):
    with pytest.raises(ValueError, match=r"holds 2 '='; separate RAW=LABEL pairs with ','"):
        parse_label_map(value)


def test_a_map_file_line_with_two_pairs_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "map.txt"
    path.write_text("# merge\nAN=anger\nHA=positive SU=positive\n")
    with pytest.raises(ValueError, match=rf"{path}:3: 'HA=positive SU=positive' holds 2 '='"):
        parse_label_map(path)
    path.write_text("AN=anger\nHA=positive\nSU=positive\n")  # one per line is fine
    assert parse_label_map(path) == {"an": "anger", "ha": "positive", "su": "positive"}


def test_jaffe_spec_refuses_a_glued_label_map(tmp_path, gray48):
    for k, code in enumerate(["HA", "SU", "AN", "HA"]):
        write_png(tmp_path / "jaffe" / f"KA.{code}{k}.{k + 1}.tiff", gray48[k])
    with pytest.raises(ValueError, match="holds 2 '='"):
        load_dataset_spec(f"jaffe:{tmp_path / 'jaffe'}", label_map="HA=positive SU=positive")


def test_ckplus_au_tasks_keep_the_facs_coded_sequences_without_an_emotion(ckplus_root):
    coded = sum(facs is not None for *_, facs in CK_SEQUENCES)
    labelled = sum(code is not None for *_, code, _ in CK_SEQUENCES)
    assert coded > labelled  # the fixture has a FACS-coded sequence without an emotion
    for task in ("au-occurrence", "au-intensity"):
        data = load_dataset_spec(f"ckplus:{ckplus_root}", task=task)
        _, keep, _ = data.targets(task)
        assert len(data) == coded
        assert int(keep.sum()) == coded
    emotion = load_dataset_spec(f"ckplus:{ckplus_root}", task="emotion")
    assert len(emotion) == labelled
    assert "" not in emotion.emotion.tolist()
    # several tasks on one load (aufeat-bench without --task): emotion on the labelled only
    both = load_dataset_spec(f"ckplus:{ckplus_root}", task=None)
    assert int(both.targets("emotion")[1].sum()) == labelled
    assert int(both.targets("au-occurrence")[1].sum()) == coded


def _manifest(tmp_path, gray48, emotions):
    lines = ["path,subject,emotion,AU4,AU12"]
    for k, emotion in enumerate(emotions):
        write_png(tmp_path / "img" / f"{k}.png", gray48[k])
        lines.append(f"img/{k}.png,s{k % 2},{emotion},{k % 2},{(k + 1) % 2}")
    path = tmp_path / "faces.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_an_au_task_reads_a_manifest_whose_emotion_labels_are_unknown(tmp_path, gray48):
    path = _manifest(tmp_path, gray48, ["pain", "anger", "pain", "happy"])
    for task in ("au-occurrence", "au-intensity"):
        data = load_dataset_spec(f"manifest:{path}", task=task)
        y, keep, names = data.targets(task)
        assert names == ["AU4", "AU12"]
        assert keep.all()
        assert y[:, 0].tolist() == [0, 1, 0, 1]
    with pytest.raises(DatasetError, match="unknown emotion label 'pain'"):
        load_dataset_spec(f"manifest:{path}", task="emotion")
    with pytest.raises(DatasetError, match="unknown emotion label 'pain'"):
        load_dataset_spec(f"manifest:{path}")  # several tasks, emotion among them
