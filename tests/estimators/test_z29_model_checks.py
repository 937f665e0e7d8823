"""load_model refuses trees whose indices leave their arrays, and archives that unpack too much.

Every tree-holding preset saved by aufeat still loads and predicts exactly as before.
"""

import io
import json
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.neighbors import KNeighborsClassifier

from aufeat.estimators import AUClassifier, load_model, save_model
from aufeat.estimators.persistence import UntrustedModelError
from aufeat.estimators.presets import make_classifier, make_regressor

rng = np.random.default_rng(0)
X = rng.normal(size=(60, 6))
y = np.where(X[:, 0] + X[:, 1] > 0, "smile", "calm")


def _members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _nodes(schema, cls):
    stack, found = [schema], []
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if node.get("__class__") == cls:
                found.append(node)
            stack.extend(node.values())
    return found


def _patched(tmp_path, model, cls, member_of, change):
    """Save ``model``, then apply ``change`` to the array ``member_of`` names in each ``cls``."""
    path = save_model(model, tmp_path / "model.skops")
    members = _members(path)
    schema = json.loads(members["schema.json"])
    for node in _nodes(schema, cls):
        name = member_of(node)
        array = np.load(io.BytesIO(members[name]))
        change(array)
        buffer = io.BytesIO()
        np.save(buffer, array)
        members[name] = buffer.getvalue()
    return _write(tmp_path / "crafted.skops", members)


def _tree_nodes(node):
    return node["content"]["content"]["nodes"]["file"]


def _set_root(field, value):
    def change(nodes):
        nodes[field][0] = value
    return change


TREE_MODELS = {
    "dt": lambda: make_classifier("dt", random_state=0),
    "rf": lambda: make_classifier("rf", random_state=0),
    "bagging": lambda: make_classifier("bagging", random_state=0),
    "adaboost-dt": lambda: make_classifier("adaboost", random_state=0),
    "adaboost-rf": lambda: make_classifier("adaboost", base="rf", random_state=0),
    "adaboost-bagging": lambda: make_classifier("adaboost", base="bagging", random_state=0),
    "knn": lambda: make_classifier("knn"),
    "knn-kd": lambda: KNeighborsClassifier(algorithm="kd_tree", leaf_size=4),
    "knn-ball": lambda: KNeighborsClassifier(algorithm="ball_tree", leaf_size=4),
    "au-rf": lambda: AUClassifier("rf", random_state=0),
}


@pytest.mark.parametrize("name", TREE_MODELS)
def test_saved_tree_models_load_and_predict_as_before(tmp_path, name):
    model = TREE_MODELS[name]()
    target = np.stack([y == "smile", X[:, 2] > 0], axis=1).astype(int) if name == "au-rf" \
        else y
    model.fit(X, target)
    back = load_model(save_model(model, tmp_path / "m.skops"))
    np.testing.assert_array_equal(back.predict(X), model.predict(X))
    if hasattr(model, "predict_proba"):
        np.testing.assert_array_equal(back.predict_proba(X), model.predict_proba(X))


def test_saved_regressor_forest_loads_and_predicts_as_before(tmp_path):
    model = make_regressor("rf", random_state=0).fit(X, X[:, 0])
    back = load_model(save_model(model, tmp_path / "m.skops"))
    np.testing.assert_array_equal(back.predict(X), model.predict(X))


CRAFTED_TREES = {
    "child far past the end": _set_root("left_child", 10**8),
    "child pointing back": _set_root("right_child", 0),
    "one child only": _set_root("right_child", -1),
    "feature past the width": _set_root("feature", 10**6),
    "negative feature": _set_root("feature", -5),
    "NaN threshold": _set_root("threshold", np.nan),
}


@pytest.mark.parametrize("change", CRAFTED_TREES.values(), ids=CRAFTED_TREES.keys())
@pytest.mark.parametrize("name", ["dt", "rf", "adaboost-bagging"])
def test_crafted_trees_are_refused(tmp_path, name, change):
    model = TREE_MODELS[name]().fit(X, y)
    crafted = _patched(tmp_path, model, "Tree", _tree_nodes, change)
    with pytest.raises(UntrustedModelError, match="damaged or crafted: a decision tree"):
        load_model(crafted)


