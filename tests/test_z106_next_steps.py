"""The hints ``aufeat-bench`` (no command) ends with on its own first-look faces: generic
only when no option decided which faces were measured, and then on the same faces too.

``next_steps`` is called as ``aufeat-bench``'s run calls it, on the real parser's
arguments (a real first look takes one to two minutes)."""

import shlex

import pytest

from aufeat.cli._bench_args import DEFAULT_FIRST_LOOK
from aufeat.cli._bench_usage import next_steps
from aufeat.cli.bench import build_parser

_SAME_FACES = ("dataset", "cross", "crops", "detector", "seed", "align", "cache", "label_map",
               "labels", "protocol")


def _hints(options, tasks):
    args = build_parser().parse_args(["run", "--default", *options])
    args.dataset = args.dataset or DEFAULT_FIRST_LOOK  # as the run does with no --dataset
    return args, next_steps(args, DEFAULT_FIRST_LOOK, tasks)


def _commands(hint):
    return [shlex.split(line.strip())[1:] for line in hint.splitlines()
            if "aufeat-bench run" in line]


@pytest.mark.parametrize("options", [
    ["--seed", "3"], ["--cache", "my cache"], ["--no-align"], ["--detector", "hog"],
    ["--label-map", "a=happiness"], ["--labels", "happiness,sadness"],
    ["--protocol", "loso"], ["--crops"],
    ["--seed", "3", "--cache", "/scratch/mycache", "--no-align", "--detector", "hog"],
], ids=lambda options: " ".join(options))
def test_the_first_look_s_hints_repeat_each_option_that_decides_the_faces(options):
    args, hint = _hints(options, ["emotion"])
    commands = _commands(hint)
    assert len(commands) == 1, hint  # the task measured, not the generic hints
    again = build_parser().parse_args(commands[0])
    for name in _SAME_FACES:
        assert getattr(again, name) == getattr(args, name), (name, hint)


def test_the_first_look_s_generic_hints_start_on_the_same_faces():
    _, hint = _hints([], ["emotion", "au-occurrence"])
    first = build_parser().parse_args(_commands(hint)[0])
    assert first.dataset == DEFAULT_FIRST_LOOK, hint  # not run's default of 600 faces
    assert (first.task, first.full) == ("au-occurrence", True)
