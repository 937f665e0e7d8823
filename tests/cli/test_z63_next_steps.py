"""The closing hint of a no-command run on the user's data names every option that
decides which faces are measured, so its command runs on the same faces."""

import shlex

import pytest

from aufeat.cli._bench_args import DEFAULT_FIRST_LOOK
from aufeat.cli._bench_usage import next_steps
from aufeat.cli.bench import build_parser

_SAME_FACES = ("dataset", "cross", "crops", "cross_crops", "detector", "seed", "align", "cache",
               "label_map")


@pytest.mark.parametrize("options", [
    ["--dataset", "manifest:faces.csv", "--cross", "folder:turned faces", "--cross-crops",
     "--detector", "hog", "--cache", "my cache", "--no-align"],
    ["--dataset", "synthetic:4x8", "--seed", "3", "--crops", "--label-map", "a=happiness"],
    ["--dataset", "synthetic:4x8"],
], ids=["cross", "seed", "defaults"])
def test_the_hint_runs_on_the_same_faces(options):
    args = build_parser().parse_args(["run", "--default", *options])
    hint = next_steps(args, DEFAULT_FIRST_LOOK, ["emotion", "au-occurrence"])
    commands = [line.strip() for line in hint.splitlines() if "aufeat-bench run" in line]
    assert len(commands) == 2
    for command in commands:
        again = build_parser().parse_args(shlex.split(command)[1:])
        for name in _SAME_FACES:
            assert getattr(again, name) == getattr(args, name), (name, command)
