"""scikit-learn classifiers around Keras networks: the source studies' deep baselines.

Both estimators extend :class:`keras.wrappers.SKLearnClassifier` (Keras 3's
own scikit-learn wrapper: target encoding, ``classes_``, tags) with what the
studies needed and the wrapper lacks: image batches, a subject-wise
validation split, early stopping on validation macro-F1, balanced class
weights, augmentation, seeding, and ``.keras`` persistence.
"""

from __future__ import annotations

import time

import numpy as np

from ._backend import import_keras
from ._checks import (
    CNN_CONSTRAINTS,
    MLP_CONSTRAINTS,
    check_labels,
    check_params,
    check_trained,
    class_weights,
    feature_table,
)
from ._save import save_keras

__all__ = ["KerasCNNClassifier", "KerasMLPClassifier"]

_keras = import_keras()
_AUGMENT_DEFAULT = {"flip": True, "shift": 0.1, "rotation": 10.0, "zoom": 0.1}


class _KerasClassifier(_keras.wrappers.SKLearnClassifier):
    """Shared fit / predict for the aufeat Keras classifiers (not public)."""

    def __sklearn_clone__(self):
        # scikit-learn's own clone (all constructor parameters), not the Keras
        # wrapper's, which only knows model / warm_start / model_kwargs
        from sklearn.base import BaseEstimator

        return BaseEstimator.__sklearn_clone__(self)

    def set_fit_request(self, *, groups="$UNCHANGED$"):
        """Ask meta-estimators to route ``groups`` to ``fit`` (scikit-learn metadata routing).

        Keras' wrapper files this request under ``score``; this puts it under
        ``fit``, so ``GridSearchCV(..., cv=GroupKFold())`` with routing on
        hands each fit its subjects (whole-subject validation splits). Without
        routing it is a RuntimeError, as scikit-learn's own ``set_*_request``
        methods raise: the request would be silently ignored.
        """
        import sklearn

        if not sklearn.get_config().get("enable_metadata_routing", False):
            raise RuntimeError("This method is only available when metadata routing is "
                               "enabled. You can enable it using "
                               "sklearn.set_config(enable_metadata_routing=True).")
        requests = self._get_metadata_request()
        if groups != "$UNCHANGED$":
            requests.fit.add_request(param="groups", alias=groups)
        self._metadata_request = requests
        return self

    @property
    def epoch_(self):
        """The number of epochs trained: ``n_epochs_`` (an AttributeError before ``fit``).

        Keras' wrapper read a key that aufeat's ``history_`` lacks: always 0.
        """
        if "n_epochs_" not in vars(self):
            raise AttributeError(f"this {type(self).__name__} is not fitted yet: no epoch_")
        return self.n_epochs_

    def _seed(self) -> int:
        if self.random_state is None:
            return int(np.random.SeedSequence().generate_state(1)[0] % (2**31 - 1))
        if isinstance(self.random_state, np.random.RandomState):  # as scikit-learn takes it
            return int(self.random_state.randint(2**31 - 1))
        return int(self.random_state)

    def fit(self, X, y, groups=None):
        """Train the network; early-stop on validation macro-F1 (subject-wise when ``groups``).

        Parameters
        ----------
        X : array_like
            Training inputs (see the class docstring for the layout).
        y : array_like, shape (n_samples,)
            Class labels.
        groups : array_like, shape (n_samples,), optional
            Subject of each sample: the validation set then holds whole subjects.

        Returns
        -------
        self

        Notes
        -----
        A refit replaces the fitted state only when it succeeds: one that fails
        or is interrupted (Ctrl-C) leaves the estimator as it was (its network
        with its own ``classes_`` and input shape), or unfitted.
        """
        work = object.__new__(type(self))  # the new state is built aside ...
        work.__dict__.update(self.__dict__)  # (the same parameter objects: a RandomState)
        work._fit(X, y, groups)
        self.__dict__.clear()  # ... and swapped in whole (feature_names_in_ gone after an
        self.__dict__.update(work.__dict__)  # array refit of a DataFrame-fitted model)
        return self

    def _fit(self, X, y, groups):
        """Train on a working copy (see :meth:`fit`), setting every fitted attribute."""
        from ._training import macro_f1_early_stopping, make_optimizer, seeded, validation_split

        check_params(self)  # before anything is trained (epochs=0: an untrained network)
        X = self._prepare(X, reset=True)
        y = check_labels(self, y, len(X))
        onehot = np.asarray(self._process_target(y, reset=True), dtype=np.float32)
        codes = onehot.argmax(axis=1)
        n_classes = len(self.classes_)
        seed = self._seed()
        with seeded(_keras, seed):  # the user's own NumPy / Python random state is kept
            train, val = validation_split(codes, groups, self.validation_fraction, seed,
                                          self.classes_)  # a class left out: named
            # without a validation split the rows are used as they are (no copy)
            X_train = X[train] if len(val) else X
            weights = class_weights(self, codes[train], n_classes)  # before a network is built
            model = self._build(X_train, n_classes, seed)
            model.compile(optimizer=make_optimizer(self.optimizer, self.learning_rate),
                          loss="categorical_crossentropy")
            callbacks = []
            if len(val):
                callbacks.append(macro_f1_early_stopping(X[val], codes[val], n_classes,
                                                         int(self.patience), int(self.batch_size),
                                                         self.min_delta))
            start = time.perf_counter()
            history = model.fit(X_train, onehot[train], epochs=int(self.epochs),
                                batch_size=int(self.batch_size), class_weight=weights,
                                callbacks=callbacks, verbose=self.verbose, shuffle=True)
        self.fit_seconds_ = time.perf_counter() - start
        self.history_ = {k: [float(v) for v in vals] for k, vals in history.history.items()}
        self.n_epochs_ = len(self.history_.get("loss", []))
        if callbacks:
            self.history_["val_macro_f1"] = callbacks[0].scores
            self.best_epoch_ = callbacks[0].best_epoch
        else:
            self.best_epoch_ = self.n_epochs_ - 1
        check_trained(self, model, self.history_.get("loss", []))  # NaN: one class predicted
        self.n_validation_ = len(val)
        self.model_ = model
        return self

    def predict_proba(self, X):
        """Class probabilities, columns in ``classes_`` order; rows sum to 1 in float64.

        The network's float32 softmax is renormalised after the cast (its rows
        are off by up to 1e-7, which scikit-learn's ``log_loss`` warns about).
        """
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "model_")
        X = self._prepare(X, reset=False)
        proba = self.model_.predict(X, batch_size=max(int(self.batch_size), 256), verbose=0)
        proba = np.asarray(proba, dtype=np.float64)
        return proba / proba.sum(axis=1, keepdims=True)

    def predict(self, X):
        """Predicted class labels."""
        proba = self.predict_proba(X)  # NotFittedError before fit, before classes_ is read
        return self.classes_[np.argmax(proba, axis=1)]

    def decision_function(self, X):
        """Scores centred on 0, for scikit-learn scorers and wrappers: log-probabilities.

        For two classes ``(n_samples,)``: the log-odds ``log p(classes_[1]) -
        log p(classes_[0])``, above 0 exactly where :meth:`predict` says
        ``classes_[1]`` (as ``OneVsRestClassifier`` and
        :class:`aufeat.AUClassifier` read it); for more classes
        ``(n_samples, n_classes)``, the log of :meth:`predict_proba`, whose
        argmax is :meth:`predict`'s. Ranking scorers (ROC-AUC) rank as on the
        probabilities.
        """
        proba = self.predict_proba(X)
        # a probability of exactly 0 (a saturated softmax) gives a large finite score, not -inf
        log_proba = np.log(np.maximum(proba, np.finfo(np.float64).tiny))
        return log_proba[:, 1] - log_proba[:, 0] if proba.shape[1] == 2 else log_proba

    #: ``est.save(path)``: :func:`aufeat.keras.save_keras` as a method (so that its
    #: warnings point at the caller's line).
    save = save_keras


