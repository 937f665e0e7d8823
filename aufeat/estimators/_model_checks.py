"""Checks of a skops model file beyond its types: member sizes, and the arrays of trees.

A file of trusted types only can still be hostile through its data:

* :func:`check_members` (before skops reads anything) refuses an archive whose
  ``.npy`` members, as the schema names them, would unpack to far more than the
  file holds: one member named by many nodes (skops reads it once per node), an
  array header declaring more bytes than its member, or members unpacking past
  :data:`MAX_UNPACKED_BYTES` and :data:`MAX_RATIO` times the file.
* :func:`check_arrays` (after loading, before anything predicts) refuses a
  scikit-learn ``Tree`` (decision trees, forests, bagging, boosting) or
  ``KDTree`` / ``BallTree`` whose indices point outside their arrays (or whose
  Minkowski distance weighs another number of columns than it holds), a libsvm
  model (``SVC``, ``SVR``, ``NuSVC``, ``NuSVR``, ``OneClassSVM``) whose support
  vector counts, coefficients and intercepts disagree, and a brute-force
  neighbours model whose points are narrower than the model: their compiled code
  follows them without bounds checks, so such a file could crash the process or
  read memory it does not own. It also refuses state no saved model holds but a file
  can set, as skops restores each object's attributes as given: an attribute hiding
  its class's own (an extractor's ``_function`` names the module its features are
  computed with) and a Pipeline's ``memory`` folder (:func:`pipeline_memory`), where
  joblib writes its steps as pickles and unpickles them on a later fit.

It also refuses parts of the wrong kind (a Pipeline's ``steps`` no list of ``(name,
estimator)`` pairs, a fitted ``estimator_`` no estimator), which fail later with raw errors.

Both raise ``ValueError`` saying what is wrong; :mod:`.persistence` turns it into
:class:`~aufeat.estimators.persistence.UntrustedModelError`.
"""

from __future__ import annotations

import contextlib
import io
import math
import zipfile

import numpy as np

from aufeat._npy import read_npy_header

__all__ = ["MAX_RATIO", "MAX_UNPACKED_BYTES", "check_arrays", "check_members", "odd_parameters",
           "pipeline_memory"]

#: Unpacked bytes any model file may hold whatever its size (a forest of 500 deep
#: trees on 3,000 features holds a few hundred MB).
MAX_UNPACKED_BYTES = 2**30
#: Above :data:`MAX_UNPACKED_BYTES`, the most the arrays may unpack to per byte of
#: the file (model arrays compress a few times; a zip bomb a thousand times).
MAX_RATIO = 100


