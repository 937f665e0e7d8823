"""Network builders for :mod:`aufeat.keras`: the source studies' models, by name.

Every builder takes ``(input_shape, n_classes)`` (plus options) and returns an
uncompiled Keras model whose inputs are pixels or features scaled to [0, 1]
(images) or raw feature values (the MLP standardises them itself) and whose
output is a softmax over the classes.
"""

from __future__ import annotations

import contextlib
import os
import threading
import weakref

import numpy as np

from ._backend import import_keras

__all__ = ["ARCHITECTURES", "augmentation_layers", "build_image_model", "build_mlp",
           "constant_features", "mark_in_use"]


#: Batch-norm moving-average momentum. Keras' 0.99 needs hundreds of steps before the
#: inference statistics settle; on a few hundred faces (a handful of batches per epoch)
#: a network then predicts one class for its first epochs and early stopping keeps them.
_BN_MOMENTUM = 0.9
#: The layout of every image aufeat hands a network, (N, H, W, C) as ``prepare_images``
#: makes it: given to each layer aufeat creates, so a ``channels_first``
#: ``image_data_format`` in the caller's Keras config does not turn its layers' axes.
_LAYOUT = "channels_last"
_BUILDING = threading.RLock()  # one temporary change of the global setting at a time


@contextlib.contextmanager
def _channels_last(keras):
    """Run a ``keras.applications`` builder (or its ``preprocess_input``) on (H, W, C).

    They read the global ``image_data_format``, not an argument: where it is not
    ``channels_last`` it is set so for the call and put back after it, one build at a
    time (one setting for the whole process: two threads' overlapping builds would
    otherwise put back each other's temporary value).
    """
    with _BUILDING:
        before = keras.config.image_data_format()
        if before == _LAYOUT:  # the usual case: nothing to set
            yield
            return
        keras.config.set_image_data_format(_LAYOUT)
        try:
            yield
        finally:
            keras.config.set_image_data_format(before)


def _small_cnn(keras, input_shape, n_classes):
    """Build the JAFFE/CK+ study's 2-conv network, layer for layer."""
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=input_shape),
        L.Rescaling(2.0, offset=-1.0),  # [0, 1] -> [-1, 1]
        L.Conv2D(32, 3, activation="tanh", data_format=_LAYOUT),
        L.MaxPooling2D(data_format=_LAYOUT),
        L.Dropout(0.3),
        L.Conv2D(64, 3, activation="relu", data_format=_LAYOUT),
        L.MaxPooling2D(data_format=_LAYOUT),
        L.Dropout(0.3),
        L.Flatten(data_format=_LAYOUT),
        L.Dense(64, activation="sigmoid"),
        L.Dropout(0.1),
        L.Dense(n_classes, activation="softmax"),
    ], name="small_cnn")


def _vgg_small(keras, input_shape, n_classes):
    """Build a VGG-style network for 48x48 faces: 3 blocks of two 3x3 convolutions."""
    L = keras.layers
    layers = [keras.Input(shape=input_shape), L.Rescaling(2.0, offset=-1.0)]
    for width in (32, 64, 128):
        layers += [L.Conv2D(width, 3, padding="same", activation="relu", data_format=_LAYOUT),
                   L.BatchNormalization(momentum=_BN_MOMENTUM),
                   L.Conv2D(width, 3, padding="same", activation="relu", data_format=_LAYOUT),
                   L.BatchNormalization(momentum=_BN_MOMENTUM),
                   L.MaxPooling2D(data_format=_LAYOUT),
                   L.Dropout(0.25)]
    layers += [L.GlobalAveragePooling2D(data_format=_LAYOUT), L.Dense(128, activation="relu"),
               L.Dropout(0.5), L.Dense(n_classes, activation="softmax")]
    return keras.Sequential(layers, name="vgg_small")


#: Built-in architecture names; any ``keras.applications`` name works as well.
ARCHITECTURES = {"small-cnn": _small_cnn, "vgg-small": _vgg_small}
#: The smallest height and width (pixels) each built-in network takes: small-cnn's two
#: unpadded 3x3 convolutions and 2x2 poolings need 10, vgg-small's three poolings 8.
MIN_SIZE = {"small-cnn": 10, "vgg-small": 8}


class InputSizeError(ValueError):
    """A ``keras.applications`` network refused its input size (too small for it).

    Only known when the network is built; a caller may skip that network and go on
    (``examples/architecture_comparison.py`` does), unlike any other error.
    """


class WeightsMismatchError(ValueError):
    """A ``weights`` file that does not fit its ``keras.applications`` network.

    Another network's weights, a file saved with ``include_top=True``, or not an HDF5
    weights file at all; known only when the network is built. The message names the
    file, the network and Keras' own reason.
    """


