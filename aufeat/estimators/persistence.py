"""Save and load fitted models with skops: never plain pickle.

:func:`load_model` builds only objects whose exact type is listed in
:data:`TRUSTED_TYPES`: the classes aufeat's own pipelines are made of. It never
builds a function, a method or a ``functools.partial`` (skops can store those,
and a file could then call e.g. ``numpy.savetxt`` or ``os.system`` while it is
being loaded), and it trusts no module prefix. Every type a file names is read
from its schema and compared with the list *before* anything is constructed; a
file asking for anything else, or a damaged file, is refused with
:class:`UntrustedModelError`.
"""

from __future__ import annotations

import copy
import errno
import io
import json
import zipfile
from pathlib import Path

from aufeat._zip import ZIP_ERRORS
from aufeat.estimators._feature_versions import warn_changed_features
from aufeat.estimators._model_checks import (
    check_arrays,
    check_members,
    odd_parameters,
    pipeline_memory,
)
from aufeat.estimators._model_parts import routing_and_keras

__all__ = ["TRUSTED_TYPES", "UntrustedModelError", "load_model", "model_types", "save_model"]

#: Exact types (``module.Class``) that :func:`load_model` may build: nothing else,
#: no prefixes, no functions. It lists the classes :func:`save_model` writes for
#: every preset (:mod:`aufeat.estimators.presets`, ``aufeat train`` pipelines) and
#: the inert containers and NumPy scalars they hold.
#:
#: **Adding an estimator class to aufeat?** Append its full name here (the module
#: where it is defined, e.g. ``"aufeat.estimators.normalization.PersonNormalizer"``)
#: and make sure it holds no callables. ``tests/robustness/test_model_loading.py``
#: fails for any class in :mod:`aufeat.estimators` or :mod:`aufeat.face`, or any
#: class a preset saves, that is missing here.
TRUSTED_TYPES: tuple[str, ...] = (
    # aufeat's estimators
    "aufeat.estimators._pca.CappedPCA",
    "aufeat.estimators._smote.AdaptiveSMOTE",
    "aufeat.estimators.au.AUClassifier",
    "aufeat.estimators.au.AURegressor",
    "aufeat.estimators.extractors.GaborExtractor",
    "aufeat.estimators.extractors.FHOGExtractor",
    "aufeat.estimators.extractors.HOGExtractor",
    "aufeat.estimators.extractors.LBPExtractor",
    "aufeat.estimators.face_features.FaceFeatures",
    "aufeat.estimators.face_model.FaceModel",
    "aufeat.estimators.geometry.GeometryExtractor",
    "aufeat.estimators.normalization.PersonNormalizer",
    "aufeat.face.aligner.FaceAligner",  # opens pipelines of images; plain parameters only
    # scikit-learn / imbalanced-learn classes the presets build
    "imblearn.pipeline.Pipeline",
    "sklearn.decomposition._pca.PCA",
    "sklearn.dummy.DummyClassifier",  # AUClassifier / AURegressor: an AU too rare to learn
    "sklearn.dummy.DummyRegressor",
    "sklearn.ensemble._bagging.BaggingClassifier",
    "sklearn.ensemble._forest.RandomForestClassifier",
    "sklearn.ensemble._forest.RandomForestRegressor",
    "sklearn.ensemble._weight_boosting.AdaBoostClassifier",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.linear_model._ridge.Ridge",
    "sklearn.metrics._dist_metrics.ChebyshevDistance64",  # in KNeighbors' trees: KDTree's
    "sklearn.metrics._dist_metrics.EuclideanDistance64",
    "sklearn.metrics._dist_metrics.ManhattanDistance64",
    "sklearn.metrics._dist_metrics.MinkowskiDistance64",  # distances (parameters only)
    # FaceModel(cv=...)'s person-wise splitters: plain parameters (an int random_state)
    "sklearn.model_selection._split.GroupKFold",
    "sklearn.model_selection._split.LeaveOneGroupOut",
    "sklearn.model_selection._split.LeavePGroupsOut",
    "sklearn.model_selection._split.StratifiedGroupKFold",
    "sklearn.naive_bayes.GaussianNB",
    "sklearn.neighbors._ball_tree.BallTree",
    "sklearn.neighbors._classification.KNeighborsClassifier",
    "sklearn.neighbors._kd_tree.KDTree",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._data.StandardScaler",
    "sklearn.svm._classes.LinearSVC",
    "sklearn.svm._classes.LinearSVR",
    "sklearn.svm._classes.SVC",
    "sklearn.svm._classes.SVR",
    "sklearn.tree._classes.DecisionTreeClassifier",
    "sklearn.tree._classes.DecisionTreeRegressor",
    "sklearn.tree._tree.Tree",
    # inert containers, primitives and NumPy arrays / scalars / dtypes
    "builtins.bool",
    "builtins.dict",
    "builtins.float",
    "builtins.int",
    "builtins.list",
    "builtins.str",
    "builtins.tuple",
    "collections.OrderedDict",
    "numpy.bool",
    "numpy.dtype",
    "numpy.float16",
    "numpy.float32",
    "numpy.float64",
    "numpy.int8",
    "numpy.int16",
    "numpy.int32",
    "numpy.int64",
    "numpy.ndarray",
    "numpy.str_",
    "numpy.uint8",
    "numpy.uint16",
    "numpy.uint32",
    "numpy.uint64",
)

