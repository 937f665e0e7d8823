"""Subpackages declare their public names in lazy ``__init__.pyi`` stubs, and they resolve."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUBPACKAGES = ["aufeat.datasets", "aufeat.estimators", "aufeat.evaluation", "aufeat.face",
               "aufeat.features"]


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_every_public_name_resolves_to_what_its_module_defines(name):
    package = importlib.import_module(name)
    assert package.__all__, f"{name} declares no public names"
    assert sorted(dir(package)) == sorted(package.__all__)
    for public in package.__all__:
        value = getattr(package, public)
        assert not hasattr(value, "__path__"), f"{name}.{public} is a package, not a name"
        home = getattr(value, "__module__", None)
        if home is not None and not isinstance(value, str | int | float | tuple | dict):
            assert home.startswith(name), f"{name}.{public} comes from {home}"


@pytest.mark.parametrize(("name", "expected"), [
    ("aufeat.features", {"extract_gabor", "extract_hog", "extract_lbp", "extract_geometry",
                         "lbp_codes", "gabor_kernel_bank", "gabor_responses"}),
    ("aufeat.evaluation", {"evaluate", "evaluate_many", "make_splits", "parse_protocol",
                           "check_subject_disjoint", "LeakageError", "emotion_metrics",
                           "icc_3_1", "EvaluationResult", "write_results_json",
                           "plot_confusion"}),
])
def test_features_and_evaluation_list_their_public_names(name, expected):
    assert expected <= set(importlib.import_module(name).__all__)


# evaluate and evaluate_many live in evaluation/runner.py: whichever is imported first,
# the package's name is the function.
ORDERS = {
    "top-level first": "import aufeat; aufeat.evaluate",
    "module first": "from aufeat.evaluation.runner import evaluate_many",
    "package first": "import aufeat.evaluation",
}


@pytest.mark.parametrize("first", sorted(ORDERS))
def test_evaluation_evaluate_is_the_function_whatever_was_imported_first(first):
    code = (f"{ORDERS[first]}\n"
            "from aufeat.evaluation import evaluate\n"
            "import aufeat.evaluation as ev\n"
            "print(callable(evaluate), ev.evaluate is evaluate, type(evaluate).__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.split() == ["True", "True", "function"]


def test_importing_features_and_evaluation_is_light():
    code = ("import sys, aufeat.features, aufeat.evaluation\n"
            "print([m for m in ('numba', 'sklearn', 'matplotlib', 'scipy', 'skimage') "
            "if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_subpackages_are_reached_from_a_plain_import_aufeat_and_load_lazily():
    # as the README and docs write them: aufeat.estimators.make_face_model(...) etc.
    code = ("import sys, aufeat\n"
            "light = [m for m in ('numba', 'sklearn', 'cv2', 'dlib') if m in sys.modules]\n"
            "names = [aufeat.estimators.make_face_model, aufeat.evaluation.read_results,\n"
            "         aufeat.features.extract_fhog, aufeat.face.FaceAligner,\n"
            "         aufeat.exceptions.ProtocolError, aufeat.io.read_image,\n"
            "         aufeat.datasets.EMOTIONS, aufeat.cache.FeatureCache]\n"
            "print(light, aufeat.evaluation.evaluate is aufeat.evaluate)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.split() == ["[]", "True"]


def test_dotted_names_the_docs_use_work_after_a_bare_import_aufeat():
    # A fresh interpreter: in this one, earlier tests have imported the submodules already.
    import re

    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    text = "\n".join(p.read_text() for p in docs)
    names = set(re.findall(r"\baufeat(?:\.[A-Za-z_]\w*)+", text))
    names -= {"aufeat.estimators.MODULE.Class"}  # a pattern, not a name
    names |= {"aufeat.evaluation.metrics.emotion_metrics", "aufeat.evaluation.plots.plot_roc",
              "aufeat.evaluation.protocols.make_splits", "aufeat.estimators.presets.CLASSIFIERS"}
    names = sorted(n for n in names if not n.startswith("aufeat.keras"))  # optional, imported
    assert len(names) > 20
    code = ("import aufeat, functools, sys\n"
            "bad = []\n"
            "for name in sys.argv[1:]:\n"
            "    try:\n"
            "        functools.reduce(getattr, name.split('.')[1:], aufeat)\n"
            "    except AttributeError as exc:\n"
            "        bad.append(f'{name}: {exc}')\n"
            "print('\\n'.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code, *names], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "", out.stdout