def _application(keras, name, input_shape, n_classes, weights):
    """Build a ``keras.applications`` backbone (``weights=None`` unless given) + softmax."""
    builder = getattr(keras.applications, name, None)
    if builder is None or not callable(builder):
        known = [n for n in dir(keras.applications) if n[:1].isupper()]
        raise ValueError(f"unknown architecture {name!r}; use 'small-cnn', 'vgg-small', a "
                         f"callable, or a keras.applications name such as {', '.join(known[:6])}")
    if weights is not None and not (isinstance(weights, (str, os.PathLike))
                                    and os.path.isfile(weights)):
        raise ValueError(f"weights={weights!r}: aufeat downloads nothing (nor asks Keras to); "
                         f"pass the path of a keras.applications.{name} weights file you have "
                         "(include_top=False), or None to train from scratch")
    if input_shape[-1] not in (1, 3):
        raise ValueError(f"keras.applications.{name} takes grey or RGB images, not "
                         f"{input_shape[-1]} channels (input shape {input_shape})")
    L = keras.layers
    inputs = keras.Input(shape=input_shape)
    x = L.Rescaling(255.0)(inputs)  # applications' preprocessing expects 0-255 pixels
    if input_shape[-1] == 1:
        x = L.Concatenate()([x, x, x])
    if (preprocessing := _preprocessing_layer(keras, builder)) is not None:
        x = preprocessing(x)
    shape3 = (*input_shape[:2], 3)
    try:  # weights loaded apart: a file that does not fit is not a size refused
        with _channels_last(keras):
            base = builder(include_top=False, weights=None, input_shape=shape3, pooling="avg")
    except ValueError as exc:
        raise InputSizeError(f"keras.applications.{name} cannot be built for {shape3} inputs: "
                             f"{exc} (set input_size to at least the size it needs)") from exc
    if weights is not None:
        try:
            base.load_weights(weights)
        except (ValueError, OSError) as exc:  # another network's, include_top=True, not HDF5
            raise WeightsMismatchError(
                f"weights file {os.fspath(weights)!r} does not fit keras.applications.{name} "
                f"(include_top=False): {exc}") from exc
    for layer in base.layers:  # see _BN_MOMENTUM
        if isinstance(layer, L.BatchNormalization):
            layer.momentum = _BN_MOMENTUM
    outputs = L.Dense(n_classes, activation="softmax")(base(x))
    return keras.Model(inputs, outputs, name=name.lower())


def _preprocessing_layer(keras, builder):
    """Return the family's ``preprocess_input`` as a fixed 1x1 convolution (None: no-op).

    ResNet, VGG, DenseNet, MobileNet, Inception, ... expect their inputs scaled
    (and for some, channels reversed) as ImageNet weights were trained; EfficientNet
    does it inside the network. Every such mapping is per-pixel affine, so it is
    read off ``preprocess_input`` on four probe pixels and stored as ordinary
    weights: the ``.keras`` file needs no Lambda layer (refused by safe loading).
    """
    import importlib

    preprocess = getattr(importlib.import_module(builder.__module__), "preprocess_input", None)
    if preprocess is None:
        return None
    probe = np.zeros((4, 1, 1, 3), np.float32)
    probe[1:, 0, 0] = np.eye(3)
    with _channels_last(keras):
        out = np.asarray(preprocess(probe.copy()), np.float32).reshape(4, 3)
    bias, matrix = out[0], out[1:] - out[0]  # matrix[c_in, c_out]
    if np.allclose(matrix, np.eye(3)) and np.allclose(bias, 0):
        return None
    layer = keras.layers.Conv2D(3, 1, trainable=False, name="imagenet_preprocessing",
                                data_format=_LAYOUT)
    layer.build((None, None, None, 3))
    layer.set_weights([matrix.reshape(1, 1, 3, 3), bias])
    return layer


def augmentation_layers(keras, augmentation: dict, seed: int):
    """Random flip / shift / rotation / zoom layers (active during training only).

    Their seeds are ``seed``, ``seed + 1``, ... modulo 2**32 (Keras keeps seeds as
    uint32: a ``random_state`` near 2**32 overflowed).
    """
    unknown = sorted(set(augmentation) - {"flip", "shift", "rotation", "zoom"})
    if unknown:  # a misspelt key would turn augmentation off without a word
        raise ValueError(f"augmentation: unknown key(s) {unknown}; use flip, shift, rotation "
                         "and zoom (e.g. {'flip': True, 'rotation': 10})")
    L = keras.layers
    layers = []
    if augmentation.get("flip"):
        layers.append(L.RandomFlip("horizontal", seed=seed, data_format=_LAYOUT))
    if augmentation.get("shift"):
        s = float(augmentation["shift"])
        layers.append(L.RandomTranslation(s, s, fill_mode="nearest", seed=(seed + 1) % 2**32,
                                          data_format=_LAYOUT))
    if augmentation.get("rotation"):
        # degrees -> fraction of a full turn, as RandomRotation takes it
        layers.append(L.RandomRotation(float(augmentation["rotation"]) / 360.0,
                                       fill_mode="nearest", seed=(seed + 2) % 2**32,
                                       data_format=_LAYOUT))
    if augmentation.get("zoom"):
        z = float(augmentation["zoom"])
        layers.append(L.RandomZoom(z, fill_mode="nearest", seed=(seed + 3) % 2**32,
                                   data_format=_LAYOUT))
    return layers