# skops node kinds that stand for a callable: never built, whatever their name.
_CALLABLE_LOADERS = frozenset({"FunctionNode", "PartialNode", "MethodNode", "OperatorFuncNode"})

# a model's schema.json is a few hundred kB at most (arrays are stored apart)
_MAX_SCHEMA_BYTES = 64 * 2**20


class UntrustedModelError(ValueError):
    """A model file is damaged or asks to build a type aufeat does not trust.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.skops"
    >>> _ = path.write_bytes(b"not a model")
    >>> try:
    ...     load_model(path)
    ... except UntrustedModelError as err:
    ...     print(str(err).split(" (")[0])
    ... # doctest: +ELLIPSIS
    /.../model.skops is not a valid skops model file
    """


def save_model(model, path) -> Path:
    """Write ``model`` to ``path`` (``.skops``) atomically.

    A path ending in ``.keras`` (in any case: ``.Keras``, ``.KERAS``) saves an
    :mod:`aufeat.keras` classifier in Keras' own format instead
    (:func:`aufeat.keras.save_keras`).

    Metadata-routing requests (``set_fit_request(groups=True)`` and the like, on
    the model or any estimator inside it) are not saved: predicting needs none,
    and skops cannot store them. A copy is written without them; ``model`` keeps
    its own. Set them again on a loaded model before fitting it with routing.

    Raises
    ------
    UntrustedModelError
        When the model holds a type :func:`load_model` would refuse (a feature
        cache, a ``pathlib`` path as a parameter, a ``cv`` splitter not in
        :data:`TRUSTED_TYPES`: give ``cv`` as an int, a Pipeline's ``memory``: set it to
        None) or one skops cannot store (a pandas object as a parameter, the message
        names it); nothing is written.
    TypeError
        When the model holds a Keras network (save an :mod:`aufeat.keras`
        classifier to a ``.keras`` path instead); nothing is written.
    FileNotFoundError
        When the folder of ``path`` does not exist (create it first); a
        ``NotADirectoryError`` when it is a file; an ``IsADirectoryError`` when
        ``path`` itself is a folder (give a file name in it).

    Examples
    --------
    >>> import tempfile, os
    >>> from aufeat.estimators.presets import make_classifier
    >>> path = os.path.join(tempfile.mkdtemp(), "m.skops")
    >>> model = make_classifier("logreg").fit([[0.0], [1.0]], ["a", "b"])
    >>> load_model(save_model(model, path)).predict([[1.0]]).tolist()
    ['b']
    """
    from aufeat._atomic import atomic_write, folder_error

    path = Path(path)
    if (error := folder_error(path)) is not None:  # before anything is computed, either format
        raise error
    if path.is_dir():  # else the rename of the temporary file fails, naming that file
        example = path / ("model.keras" if path.suffix.lower() == ".keras" else "model.skops")
        raise IsADirectoryError(errno.EISDIR, f"cannot write {path}: {path} is a folder; give "
                                              f"a file name, such as {example}")
    if path.suffix.lower() == ".keras":
        from aufeat.keras import save_keras

        return save_keras(model, path)
    data = skops_bytes(model, path)
    atomic_write(path, lambda f: f.write(data))
    return path