class KerasCNNClassifier(_KerasClassifier):
    """A Keras CNN on aligned face images, as a scikit-learn classifier.

    ``X`` is a batch of grey ``(N, H, W)`` or colour ``(N, H, W, C)`` images, or a
    list of images; RGBA is blended on white into RGB, as aufeat's features do.

    Parameters
    ----------
    architecture : str or callable, default 'small-cnn'
        ``'small-cnn'`` (the JAFFE/CK+ study's network: Rescaling, Conv2D 32
        tanh, MaxPool, Dropout 0.3, Conv2D 64 relu, MaxPool, Dropout 0.3,
        Dense 64 sigmoid, Dropout 0.1, softmax), ``'vgg-small'`` (3 VGG
        blocks with batch normalisation), any ``keras.applications`` name
        (``'ResNet50'``, ``'DenseNet121'``, ``'MobileNetV2'``, ...; built with
        ``weights=None``, grey images repeated to 3 channels, pixels scaled as
        the family's ``preprocess_input`` does for its ImageNet weights), or
        ``f(input_shape, n_classes) -> keras.Model`` taking pixels in [0, 1] and
        ending in a softmax over the classes (``Dense(n_classes,
        activation='softmax')``; logits or a sigmoid are a ValueError in ``fit``),
        building a new network on each call: one that an earlier fit (of a clone,
        a fold) trained, returned again, is a ValueError.
    input_size : int or (int, int) or None, default 48
        Images are resized (area interpolation) to this size (at least 1 pixel, else
        a ValueError), each of a list of images of different sizes too; None keeps
        theirs (then all must be one size). ``'small-cnn'`` needs at least 10 pixels,
        ``'vgg-small'`` 8 (smaller is a ValueError in ``fit``).
    weights : str or path, optional
        A weights file for a ``keras.applications`` backbone (``include_top=False``
        weights); nothing is ever downloaded: ``'imagenet'`` or a missing file is
        a ValueError in ``fit``, as are any weights with ``'small-cnn'``,
        ``'vgg-small'`` or a function (load weights inside your function).
    augmentation : bool or dict, optional
        ``True`` = ``{'flip': True, 'shift': 0.1, 'rotation': 10, 'zoom': 0.1}``
        (shift and zoom as fractions, rotation in degrees); applied in training only.
        NumPy bools count as bools; anything but a bool, a dict or None (``1``) is
        an ``InvalidParameterError`` in ``fit``.
    epochs : int, default 50
        A whole float (2.0) reads as its int, as for ``batch_size``, ``patience``
        and an int ``random_state``; 2.5 is refused.
    batch_size : int, default 32
    optimizer : str, default 'adam'
    learning_rate : float, default 1e-3
    class_weight : 'balanced', dict or None, default 'balanced'
        'balanced': classes weighted inversely to their training frequency; a dict
        ``{class: weight}`` names classes of ``y`` (others weigh 1).
    validation_fraction : float, default 0.15
        Share of the training data (of its subjects, when ``fit`` gets
        ``groups``) held out for early stopping; 0 trains all ``epochs``.
    patience : int, default 6
        Epochs without a better validation macro-F1 before stopping; the best
        epoch's weights are kept.
    min_delta : float, default 0.001
        How much the macro-F1 must rise to count as better (the architecture
        study's rule: stop when it has not improved by 0.001 for 6 epochs).
    random_state : int, numpy.random.RandomState or None, default None
        Seeds Keras, NumPy and Python (``keras.utils.set_random_seed``) for
        ``fit``: the same seed gives the same network on the same machine (a
        RandomState gives the seed: a new one each fit, as in scikit-learn).
        NumPy's and Python's global random state are restored after ``fit``.
    verbose : int, default 0
        Keras' progress output (1 = a progress bar per epoch).

    Attributes
    ----------
    classes_ : ndarray
    model_ : keras.Model
    history_ : dict
        ``loss`` and ``val_macro_f1`` per epoch (the F1 averaged over the classes
        the validation rows show or the network predicts for them).
    best_epoch_, n_epochs_, epoch_ : int
    fit_seconds_ : float

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((40, 24, 24)); X[:20, 6:18, 6:18] += 1.0; X /= X.max()
    >>> y = np.repeat(["calm", "smile"], 20)
    >>> cnn = KerasCNNClassifier(input_size=None, epochs=5, validation_fraction=0,
    ...                          random_state=0).fit(X, y)
    >>> cnn.classes_.tolist(), cnn.predict_proba(X).shape, cnn.n_epochs_
    (['calm', 'smile'], (40, 2), 5)
    """

    _parameter_constraints = CNN_CONSTRAINTS

    def __init__(self, architecture="small-cnn", *, input_size=48, weights=None,
                 augmentation=None, epochs=50, batch_size=32, optimizer="adam",
                 learning_rate=1e-3, class_weight="balanced", validation_fraction=0.15,
                 patience=6, min_delta=1e-3, random_state=None, verbose=0):
        self.architecture = architecture
        self.input_size = input_size
        self.weights = weights
        self.augmentation = augmentation
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.class_weight = class_weight
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.min_delta = min_delta
        self.random_state = random_state
        self.verbose = verbose

    def _prepare(self, X, *, reset):
        from ._images import prepare_images

        X = prepare_images(X, self.input_size)
        if reset:
            self.input_shape_ = tuple(int(s) for s in X.shape[1:])
        elif X.shape[1:] != self.input_shape_:
            raise ValueError(f"images prepare to {X.shape[1:]} but the network was trained on "
                             f"{self.input_shape_} (H, W, channels); pass the same kind of "
                             "images as in fit")
        return X

    def _build(self, X_train, n_classes, seed):
        from ._architectures import build_image_model

        augmentation = self.augmentation  # a bool (np.True_ from a NumPy grid), dict or None
        if not isinstance(augmentation, dict):
            augmentation = _AUGMENT_DEFAULT if augmentation else None
        return build_image_model(self.architecture, self.input_shape_, n_classes,
                                 weights=self.weights, augmentation=augmentation or None,
                                 seed=seed)