def _check_probabilities(keras, core, architecture, input_shape, n_classes):
    """Refuse a user's network that does not output one probability per class.

    aufeat trains with categorical cross-entropy on probabilities and reads the
    output as ``predict_proba``: a network ending in logits (``Dense(n_classes)``,
    as most Keras examples do) trained on garbage and returned negative
    "probabilities". Two random probe images must give rows of ``n_classes``
    values >= 0 summing to 1.
    """
    name = getattr(architecture, "__name__", type(architecture).__name__)
    fix = ("; end it in Dense(n_classes, activation='softmax') (or a Softmax layer after "
           "logits): aufeat trains the network with categorical cross-entropy on its "
           "probabilities")
    if not isinstance(core, keras.Model):
        raise ValueError(f"architecture: {name} returned a {type(core).__name__}, not a "
                         f"keras.Model{fix}")
    probe = np.random.default_rng(0).random((2, *input_shape), dtype=np.float32)
    out = core(probe, training=False)
    if isinstance(out, (list, tuple, dict)):
        raise ValueError(f"architecture: the network of {name} has several outputs{fix}")
    out = np.asarray(keras.ops.convert_to_numpy(out), dtype=np.float64)
    if out.shape != (2, n_classes):
        raise ValueError(f"architecture: the network of {name} has {out.shape[-1]} output(s), "
                         f"not one per class ({n_classes}){fix}")
    if not (np.isfinite(out).all() and out.min() >= -1e-6
            and np.allclose(out.sum(axis=1), 1.0, atol=1e-3)):
        raise ValueError(f"architecture: the network of {name} does not output probabilities "
                         f"(on two probe images: values from {out.min():.3g} to "
                         f"{out.max():.3g}, rows summing to "
                         f"{', '.join(f'{v:.3g}' for v in out.sum(axis=1))}){fix}")


#: The trainable variables of every image network a fit built or a file loaded, by id,
#: held weakly (a network's entries go with it): see :func:`_check_new`.
_IN_USE = weakref.WeakValueDictionary()


def mark_in_use(network) -> None:
    """Record every variable of ``network`` as one estimator's own; see :func:`_check_new`.

    Frozen ones too: a backbone frozen now may be unfrozen before another fit.
    """
    for variable in network.weights:
        _IN_USE[id(variable)] = variable


def _check_new(core, architecture):
    """Refuse a user's network (or layers of one) that another fit or loaded model holds.

    ``architecture=lambda shape, n: net`` (a network built once, outside the
    function) handed the same ``keras.Model`` to every fit: each clone, fold and
    grid-search candidate trained it further from the others' weights (the folds'
    test people included), and refitting one estimator changed another's
    predictions. Each fit must train a network of its own. Only variables this
    fit would train count: a frozen backbone (``trainable=False``, e.g. a
    ``keras.applications`` model loaded once) shared under a new head on each call
    is never trained (Keras runs frozen BatchNormalization in inference mode), so
    sharing it is Keras' transfer-learning pattern, and allowed; unfrozen after an
    earlier fit used it, it is refused (it would train that fit's network).
    """
    if any(_IN_USE.get(id(variable)) is variable for variable in core.trainable_weights):
        name = getattr(architecture, "__name__", type(architecture).__name__)
        raise ValueError(
            f"architecture: {name} returned a network (or layers of one) that another fit "
            "already trained or a loaded model holds: architecture must build a new network "
            "on each call, inside the function (def f(input_shape, n_classes): return "
            "keras.Sequential([...])), not return one built once outside it; else every "
            "fit, clone and cross-validation fold trains the same network further, from "
            "the others' weights. To start from a trained network, return a copy: "
            "copy = keras.models.clone_model(net); copy.set_weights(net.get_weights()); "
            "a frozen backbone (backbone.trainable = False) may be shared under a new head")


