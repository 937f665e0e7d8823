"""``architecture_comparison.py``'s networks: ``--architectures`` read and checked.

Not an example itself (see ``_common.py``). A network named wrong, or a size it cannot
take that is known without building it, is refused while the command line is read
(argparse's one-line error, exit 2), not found hours into a run when its turn comes.
"""

from __future__ import annotations

import difflib
import os

#: The default input size of a network of ``--architectures`` given without ``@SIZE``.
BUILT_IN_SIZE, APPLICATION_SIZE = 48, 96


def parse_architectures(parser, names):
    """``[(name, size), ...]`` of ``--architectures`` items ``NAME[@SIZE]``, repeats dropped.

    SIZE must be a whole number of at least 1, and at least :data:`MIN_SIZE` of the
    adapter's built-in networks; NAME a built-in network or a ``keras.applications`` one
    (as ``KerasCNNClassifier`` looks it up). What only building a keras.applications
    network tells (its smallest input) is left to the run: see :func:`size_refusal`.
    Imports Keras (a few seconds), which the run needs anyway.
    """
    items = [(item, *item.strip().partition("@")[::2]) for item in names]
    for item, _, size in items:
        if size and not (size.isascii() and size.isdigit()):  # not "²", which int refuses
            parser.error(f"--architectures takes NAME[@SIZE] with an integer SIZE, got {item!r}")
    try:
        from aufeat.keras._architectures import ARCHITECTURES, MIN_SIZE
    except ImportError as exc:  # the deep extra is missing: say so now, not after aligning
        parser.error(f"--architectures: {exc}")
    networks = []
    for item, name, size in items:
        size = int(size) if size else (BUILT_IN_SIZE if name in ARCHITECTURES
                                       else APPLICATION_SIZE)
        if size < max(1, MIN_SIZE.get(name, 1)):
            parser.error(f"--architectures: {name} needs a SIZE of at least "
                         f"{max(1, MIN_SIZE.get(name, 1))}, got {item!r}")
        networks.append((name, size))
    unknown = [name for name in dict.fromkeys(n for n, _ in networks) if name not in ARCHITECTURES]
    if unknown:
        applications = keras_applications()
        for name in unknown:
            if name not in applications:
                close = difflib.get_close_matches(name, [*ARCHITECTURES, *applications], 1)
                parser.error(f"--architectures: unknown network {name!r}"
                             + (f" (did you mean {close[0]}?)" if close else "")
                             + f"; use {', '.join(ARCHITECTURES)} or a keras.applications "
                             "name such as DenseNet121 (names are case-sensitive)")
    return list(dict.fromkeys(networks))  # one run and figure set each


def parse_weights(parser, items, networks):
    """``{name: file}`` of ``--weights NAME=FILE`` items; NAME a keras.applications network.

    NAME must be one of ``networks`` and not a built-in network, which trains from
    scratch: the adapter refuses weights for it, which came only at that network's
    turn in the run, after the networks before it had trained (their results lost).
    """
    try:
        weights = dict(w.split("=", 1) for w in items)
    except ValueError:
        parser.error("--weights takes NAME=FILE")
    unknown = sorted(set(weights) - {name for name, _ in networks})
    if unknown:  # else that network would train from scratch, the file silently unused
        parser.error(f"--weights names no network of --architectures: {', '.join(unknown)} "
                     f"(networks: {', '.join(dict.fromkeys(n for n, _ in networks))}"
                     "; names are case-sensitive)")
    from aufeat.keras._architectures import ARCHITECTURES

    built_in = sorted(set(weights) & set(ARCHITECTURES))
    if built_in:
        one = len(built_in) == 1
        parser.error(f"--weights applies to keras.applications networks; "
                     f"{', '.join(built_in)} {'trains' if one else 'train'} from scratch "
                     f"(drop --weights for {'it' if one else 'them'})")
    for name, path in weights.items():  # a missing one: the example says so (missing_path)
        if not path or (os.path.exists(path) and not os.path.isfile(path)):
            what = "names no FILE" if not path else "is not a file"
            parser.error(f"--weights {name}={path} {what}; give a keras.applications weights "
                         "file (include_top=False)")
    return weights


def keras_applications():
    """The network names ``keras.applications`` builds, as ``KerasCNNClassifier`` finds them."""
    from aufeat.keras._backend import import_keras

    keras = import_keras()
    return [name for name in dir(keras.applications)
            if not name.startswith("_") and callable(getattr(keras.applications, name))]


def size_refusal(exc, name):
    """Whether ``exc`` is the adapter's refusal of an input size too small for the network.

    ``keras.applications`` networks know their smallest input only when built (InceptionV3
    needs 75 pixels): that one error is a network the run skips, saying why; any other
    error while training (a ``--weights`` file that does not fit the network among them)
    is a failure of the run, never a silently missing row.
    """
    from aufeat.keras import InputSizeError

    return isinstance(exc, InputSizeError) and str(exc).startswith(f"keras.applications.{name} ")
