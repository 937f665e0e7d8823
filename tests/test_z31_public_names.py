"""Names the docstrings send users to are public, and their dotted names work after a bare
``import aufeat`` in a fresh process, whatever was imported before."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("module", "name"), [
    ("aufeat.face.align", "fit_error"),
    ("aufeat.face", "fit_error"),
    ("aufeat.evaluation.protocols", "has_no_person_ids"),
    ("aufeat.evaluation.protocols", "warn_without_person_ids"),
    ("aufeat.estimators", "feature_sets"),
])
def test_the_names_are_in_all_and_star_imports(module, name):
    code = (f"import {module} as m\nfrom {module} import *\n"
            f"print({name!r} in m.__all__, {name!r} in dir(m), {name!r} in globals())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.split() == ["True", "True", "True"]


@pytest.mark.parametrize("dotted", [
    "aufeat.face.align.fit_error",
    "aufeat.face.fit_error",
    "aufeat.estimators.feature_sets.FEATURE_SETS",
    "aufeat.estimators.feature_sets.DETECTOR",
    "aufeat.estimators.feature_sets.face_aligner",
    "aufeat.evaluation.protocols.has_no_person_ids",
])
def test_dotted_names_work_after_a_bare_import_aufeat(dotted):
    code = ("import functools, sys, aufeat\n"
            "value = functools.reduce(getattr, sys.argv[1].split('.')[1:], aufeat)\n"
            "print(value is not None)\n")
    out = subprocess.run([sys.executable, "-c", code, dotted], capture_output=True,
                         text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True"]


def test_fit_error_of_the_package_is_the_module_function():
    from aufeat.face import align, fit_error

    assert fit_error is align.fit_error