def _array_nodes(schema):
    """Yield every ``NdArrayNode`` stored as a ``.npy`` member (no recursion)."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if node.get("__loader__") == "NdArrayNode" and node.get("type") == "numpy":
                yield node
            stack.extend(node.values())


def _npy_bytes(member) -> int:
    """Bytes of the array an open ``.npy`` member declares in its header."""
    shape, _, dtype = read_npy_header(member)
    return math.prod(shape) * dtype.itemsize


def check_members(data: bytes, schema) -> None:
    """Refuse a model archive whose arrays would unpack to far more than the file holds.

    Raises
    ------
    ValueError
        When a member is named by two nodes with different ``__id__`` (or none),
        a named member is missing, an array header declares more bytes than its
        member holds, or the named members unpack to more than
        ``max(MAX_UNPACKED_BYTES, MAX_RATIO * len(data))`` bytes.
    """
    owners: dict[str, object] = {}
    for node in _array_nodes(schema):
        name, ident = node.get("file"), node.get("__id__")
        if not isinstance(name, str):
            raise ValueError("an array node names no member file")
        if name in owners and (ident is None or owners[name] != ident):
            raise ValueError(f"its member {name} is named by several arrays (skops would "
                             "read it once for each)")
        owners[name] = ident
    budget = max(MAX_UNPACKED_BYTES, MAX_RATIO * len(data))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        missing = sorted(set(owners) - set(infos))
        if missing:
            raise ValueError(f"its schema names member {missing[0]}, which it does not hold")
        total = sum(infos[name].file_size for name in owners)
        if total > budget:
            raise ValueError(f"its arrays unpack to {total:,} bytes, more than the "
                             f"{budget:,} a model file of {len(data):,} bytes may hold")
        for name in owners:
            with archive.open(infos[name]) as member:
                size = _npy_bytes(member)
            if size > infos[name].file_size:
                raise ValueError(f"its member {name} declares an array of {size:,} bytes "
                                 f"in {infos[name].file_size:,}")


def _check_tree(tree) -> None:
    """Refuse a ``sklearn.tree._tree.Tree`` whose nodes point outside its arrays."""
    n = int(tree.node_count)
    left, right = np.asarray(tree.children_left), np.asarray(tree.children_right)
    feature, threshold = np.asarray(tree.feature), np.asarray(tree.threshold)
    if n < 1 or not len(left) == len(right) == len(feature) == len(threshold) == n:
        raise ValueError(f"a decision tree has {n} nodes")
    leaf = left == -1
    if not np.array_equal(leaf, right == -1):
        raise ValueError("a decision tree has a node with one child")
    inner = np.flatnonzero(~leaf)
    children = np.concatenate([left[inner], right[inner]])
    if np.any(left[inner] <= inner) or np.any(right[inner] <= inner) or \
            not np.array_equal(np.sort(children), np.arange(1, n)):
        raise ValueError("a decision tree's child indices are not those of a tree of "
                         f"{n} nodes")
    n_features = int(tree.n_features)
    if np.any(feature[inner] < 0) or np.any(feature[inner] >= n_features):
        raise ValueError(f"a decision tree splits on a feature outside [0, {n_features})")
    if np.any(np.isnan(threshold[inner])):
        raise ValueError("a decision tree has a NaN threshold")
    if tuple(tree.value.shape) != (n, int(tree.n_outputs), int(tree.max_n_classes)):
        raise ValueError(f"a decision tree's values have shape {tree.value.shape}")
    depth, level = 0, np.array([0])
    while True:  # every node is one node's child: this visits each once
        level = np.concatenate([left[level], right[level]])
        level = level[level != -1]
        if not level.size:
            break
        depth += 1
    if int(tree.max_depth) < depth:  # decision_path writes max_depth + 1 entries per row
        raise ValueError(f"a decision tree of depth {depth} says max_depth={tree.max_depth}")


def _check_binary_tree(tree, n_bounds: int) -> None:
    """Refuse a ``KDTree`` / ``BallTree`` whose indices point outside its arrays."""
    data, idx, nodes, bounds, *_ = state = tree.__getstate__()
    n_levels, weights = state[5], state[-1]
    if data.ndim != 2 or idx.shape != (len(data),) or \
            not np.array_equal(np.sort(idx), np.arange(len(data))):
        raise ValueError("a neighbours tree's index is not a permutation of its points")
    n_nodes = len(nodes)
    if n_nodes < 1 or n_nodes != 2 ** int(n_levels) - 1 or \
            bounds.shape != (n_bounds, n_nodes, data.shape[1]):
        raise ValueError(f"a neighbours tree has {n_nodes} nodes on {n_levels} levels")
    start, end = nodes["idx_start"], nodes["idx_end"]
    if np.any(start < 0) or np.any(start > end) or np.any(end > len(data)):
        raise ValueError("a neighbours tree's nodes index points it does not hold")
    if not np.all(nodes["is_leaf"][(n_nodes - 1) // 2:]):  # their children would be outside
        raise ValueError("a neighbours tree's last level has nodes that are no leaves")
    if weights is not None and np.shape(weights) != (len(data),):
        raise ValueError("a neighbours tree's sample weights do not match its points")
    distance_weights = np.asarray(state[11].__getstate__()[1])  # Minkowski's w: read per column
    if distance_weights.ndim != 1 or (type(state[11]).__name__.startswith("Minkowski")
                                      and distance_weights.size not in (0, data.shape[1])):
        raise ValueError(f"a neighbours tree's distance has {distance_weights.size} weights "
                         f"for {data.shape[1]} columns")


def _array(model, attribute: str, dtype, ndim: int) -> np.ndarray:
    """``model.attribute``, refused unless an ndarray of ``dtype`` with ``ndim`` axes."""
    value = getattr(model, attribute, None)
    if not isinstance(value, np.ndarray) or value.dtype != dtype or value.ndim != ndim:
        raise ValueError(f"the {type(model).__name__}'s {attribute} is not a {ndim}-D "
                         f"{np.dtype(dtype)} array")
    return value


def _check_libsvm(model) -> None:
    """Refuse a fitted libsvm model whose arrays disagree with its counts.

    libsvm reads ``len(_n_support)`` classes, ``_n_support[i]`` vectors each,
    ``n_class - 1`` rows of ``len(support_)`` dual coefficients, one intercept
    (and probability pair) per pair of classes, and, for a precomputed kernel,
    column ``support_[i]`` of each kernel row.
    """
    from sklearn.svm._base import LIBSVM_IMPL

    name, impl, state = type(model).__name__, type(model)._impl, vars(model)
    fitted = ("support_", "support_vectors_", "_n_support", "_dual_coef_", "_intercept_")
    if not any(attribute in state for attribute in fitted):
        return  # unfitted: predict raises NotFittedError
    if state.get("_impl", impl) != impl or state.get("_sparse", False) is not False:
        raise ValueError(f"the {name} names another libsvm solver or sparse data")
    support = _array(model, "support_", np.int32, 1)
    vectors = _array(model, "support_vectors_", np.float64, 2)
    counts = _array(model, "_n_support", np.int32, 1).astype(np.int64)
    n_class, n_sv = len(counts), len(support)
    classifier = LIBSVM_IMPL.index(impl) < 2  # c_svc, nu_svc: counts per class are read
    expected = len(getattr(model, "classes_", ())) if classifier else 2
    if n_class < 2 or n_class != expected or (classifier and (
            np.any(counts < 0) or counts.sum() != n_sv)):
        raise ValueError(f"the {name}'s support vector counts {counts[:8].tolist()} (of "
                         f"{n_class}) do not fit {expected} classes and {n_sv} vectors")
    dual = _array(model, "_dual_coef_", np.float64, 2)
    if dual.shape != (n_class - 1, n_sv):
        raise ValueError(f"the {name}'s dual coefficients have shape {dual.shape}, not "
                         f"{(n_class - 1, n_sv)}")
    n_pairs = n_class * (n_class - 1) // 2
    if _array(model, "_intercept_", np.float64, 1).shape != (n_pairs,):
        raise ValueError(f"the {name} has {len(model._intercept_)} intercepts, not {n_pairs}")
    for attribute in ("_probA", "_probB"):
        if len(_array(model, attribute, np.float64, 1)) not in (0, n_pairs):
            raise ValueError(f"the {name} has {len(getattr(model, attribute))} probability "
                             f"parameters in {attribute}, not {n_pairs}")
    if isinstance(model.kernel, str) and model.kernel == "precomputed":
        shape = getattr(model, "shape_fit_", None)
        n_train = shape[0] if isinstance(shape, tuple) and shape else None
        if not isinstance(n_train, (int, np.integer)) or (n_sv and (
                support.min() < 0 or support.max() >= n_train)):
            raise ValueError(f"the {name}'s support indices leave its {n_train} training "
                             "samples")
    elif vectors.shape != (n_sv, _width(model)):
        raise ValueError(f"the {name}'s support vectors have shape {vectors.shape}, not "
                         f"{(n_sv, _width(model))}")


def _check_neighbours(model, points) -> None:
    """Refuse a fitted neighbours model whose points are not one row per label of its width.

    Brute-force search reads each stored point with the width of the rows it is
    given (checked against ``n_features_in_`` only).
    """
    width, labels = _width(model), getattr(model, "_y", None)
    if not isinstance(points, np.ndarray) or points.ndim != 2 or \
            points.shape[1] != width or getattr(model, "n_samples_fit_", None) != len(points) \
            or (labels is not None and len(labels) != len(points)):
        raise ValueError(f"a neighbours model of {width} features holds points of shape "
                         f"{np.shape(points)}")


def _width(obj):
    try:  # a Pipeline's reads its first step's: a file can make it raise anything
        value = obj.n_features_in_
    except Exception:
        return None
    return value if isinstance(value, (int, np.integer)) else None


def _is_estimator(value) -> bool:
    return not isinstance(value, type) and callable(getattr(value, "get_params", None))


def _check_parts(obj, attributes: dict) -> None:
    """Refuse an estimator whose parts are not of the kinds scikit-learn's code reads.

    A Pipeline's ``steps`` (a FeatureUnion's ``transformer_list``) is a list of
    ``(name, estimator)`` pairs (or ``'passthrough'`` / ``'drop'`` / None), a fitted
    ``estimator_`` an estimator and ``estimators_`` a list of them; skops restores
    whatever a file says, and a dict or a str there fails later with a raw error.
    """
    from sklearn.pipeline import FeatureUnion, Pipeline

    key = ("steps" if isinstance(obj, Pipeline) else
           "transformer_list" if isinstance(obj, FeatureUnion) else None)
    if key is not None:
        pairs = attributes.get(key)
        if not isinstance(pairs, (list, tuple)) or not all(  # [] saves: an empty Pipeline
                isinstance(pair, (list, tuple)) and len(pair) == 2 and isinstance(pair[0], str)
                and (pair[1] is None or _is_estimator(pair[1]) or (
                    isinstance(pair[1], str) and pair[1] in ("passthrough", "drop")))
                for pair in pairs):
            raise ValueError(f"a {type(obj).__name__}'s {key} is not a list of "
                             "(name, estimator) pairs")
    if "estimator_" in attributes and not _is_estimator(attributes["estimator_"]):
        raise ValueError(f"a {type(obj).__name__}'s fitted estimator_ is a "
                         f"{type(attributes['estimator_']).__name__}, not an estimator")
    parts = attributes.get("estimators_", [])
    if not isinstance(parts, (list, tuple)) or not all(map(_is_estimator, parts)):
        raise ValueError(f"a {type(obj).__name__}'s fitted estimators_ is not a list of "
                         "estimators")


def check_arrays(model) -> None:
    """Refuse a loaded model holding arrays its compiled code would follow out of bounds.

    Walks the model (estimators' attributes, lists, tuples, dicts) and checks every
    decision ``Tree`` (children, features below its estimator's width, thresholds,
    value shape, depth), every ``KDTree`` / ``BallTree``, every libsvm model
    (counts, coefficient and intercept shapes, support vectors' width) and every
    fitted neighbours model's points; the trees of an ensemble may not be wider
    than the ensemble. Every estimator's parts must be of the kinds scikit-learn
    reads (a Pipeline's steps ``(name, estimator)`` pairs, a fitted ``estimator_``
    an estimator), and any other error a check meets is a refusal too.

    Raises
    ------
    ValueError
        Saying which array is out of range, or which part is of the wrong kind.
    """
    try:
        _check_all(model)
    except ValueError:
        raise
    except Exception as exc:  # a check read a part of a kind no saved model holds
        raise ValueError(f"a part of it is not of the kind aufeat saves "
                         f"({type(exc).__name__}: {exc})") from exc


def _check_all(model) -> None:
    from sklearn.neighbors import BallTree, KDTree
    from sklearn.svm._base import BaseLibSVM
    from sklearn.tree._tree import Tree

    seen, stack = set(), [model]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or obj is None or isinstance(obj, (str, bytes, int, float, type,
                                                              np.ndarray, np.generic)):
            continue
        seen.add(id(obj))
        if isinstance(obj, Tree):
            _check_tree(obj)
        elif isinstance(obj, (KDTree, BallTree)):  # KDTree: lower and upper bounds
            _check_binary_tree(obj, 2 if isinstance(obj, KDTree) else 1)
        elif isinstance(obj, dict):
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple)):
            stack.extend(obj)
        elif hasattr(obj, "__dict__"):
            _check_parts(obj, vars(obj))  # before anything reads them
            width, attributes = _width(obj), vars(obj)
            if isinstance(obj, BaseLibSVM):
                _check_libsvm(obj)
            _check_state(obj, attributes)
            if "_fit_X" in attributes:  # KNeighbors*: brute force reads them unchecked
                _check_neighbours(obj, attributes["_fit_X"])
            tree = attributes.get("tree_")
            if isinstance(tree, Tree) and (width is None or int(tree.n_features) > width):
                raise ValueError(f"a decision tree of {tree.n_features} features sits in "
                                 f"an estimator of {width}")
            parts = attributes.get("estimators_")
            for part in parts if isinstance(parts, (list, tuple)) else ():
                inner = _width(part)
                if width is not None and inner is not None and inner > width:
                    raise ValueError(f"an ensemble of {width} features holds an estimator "
                                     f"of {inner}")
            stack.extend(attributes.values())


def _check_state(obj, attributes: dict) -> None:
    """Refuse an attribute hiding ``obj``'s class's own, or a Pipeline's ``memory`` folder."""
    for name in attributes:
        if any(name in vars(klass) for klass in type(obj).__mro__):
            raise ValueError(f"a {type(obj).__qualname__} holds its own {name!r}, which hides "
                             "its class's (no saved model does; a file can ask for it)")
    from sklearn.pipeline import Pipeline

    if isinstance(obj, Pipeline) and attributes.get("memory") is not None:
        raise ValueError(f"a Pipeline with memory={attributes['memory']!r}, where joblib would "
                         "unpickle its steps on a later fit")


def pipeline_memory(model):
    """Return the first ``memory`` of a Pipeline in ``model`` (at any depth), else None."""
    from sklearn.pipeline import Pipeline

    seen, stack = set(), [model]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (str, bytes, type, np.ndarray)):
            continue
        seen.add(id(obj))
        if isinstance(obj, Pipeline) and getattr(obj, "memory", None) is not None:
            return obj.memory
        if isinstance(obj, dict):
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple)):
            stack.extend(obj)
        elif hasattr(obj, "get_params") and not isinstance(obj, type):
            with contextlib.suppress(Exception):  # an odd estimator: nothing more to walk
                stack.extend(obj.get_params(deep=False).values())
    return None


def odd_parameters(model) -> list[tuple[str, str]]:
    """``(name, type)`` of the parameters of ``model`` (deep) whose value is no plain type."""

    def plain(value) -> bool:
        if isinstance(value, (list, tuple)):
            return all(plain(v) for v in value)
        if isinstance(value, dict):
            return all(plain(k) and plain(v) for k, v in value.items())
        return value is None or isinstance(value, (str, int, float, np.generic, np.ndarray)) or (
            hasattr(value, "get_params") and not isinstance(value, type))

    get_params = getattr(model, "get_params", None)
    params = get_params(deep=True) if callable(get_params) else {}
    return [(name, f"{type(v).__module__}.{type(v).__qualname__}")
            for name, v in params.items() if not plain(v)]