def test_crafted_forest_is_refused_by_aufeat_predict_without_a_crash(tmp_path):
    model = RandomForestClassifier(n_estimators=5, random_state=0).fit(X, y)
    crafted = _patched(tmp_path, model, "Tree", _tree_nodes, _set_root("left_child", 10**8))
    code = ("import sys; from aufeat.estimators import load_model\n"
            "try:\n    load_model(sys.argv[1]).predict([[0.5] * 6])\n"
            "except ValueError as err:\n    print(err); sys.exit(2)\n")
    run = subprocess.run([sys.executable, "-c", code, str(crafted)], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 2, (run.returncode, run.stderr)
    assert "child indices" in run.stdout


BINARY_TREES = {
    "index past the points": (1, lambda idx: idx.__setitem__(0, 10**8)),
    "node range past the points": (2, lambda nodes: nodes["idx_end"].__setitem__(0, 10**8)),
    "inner node on the last level": (2, lambda nodes: nodes["is_leaf"].__setitem__(-1, 0)),
}


@pytest.mark.parametrize("algorithm", ["kd_tree", "ball_tree"])
@pytest.mark.parametrize("which", BINARY_TREES.values(), ids=BINARY_TREES.keys())
def test_crafted_neighbours_trees_are_refused(tmp_path, algorithm, which):
    position, change = which
    model = KNeighborsClassifier(algorithm=algorithm, leaf_size=4).fit(X, y)
    cls = "KDTree" if algorithm == "kd_tree" else "BallTree"
    crafted = _patched(tmp_path, model, cls,
                       lambda node: node["content"]["content"][position]["file"], change)
    with pytest.raises(UntrustedModelError, match="neighbours tree"):
        load_model(crafted)


def _amplified(tmp_path, copies, ids):
    path = save_model(make_classifier("nb").fit(X, y), tmp_path / "base.skops")
    members = _members(path)
    schema = json.loads(members["schema.json"])
    holder = schema["content"]["content"]
    for i in range(copies):
        holder[f"junk{i}"] = {"__class__": "ndarray", "__module__": "numpy",
                              "__loader__": "NdArrayNode", "type": "numpy", "file": "big.npy",
                              "__id__": ids(i)}
    buffer = io.BytesIO()
    np.save(buffer, np.zeros(2**20, np.uint8))
    members["big.npy"] = buffer.getvalue()
    members["schema.json"] = json.dumps(schema).encode()
    return _write(tmp_path / "amplified.skops", members)


@pytest.mark.parametrize("ids", [lambda i: 10**9 + i, lambda i: None], ids=["ids", "no ids"])
def test_one_member_named_by_many_arrays_is_refused(tmp_path, ids):
    crafted = _amplified(tmp_path, 25, ids)
    with pytest.raises(UntrustedModelError, match="named by several arrays"):
        load_model(crafted)


def test_array_header_declaring_more_than_its_member_is_refused(tmp_path):
    path = save_model(make_classifier("nb").fit(X, y), tmp_path / "base.skops")
    members = _members(path)
    schema = json.loads(members["schema.json"])
    name = _nodes(schema, "GaussianNB")[0]["content"]["content"]["theta_"]["file"]
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (2**40,)})
    members[name] = header.getvalue()
    with pytest.raises(UntrustedModelError, match="declares an array"):
        load_model(_write(tmp_path / "crafted.skops", members))


def test_large_forest_still_loads(tmp_path):
    wide = np.random.default_rng(1).normal(size=(120, 3000)).astype(np.float32)
    labels = (wide[:, 0] > 0).astype(int)
    model = RandomForestClassifier(n_estimators=500, random_state=0).fit(wide, labels)
    back = load_model(save_model(model, tmp_path / "big.skops"))
    np.testing.assert_array_equal(back.predict_proba(wide), model.predict_proba(wide))
