"""What ``--help`` promises: the real parsers' help texts."""

import pytest

from aufeat.cli import bench, main


def _help(entry, argv, capsys) -> str:
    with pytest.raises(SystemExit) as info:
        entry.main([*argv, "--help"])
    assert info.value.code == 0
    return " ".join(capsys.readouterr().out.split())


def test_bench_seed_help_does_not_claim_to_vary_the_folds(capsys):
    """Group k-fold, loso and split make the same folds whatever the seed."""
    text = _help(bench, ["run"], capsys)
    assert "seed of folds" not in text
    assert "--seed N random seed of models and synthetic faces" in text
    assert "the folds do not depend on it" in text


def test_label_map_help_mentions_cross_only_where_there_is_one(capsys):
    assert "--cross" not in _help(main, ["train"], capsys)
    assert "(with --cross: no label of either data set)" in _help(bench, ["run"], capsys)
