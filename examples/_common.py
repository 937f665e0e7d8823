"""What the example scripts share: command line, output folder, errors, data, tables, figures.

Not an example itself: each ``examples/NAME.py`` imports it (``python examples/NAME.py``
puts this folder on ``sys.path``), so the scripts keep only their study's own steps.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import re
import sys
from pathlib import Path

import numpy as np

#: ``--data KIND:PATH`` kinds -> the aufeat loader that reads them.
LOADERS = {"ckplus": "load_ckplus", "jaffe": "load_jaffe", "fer2013": "load_fer2013",
           "manifest": "load_manifest", "folder": "load_image_folder"}


# --------------------------------------------------------------------------- command line
def add_common_arguments(parser, name, *, quick_help, out_help="where tables and figures go"):
    """Add the options every example has after its own: --quick, --out, --seed."""
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--out", metavar="DIR", default=f"example-output/{name}",
                        type=folder_argument, help=f"{out_help} (default: %(default)s)")
    parser.add_argument("--seed", type=seed_argument, default=0, metavar="N",
                        help="random seed, 0 to 2**32-1 (default: %(default)s)")


def seed_argument(value):
    """``--seed``'s argparse type: a whole number 0 to 2**32 - 1, as ``aufeat-bench --seed``.

    Those are the seeds NumPy and scikit-learn take. Checked while the command line is
    read (argparse's one-line ``argument --seed: ...``, exit 2, before any work), instead
    of a traceback from NumPy or scikit-learn, sometimes after minutes of aligning faces.
    Seeds derived from it (:func:`offset_seed`) wrap around, so 2**32 - 1 works everywhere.
    """
    from aufeat.cli._bench_args import _seed  # aufeat-bench's own check, one rule for both

    return _seed(value)


def offset_seed(seed, offset):
    """``seed + offset`` modulo 2**32: another seed NumPy and scikit-learn take."""
    return (seed + offset) % 2**32


def folder_argument(value):
    """``--out``'s argparse type: refuse a path that is, or lies below, a file (not a folder).

    Checked while the command line is read, so the run stops with argparse's one-line
    ``NAME.py: error: argument --out: ...`` and exit 2 before any work, instead of a
    ``FileExistsError`` traceback when the folder is made (after training, for quickstart).
    """
    path = Path(value)
    for above in (path, *path.parents):
        if above.exists() or above.is_symlink():
            if not above.is_dir():
                where = "" if above == path else f": {above}"
                raise argparse.ArgumentTypeError(f"{value}{where} is a file; give a folder")
            break
    return value


def count_option(parser, args, option, *, quick, full):
    """Give a count ``option`` left out its default (``quick`` under --quick); refuse < 1.

    0 is an answer, not "the default": it is refused with ``parser.error`` (exit 2).
    """
    attr = option.lstrip("-").replace("-", "_")
    value = getattr(args, attr)
    if value is None:
        value = quick if args.quick else full
    if value < 1:
        parser.error(f"{option} must be at least 1, got {value}")
    setattr(args, attr, value)


def error(name, message, code=2):
    """Print ``NAME.py: error: MESSAGE`` (one line, on stderr) and return the exit code."""
    print(f"{name}.py: error: {message}", file=sys.stderr)
    return code


def first_missing(*flag_paths):
    """``'FLAG PATH does not exist'`` for the first given path that does not, else None."""
    for flag, path in flag_paths:
        if path is not None and not Path(path).exists():
            return f"{flag} {path} does not exist"
    return None


def output_folder(out, *, jax_cache=False):
    """Create the output folder; Keras examples keep compiled networks in ``OUT/jax-cache``.

    JAX reads its ``JAX_*`` variables when imported: where it is imported already (as
    ``architecture_comparison.py``'s command line imports Keras), its config is set too.
    Settings the user made are left as they are: a ``JAX_*`` variable, or a
    ``jax.config`` value no longer JAX's default (``jax.config.update`` in a notebook
    calling an example's ``main``).
    """
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # not a traceback: one line, as the other mistakes (exit 2)
        raise SystemExit(error(Path(sys.argv[0]).stem, f"cannot create --out {out} "
                               f"({exc.strerror or exc}); choose a folder you can write "
                               "into")) from None
    jax = sys.modules.get("jax")
    if jax_cache:
        for name, value in (("JAX_COMPILATION_CACHE_DIR", str(out / "jax-cache")),
                            ("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", 0.5)):
            key = name.lower()
            if name in os.environ or (jax is not None
                                      and getattr(jax.config, key) != _JAX_DEFAULTS[key]):
                continue
            os.environ[name] = str(value)
            if jax is not None:
                jax.config.update(key, value)
    return out


#: JAX's own defaults of the settings :func:`output_folder` makes (jax/_src/config.py).
_JAX_DEFAULTS = {"jax_compilation_cache_dir": None,
                 "jax_persistent_cache_min_compile_time_secs": 1.0}


# --------------------------------------------------------------------------- data
def data_source(spec):
    """``(kind, path)`` of ``--data KIND:PATH``; kind is None for a bare path.

    A word before ':' that is no kind of :data:`LOADERS` (a typo, ``fer`` for ``fer2013``)
    is a ValueError naming the kinds, unless the whole spec is a path that exists: else
    the run would stop with "--data manifets:faces.csv does not exist" while faces.csv does.
    A single letter is a Windows drive (``C:\\data``), never a kind.
    """
    kind, sep, path = spec.partition(":")
    kind = kind.strip()
    if sep and kind.lower() in LOADERS:
        return kind.lower(), path
    if sep and re.fullmatch(r"[A-Za-z][\w+-]+", kind) and not Path(spec).exists():
        raise ValueError(f"unknown KIND {kind!r} in {spec}; KIND:PATH takes KIND one of "
                         f"{', '.join(LOADERS)}")
    return None, spec


def data_argument(value):
    """``--data [KIND:]PATH``'s argparse type: an unknown KIND is refused (exit 2) at once."""
    try:
        data_source(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def load_corpus(kind, path):
    """Read a corpus with the aufeat loader of its kind (see :data:`LOADERS`)."""
    import aufeat

    return getattr(aufeat, LOADERS[kind])(path)


def count_people(subjects, synthetic=False):
    """``'N people'`` for a run's log line; ``'N images (no person ids: ...)'`` without ids.

    A corpus without person ids (FER2013, a ``folder:``, which these scripts read without a
    subject pattern) gives each image its own subject id: folds "by person" are then folds
    by image, and one person's images may sit on both sides.
    """
    from aufeat.evaluation.protocols import has_person_ids

    n = len(np.unique(subjects))
    if has_person_ids(subjects) or n < 2:
        return f"{n} people" + (" (SYNTHETIC)" if synthetic else "")
    return f"{n} images (no person ids: folds may share a person)"


def fer_like_split(subjects, seed):
    """Training / PublicTest / PrivateTest by person (2/3, 1/6, 1/6 of the people)."""
    people = np.random.default_rng(seed).permutation(np.unique(subjects))
    n_test = max(1, len(people) // 6)
    usage = dict.fromkeys(people[:n_test], "PublicTest")
    usage.update(dict.fromkeys(people[n_test:2 * n_test], "PrivateTest"))
    return np.array([usage.get(s, "Training") for s in subjects])


def study_split(split):
    """FER2013's split as the studies test on it: PublicTest + PrivateTest both on the test side.

    aufeat's ``split`` protocol keeps validation rows (PublicTest, and FER's ``validation/``
    folder, in any spelling of ``VALIDATION_SPLIT_NAMES``) apart, never pooled into the test
    side; renaming them PrivateTest puts them where the studies scored them. Split names are
    read as the protocol reads them (case and surrounding spaces aside).
    """
    from aufeat.evaluation.protocols import VALIDATION_SPLIT_NAMES, split_names

    split = np.asarray(split).astype(str)
    is_val = np.isin(split_names(split), list(VALIDATION_SPLIT_NAMES))
    return np.where(is_val, "PrivateTest", split)


def quick_rows(data, seed, n_train=1500, n_test=500):
    """Sorted indices of ``--quick``'s random sample of a corpus: small data, a short run.

    ``n_train`` images of the split's training side (``Training``, ``train``: the ``split``
    protocol's names, read as it reads them) and ``n_test`` of the rest, validation rows
    included, as :func:`study_split` tests on them (all of a side that has fewer);
    ``n_train + n_test`` of any images where there is no split.
    """
    from aufeat.evaluation.protocols import TRAIN_SPLIT_NAMES, split_names

    rng = np.random.default_rng(seed)
    if data.split is None:  # no Usage column: any n_train + n_test images
        return np.sort(rng.choice(len(data), min(n_train + n_test, len(data)), replace=False))
    is_train = np.isin(split_names(data.split), list(TRAIN_SPLIT_NAMES))
    train, test = np.flatnonzero(is_train), np.flatnonzero(~is_train)
    return np.sort(np.concatenate([rng.choice(train, min(n_train, len(train)), replace=False),
                                   rng.choice(test, min(n_test, len(test)), replace=False)]))


def tested_images(folds, n_images: int) -> np.ndarray:
    """Which images some outer fold tests: all of them in k folds, one split's test side.

    The scores count these only, so the coverage reported beside them is theirs, as
    ``aufeat.evaluate`` reports it (and each ``results.csv`` row): a training image
    without a face is left out of fit, never an error in a score.
    """
    tested = np.zeros(n_images, dtype=bool)
    for _, test in folds:
        tested[test] = True
    return tested


def images_line(found, tested, size=""):
    """A run's count of images for its log: of the :func:`tested_images`, those without a
    face are errors in every score; a training image without one is only left out of fit."""
    no_face, untested = int((~found[tested]).sum()), int((~found[~tested]).sum())
    if found.all():
        return f"{len(found)} faces{size}"
    test_faces = (f"{no_face} of the {tested.sum()} test images without a face (errors in "
                  f"every score; coverage {found[tested].mean():.3f})" if no_face else
                  f"a face in each of the {tested.sum()} test images (coverage 1.000)")
    return (f"{len(found)} images{size}, {test_faces}"
            + (f", {untested} training images without one (not fitted on)" if untested else ""))


#: Corpora of face crops (one face filling each image): aligned with ``detect='auto'``.
CROP_CORPORA = frozenset({"ckplus", "jaffe", "fer2013", "synthetic"})


def align_faces(data, corpus, *, size=112, chunk=None):
    """Aligned grey crops, float32 in [0, 1] (NaN rows where no face fits), and a found mask.

    ``corpus`` says what the images are: a ``--data`` KIND, ``'disfa'`` or ``'synthetic'``.
    Face-crop corpora (:data:`CROP_CORPORA`) are aligned with ``detect='auto'``: an image
    where dlib's detector finds no face is taken as the crop of one, and only a blank one is
    missing. Any other (``manifest:`` and ``folder:`` photos, DISFA's full video frames)
    with ``detect=True``: an image where dlib finds no face is missing (found False), never
    a whole image resized and scored as a face.

    Each image is aligned at its own size (``data.load_images()`` would first resize
    photos of mixed sizes to the most common one, stretching their faces). ``chunk``
    images are read and aligned at a time (default: all at once), so that a large
    corpus never sits in memory as full frames.
    """
    import aufeat

    aligner = aufeat.FaceAligner(size=size, gray=True, on_missing="nan",
                                 detect="auto" if corpus in CROP_CORPORA else True)
    faces, found = [], []
    for start in range(0, len(data), chunk) if chunk else [None]:
        rows = slice(None) if start is None else slice(start, start + chunk)
        batch = aligner.align_batch(data[rows])  # iterating a FaceDataset streams its videos
        faces.append(batch.images.astype(np.float32, copy=False))
        found.append(batch.success)
    return np.concatenate(faces), np.concatenate(found)


def nan_rows_where_missing(found, values):
    """Rows of ``values`` (one per found face) put back among all images: NaN where no face.

    Features are computed for the faces found only; an image without a face keeps its row,
    all NaN, which ``aufeat.evaluate`` (and each example's own loop) scores as an error,
    never drops.
    """
    values = np.asarray(values)
    rows = np.full((len(found), *values.shape[1:]), np.nan,
                   dtype=values.dtype if values.dtype.kind == "f" else float)
    rows[found] = values
    return rows


# --------------------------------------------------------------------------- models
def fit_with_groups(estimator, X, y, groups):
    """Fit ``estimator``, giving the people ``groups`` to a model whose ``fit`` takes them.

    aufeat's own rule, the one ``FaceModel`` follows (``fit_params``): a model that takes
    ``groups`` gets them bare, as a ``Pipeline``'s last step (``{step}__groups``) or as a
    search with a group splitter (``GridSearchCV(cv=GroupKFold())``), so that a Keras
    network early-stops on people it does not train on. ``groups=None`` fits without them.
    ``estimator`` is the caller's clone: under metadata routing the rule may set its last
    step's fit request.
    """
    from aufeat.estimators._group_params import fit_params

    return estimator.fit(X, y, **fit_params(estimator, groups))


# --------------------------------------------------------------------------- outputs
# Every output is written to a temporary file beside it and renamed into place, so that
# an interrupted run leaves the previous file (or none), never half of one.
def write_text(path, text):
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    from aufeat._atomic import atomic_write_text

    atomic_write_text(path, text)


def strict_json(value):
    """``value`` with every NaN or infinite float (numpy's too) turned into None, recursively."""
    if isinstance(value, dict):
        return {key: strict_json(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_json(path, document, indent=1):
    """Write ``document`` as strict JSON (NaN as null: JSON has no NaN), atomically."""
    write_text(path, json.dumps(strict_json(document), indent=indent, allow_nan=False) + "\n")


def write_csv(path, rows, fieldnames=None):
    """Write dict rows as a CSV (columns: ``fieldnames``, default the first row's keys)."""
    from aufeat._csv_lines import dict_writer

    buffer = io.StringIO(newline="")
    writer = dict_writer(buffer, fieldnames or list(rows[0]))  # rows end with \n
    writer.writeheader()
    writer.writerows(rows)
    write_text(path, buffer.getvalue())


def markdown_table(header, rows):
    """A Markdown table of already formatted cells (no trailing newline)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def new_figure(width, height):
    """A matplotlib figure and its axes, drawn without pyplot (no display needed)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    return fig, fig.subplots()


def save_figure(fig, path, dpi=110):
    """Lay the figure out tightly and write it atomically (the format from the suffix)."""
    from aufeat._atomic import atomic_write

    path = Path(path)
    fig.tight_layout()
    atomic_write(path, lambda f: fig.savefig(f, format=path.suffix[1:] or "png", dpi=dpi))
