"""Z98 F5: a stored aufeat-bench result of the wrong shape, or with numbers its stored
predictions do not give, is recomputed (``load_result`` returns None).

``load_result`` checked only that a record was an object with the result's fields: a
``metrics`` that is no object crashed ``aufeat-bench run`` (AttributeError), one without
its confusion matrix too (KeyError in the figure), and a record with plausible numbers
(accuracy 0.99 beside predictions giving 0.63) was shown as the run's result.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest

import aufeat
from aufeat.cli._bench_cache import load_result, results_folder, store_result

KEY = "c" * 40


@pytest.fixture(scope="module")
def results():
    data = aufeat.make_synthetic_faces(n_subjects=4, n_per_subject=7, size=48)
    X = aufeat.extract_hog(data.load_images(), pixels_per_cell=(16, 16))
    return {task: aufeat.evaluate(data, X, task=task, protocol="group-kfold:2",
                                  keep_predictions=True)
            for task in ("emotion", "au-occurrence")}


def _stored(tmp_path, result):
    store_result(tmp_path, KEY, result)
    path = results_folder(tmp_path) / f"{KEY}.json"
    return path, json.loads(path.read_text())


def _metrics(change):
    def damage(record):
        record["metrics"] = change(dict(record["metrics"]))
    return damage


EMOTION = {
    "metrics not an object": lambda r: r.update(metrics="damaged"),
    "no confusion matrix": _metrics(lambda m: {k: v for k, v in m.items()
                                               if k != "confusion_matrix"}),
    "no labels nor confusion matrix": _metrics(lambda m: {
        k: v for k, v in m.items() if k not in ("labels", "confusion_matrix")}),
    "a faked accuracy": _metrics(lambda m: dict(m, accuracy=0.99)),
    "a faked confusion matrix": _metrics(lambda m: dict(m, confusion_matrix=[
        [0] * len(m["labels"]) for _ in m["labels"]])),
    "accuracy a string": _metrics(lambda m: dict(m, accuracy="0.99")),
    "a fold's metrics a string": lambda r: r["per_fold"].__setitem__(0, {"metrics": "x"}),
    "an interval no pair": _metrics(lambda m: dict(m, intervals=dict(m["intervals"],
                                                                     accuracy=[0.1]))),
    "per_class a list": _metrics(lambda m: dict(m, per_class=[1])),
    "n_samples a string": lambda r: r.update(n_samples="28"),
    "an unknown task": lambda r: r.update(task="age"),
}

AU = {
    "no per_au": _metrics(lambda m: {k: v for k, v in m.items() if k != "per_au"}),
    "per_au of strings": _metrics(lambda m: dict(m, per_au={"AU1": "x"})),
    # SL12 F01: the report plots the headline; plot_scores refuses a metric no result holds
    "no headline": _metrics(lambda m: {k: v for k, v in m.items() if k != "mean_f1"}),
    "headline a string": _metrics(lambda m: dict(m, mean_f1="0.9")),
}


@pytest.mark.parametrize("task", ["emotion", "au-occurrence"])
def test_a_record_as_stored_is_used(tmp_path, results, task):
    _stored(tmp_path, results[task])
    back = load_result(tmp_path, KEY)
    assert back is not None
    assert back.metrics.keys() == results[task].metrics.keys()


@pytest.mark.parametrize(("task", "damage"),
                         [("emotion", d) for d in EMOTION.values()]
                         + [("au-occurrence", d) for d in AU.values()],
                         ids=[*EMOTION, *AU])
def test_a_record_of_another_shape_is_recomputed(tmp_path, results, task, damage):
    path, record = _stored(tmp_path, results[task])
    damage(record)
    path.write_text(json.dumps(record))
    assert load_result(tmp_path, KEY) is None


def test_a_pipe_under_a_records_name_does_not_block(tmp_path):
    folder = results_folder(tmp_path)
    folder.mkdir(parents=True)
    os.mkfifo(folder / f"{KEY}.json")
    code = textwrap.dedent(f"""
        from aufeat.cli._bench_cache import load_result
        print(load_result({str(tmp_path)!r}, {KEY!r}))
    """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=20, env=env, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "None"), done.stderr[-2000:]