def skops_bytes(model, path) -> bytes:
    """Return the ``.skops`` bytes :func:`save_model` writes to ``path`` (named in errors).

    Nothing is written: ``aufeat train`` hashes them and writes them with its sidecar.
    """
    import skops.io as sio

    routed, keras = routing_and_keras(model)
    if keras:  # skops would walk the network until a RecursionError
        raise TypeError("this model holds a Keras network, which a .skops file cannot store: "
                        "save an aufeat.keras classifier to a .keras path (a FaceModel or "
                        "Pipeline around one cannot be saved)")
    if routed:  # skops cannot store a MetadataRequest; predicting needs none: save a copy
        model = copy.deepcopy(model)
        for estimator in routing_and_keras(model)[0]:
            del estimator._metadata_request
    if (memory := pipeline_memory(model)) is not None:  # load_model refuses it: not written
        raise UntrustedModelError(f"the model holds a Pipeline with memory={memory!r} (joblib "
                                  "pickles its steps there); set memory=None before saving; "
                                  f"nothing was written to {path}")
    try:
        data = sio.dumps(model)
    except Exception as exc:  # e.g. a pandas object as a parameter: skops cannot store it
        odd = odd_parameters(model)
        hint = (f": parameter {odd[0][0]!r} is a {odd[0][1]}; pass plain values (str, numbers, "
                "lists of them), e.g. list(Y.columns) rather than Y.columns" if odd else "")
        raise UntrustedModelError(f"the model cannot be saved ({type(exc).__name__}: {exc})"
                                  f"{hint}; nothing was written to {path}") from exc
    refused = _refused(data, path)
    searches = [t for t in refused if t.startswith("sklearn.model_selection._search")]
    if searches:  # a search: the model it chose is what predicts
        kind = searches[0].rsplit(".", 1)[-1]
        if type(model).__name__ != kind:  # inside a pipeline: that step gives way
            advice = ("replace that step by the model it chose (its best_estimator_) and save "
                      "again")
        elif hasattr(model, "best_estimator_"):
            advice = "save the model it chose: save_model(search.best_estimator_, path)"
        else:  # not fitted (or refit=False): nothing chosen yet
            advice = ("fit it with refit=True, then save the model it chose: "
                      "save_model(search.best_estimator_, path)")
        raise UntrustedModelError(f"the model is (or holds) a {kind}, which load_model would "
                                  f"refuse; {advice}; nothing was written to {path}")
    if refused:  # a file load_model would refuse is not written
        raise UntrustedModelError(
            f"the model holds types load_model would refuse: {', '.join(refused[:8])}; "
            f"nothing was written to {path}. A FeatureCache in a pipeline: set "
            "features__cache=None before saving; a pathlib path as a parameter: give it as "
            "a str; a cv splitter other than GroupKFold, LeaveOneGroupOut, LeavePGroupsOut "
            "or StratifiedGroupKFold with an int random_state: give cv as an int before "
            "saving, e.g. model.set_params(cv=3); a KNeighbors metric other than minkowski "
            "(any p), manhattan, chebyshev or euclidean: refit with one of them")
    return data


def _damaged(source, exc) -> UntrustedModelError:
    return UntrustedModelError(f"{source} is not a valid skops model file ({exc}); "
                               "save models with aufeat.estimators.save_model")


def _read_schema(data: bytes, source):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("schema.json")
            if info.file_size > _MAX_SCHEMA_BYTES:
                raise ValueError(f"its schema.json holds {info.file_size} bytes, more than "
                                 f"the {_MAX_SCHEMA_BYTES} a model needs")
            return json.loads(archive.read(info))
    except (*ZIP_ERRORS, KeyError, RecursionError) as exc:  # unsupported method, encrypted
        raise _damaged(source, exc) from exc