def build_image_model(architecture, input_shape, n_classes, *, weights=None,
                      augmentation=None, seed=0):
    """Build an image classifier from a name or a callable, with augmentation in front.

    Parameters
    ----------
    architecture : str or callable
        ``'small-cnn'``, ``'vgg-small'``, a ``keras.applications`` name, or
        ``f(input_shape, n_classes) -> keras.Model`` whose output is a softmax
        over the classes (else a ValueError: see :func:`_check_probabilities`),
        building a new network on each call (one that another fit trained or a
        loaded model holds is a ValueError; frozen layers may be shared: see
        :func:`_check_new`).
    input_shape : tuple (H, W, C)
    n_classes : int
    weights : str or path, optional
        Weights file for a ``keras.applications`` backbone (``include_top=False``);
        nothing is downloaded: anything but None or an existing file (``'imagenet'``)
        is a ValueError, and so is any weights with a built-in name or a callable
        (which loads its own).
    augmentation : dict, optional
        ``flip``, ``shift`` (fraction), ``rotation`` (degrees), ``zoom`` (fraction).
    seed : int
    """
    keras = import_keras()
    if callable(architecture):
        if weights is not None:  # the function builds the whole network: fit would ignore them
            name = getattr(architecture, "__name__", type(architecture).__name__)
            raise ValueError(f"weights= applies to keras.applications backbones, not to a "
                             f"function ({name}), which builds its own network: load weights "
                             f"inside your function (model.load_weights(path)) and leave "
                             f"weights=None")
        core = architecture(tuple(input_shape), int(n_classes))
        _check_probabilities(keras, core, architecture, tuple(input_shape), int(n_classes))
        _check_new(core, architecture)  # after the probe call, which builds a subclassed model
    elif architecture in ARCHITECTURES:
        if weights is not None:
            raise ValueError(f"weights= applies to keras.applications backbones, not "
                             f"{architecture!r}")
        height, width, smallest = *input_shape[:2], MIN_SIZE[architecture]
        if min(height, width) < smallest:  # else Keras' "output size would be zero or negative"
            raise ValueError(f"{architecture!r} needs images of at least {smallest}x{smallest} "
                             f"pixels; got {width}x{height} (width x height): set input_size "
                             f"to at least {smallest}")
        core = ARCHITECTURES[architecture](keras, tuple(input_shape), int(n_classes))
    elif isinstance(architecture, str):
        core = _application(keras, architecture, tuple(input_shape), int(n_classes), weights)
    elif architecture is None:  # what load_keras gives for a function it could not store
        raise TypeError("architecture is None, as in a model loaded from a .keras file whose "
                        "network a function built (the file does not store the function; "
                        "its record names it under params_not_stored): "
                        "set_params(architecture=that function) before refitting")
    else:
        raise TypeError(f"architecture must be a name or a callable, got {architecture!r}")
    mark_in_use(core)
    aug = augmentation_layers(keras, augmentation or {}, seed)
    if not aug:
        return core
    inputs = keras.Input(shape=tuple(input_shape))
    x = inputs
    for layer in aug:
        x = layer(x)
    return keras.Model(inputs, core(x), name=f"augmented_{core.name}")


def constant_features(norm):
    """Return which features an adapted ``Normalization`` layer divides by Keras' epsilon.

    Keras divides by ``max(sqrt(variance), 1e-7)``: a feature constant in training
    (variance 0, or a rounding error's) comes out 1e7 times any change at predict
    time, and swamps the others. :func:`build_mlp` scales such features by 1 instead.
    """
    keras = import_keras()
    variance = np.asarray(keras.ops.convert_to_numpy(norm.adapt_variance.value), dtype=np.float64)
    return np.sqrt(variance) < keras.config.epsilon()


def build_mlp(n_features, n_classes, *, hidden_layer_sizes=(256, 128), activation="relu",
              dropout=0.3, X_train=None):
    """Build the FER2013 study's feed-forward network, standardising features first.

    ``X_train`` adapts the :class:`keras.layers.Normalization` layer (mean and
    variance per feature), so the saved model standardises new inputs itself.
    A feature constant in ``X_train`` is scaled by 1, as scikit-learn's
    ``StandardScaler`` does (see :func:`constant_features`).
    """
    keras = import_keras()
    L = keras.layers
    norm = L.Normalization()
    if X_train is not None:
        norm.adapt(X_train)
        constant = constant_features(norm) | (np.ptp(X_train, axis=0) == 0)
        variance = np.array(keras.ops.convert_to_numpy(norm.adapt_variance.value))
        variance[constant] = 1.0
        norm.adapt_variance.assign(variance)
        norm.finalize_state()
    layers = [keras.Input(shape=(int(n_features),)), norm]
    for width in hidden_layer_sizes:
        layers.append(L.Dense(int(width), activation=activation))
        if dropout:
            layers.append(L.Dropout(float(dropout)))
    layers.append(L.Dense(int(n_classes), activation="softmax"))
    return keras.Sequential(layers, name="mlp")