class KerasMLPClassifier(_KerasClassifier):
    """A feed-forward network on feature vectors (the FER2013 study's FNN).

    Features are standardised by the network's first layer (a
    :class:`keras.layers.Normalization` adapted on the training data), so
    the saved model takes raw feature vectors.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default (256, 128)
        Widths of the hidden layers; one int is one layer (as in scikit-learn).
    activation : str, default 'relu'
    dropout : float or None, default 0.3
        After each hidden layer; 0 or None: no dropout.
    epochs, batch_size, optimizer, learning_rate, class_weight, validation_fraction, \
patience, min_delta, random_state, verbose
        As in :class:`KerasCNNClassifier`.

    A DataFrame's column names are kept in ``feature_names_in_`` and checked at predict
    time (other names or order: a ValueError), as by scikit-learn's estimators.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 5)); y = np.where(X[:, 0] > 0, "up", "down")
    >>> mlp = KerasMLPClassifier(epochs=30, validation_fraction=0, random_state=0).fit(X, y)
    >>> mlp.score(X, y) > 0.9
    True
    """

    _parameter_constraints = MLP_CONSTRAINTS

    def __init__(self, hidden_layer_sizes=(256, 128), *, activation="relu", dropout=0.3,
                 epochs=100, batch_size=32, optimizer="adam", learning_rate=1e-3,
                 class_weight="balanced", validation_fraction=0.15, patience=6,
                 min_delta=1e-3, random_state=None, verbose=0):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.class_weight = class_weight
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.min_delta = min_delta
        self.random_state = random_state
        self.verbose = verbose

    def _prepare(self, X, *, reset):
        X = feature_table(self, X, reset=reset)  # checks the column names, as scikit-learn
        if X.ndim != 2:
            raise ValueError(f"KerasMLPClassifier takes feature vectors (n_samples, "
                             f"n_features); got an array of shape {X.shape}. For images "
                             "use KerasCNNClassifier.")
        if X.shape[1] == 0:  # a network on no features trains and answers 1/n_classes
            raise ValueError(f"KerasMLPClassifier: found array with 0 feature(s) (shape="
                             f"{X.shape}) while a minimum of 1 is required (did a column "
                             "selection leave no features?)")
        if X.shape[0] == 0:  # Keras' predict on 0 rows fails half-way and loses the network
            raise ValueError(f"X has 0 samples (shape {X.shape}); KerasMLPClassifier needs at "
                             "least one (no face found in this batch? skip the call)")
        if not np.isfinite(X).all():
            raise ValueError("X contains NaN or inf; drop rows whose extraction failed first")
        if reset:
            self.n_features_in_ = X.shape[1]
        elif X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but KerasMLPClassifier is "
                             f"expecting {self.n_features_in_} features as input.")
        return X

    def _build(self, X_train, n_classes, seed):
        from ._architectures import build_mlp

        sizes = self.hidden_layer_sizes  # one int is one layer, as in MLPClassifier(64)
        return build_mlp(self.n_features_in_, n_classes,
                         hidden_layer_sizes=(sizes,) if np.ndim(sizes) == 0 else tuple(sizes),
                         activation=self.activation, dropout=self.dropout, X_train=X_train)