def _schema_types(schema, source) -> tuple[set[str], set[str]]:
    """Return ``(types, callables)`` named by the nodes of a skops schema (no recursion)."""
    types, callables = set(), set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        if "__loader__" in node:
            module, name = node.get("__module__"), node.get("__class__")
            if not (isinstance(module, str) and isinstance(name, str)):
                raise _damaged(source, "a node without __module__ / __class__")
            if node["__loader__"] in _CALLABLE_LOADERS:
                callables.add(f"{module}.{name}")
            else:
                types.add(f"{module}.{name}")
        stack.extend(node.values())
    return types, callables


def model_types(path) -> list[str]:
    """List every type a skops file would build, without building anything.

    Functions, methods and partials are listed as ``'function module.name'``.

    Examples
    --------
    >>> import os, tempfile
    >>> from aufeat.estimators.presets import make_classifier
    >>> path = os.path.join(tempfile.mkdtemp(), "nb.skops")
    >>> _ = save_model(make_classifier("nb").fit([[0.0], [1.0]], [0, 1]), path)
    >>> "sklearn.naive_bayes.GaussianNB" in model_types(path)
    True
    """
    path = Path(path)
    types, callables = _schema_types(_read_schema(path.read_bytes(), path), path)
    return sorted(types | {f"function {name}" for name in callables})


def _refused(data: bytes, source) -> list[str]:
    """Names in a skops file that are not exact trusted types (before anything is built)."""
    import skops.io as sio

    schema = _read_schema(data, source)
    types, callables = _schema_types(schema, source)
    try:
        check_members(data, schema)  # before skops reads a member
        types |= set(sio.get_untrusted_types(data=data))
    except Exception as exc:  # skops raises many types on a damaged archive
        raise _damaged(source, exc) from exc
    trusted = set(TRUSTED_TYPES)
    return sorted({t for t in types - callables if t not in trusted}
                  | {f"{name} (a function)" for name in callables})


def load_model(path):
    """Load a model saved by :func:`save_model`, building only trusted types.

    ``.keras`` files (in any case) go to :func:`aufeat.keras.load_keras` (Keras' safe mode).
    Every type the file names must be one of :data:`TRUSTED_TYPES` exactly;
    functions are never built. The check reads the file's schema and nothing
    is constructed before it passes.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    IsADirectoryError
        If ``path`` is a folder, not a model file.
    UntrustedModelError
        If the file is not a readable skops archive, names a function or a type outside
        :data:`TRUSTED_TYPES` (listed), or holds arrays unpacking to far more than the file,
        trees, SVMs or neighbours indexing outside their arrays, or Pipeline steps, a fitted
        ``estimator_`` or ``estimators_`` of the wrong kind (:mod:`._model_checks`).

    Examples
    --------
    >>> import os, tempfile
    >>> from aufeat.estimators.presets import make_classifier
    >>> model = make_classifier("nb").fit([[0.0], [1.0]], ["calm", "smile"])
    >>> path = save_model(model, os.path.join(tempfile.mkdtemp(), "nb.skops"))
    >>> load_model(path).predict([[0.9]]).tolist()
    ['smile']
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, f"{path} is a folder, not a model file; give "
                                              "the path of the file save_model wrote in it")
    if not path.is_file():
        raise FileNotFoundError(f"model file {path} does not exist")
    if path.suffix.lower() == ".keras":
        from aufeat.keras import load_keras

        return load_keras(path)
    import skops.io as sio

    data = path.read_bytes()  # one read: what is checked is what is loaded
    if refused := _refused(data, path):
        shown = ", ".join(refused[:8]) + (f" and {len(refused) - 8} more" if len(refused) > 8
                                          else "")
        raise UntrustedModelError(
            f"{path} asks to build types aufeat does not trust: {shown}. Only models saved "
            "by aufeat (aufeat train, save_model) load; see TRUSTED_TYPES in "
            "aufeat.estimators.persistence.")
    try:
        model = sio.loads(data, trusted=sio.get_untrusted_types(data=data))
    except Exception as exc:  # skops raises many types on a damaged archive
        raise UntrustedModelError(f"{path} could not be loaded: {exc}") from exc
    try:
        check_arrays(model)  # their compiled code follows indices unchecked
    except ValueError as exc:
        raise UntrustedModelError(f"{path} is damaged or crafted: {exc}; only models saved "
                                  "by aufeat (aufeat train, save_model) load") from exc
    return warn_changed_features(model, path)  # trained on features this aufeat changed?
