"""``SubjectSearch``: hyper-parameters chosen by subject-wise inner cross-validation.

Used by ``fer2013_baselines.py`` to tune its HOG + SVM and FNN baselines without letting a
test person, or an inner-validation person, into the data a candidate is fitted on.
"""
from __future__ import annotations

import numpy as np
from _common import fit_with_groups
from sklearn.base import BaseEstimator, ClassifierMixin, clone


def inner_splits(X, y, groups, folds, seed):
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    if groups is not None and len(np.unique(groups)) >= folds:
        return list(GroupKFold(n_splits=folds).split(X, y, groups))
    return list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(X, y))


class SubjectSearch(ClassifierMixin, BaseEstimator):
    """Choose hyper-parameters by subject-wise inner cross-validation, then refit on all.

    ``search='grid'`` is scikit-learn's ``GridSearchCV`` with ``GroupKFold`` (its inner
    fits get no subject ids, fine for models without early stopping). ``'optuna'``,
    ``'sklearn'`` (random search with ``ParameterSampler``) and ``'auto'`` (optuna when
    installed) run the loop here, so every inner fit gets its people as ``groups``: a Keras
    network then early-stops on people it does not train on. (GridSearchCV routes
    ``groups`` to fit too with ``sklearn.set_config(enable_metadata_routing=True)`` and
    ``.set_fit_request(groups=True)``; this loop works without routing.)
    """

    def __init__(self, estimator, space, *, search="auto", n_iter=4, folds=2,
                 random_state=0):
        self.estimator = estimator
        self.space = space
        self.search = search
        self.n_iter = n_iter
        self.folds = folds
        self.random_state = random_state

    def backend(self):
        if self.search in ("grid", "sklearn", "optuna"):
            return self.search
        try:
            import optuna  # noqa: F401
        except ImportError:
            return "sklearn"
        return "optuna"

    def fit(self, X, y, groups=None):
        X, y = np.asarray(X), np.asarray(y)
        splits = inner_splits(X, y, groups, self.folds, self.random_state)
        self.backend_ = self.backend()
        if self.backend_ != "grid" and self.n_iter < 1:
            raise ValueError(f"n_iter must be at least 1 (candidates to try), got {self.n_iter}")
        if self.backend_ == "grid":
            from sklearn.model_selection import GridSearchCV

            search = GridSearchCV(self.estimator, self.space, cv=splits, scoring="f1_macro")
            search.fit(X, y)
            self.trials_ = [(p, float(s)) for p, s in zip(
                search.cv_results_["params"], search.cv_results_["mean_test_score"],
                strict=True)]
        elif self.backend_ == "optuna":
            self.trials_ = self._optuna(X, y, groups, splits)
        else:
            from sklearn.model_selection import ParameterSampler

            candidates = ParameterSampler(self.space, n_iter=self.n_iter,
                                          random_state=self.random_state)
            self.trials_ = [(p, self._score(p, X, y, groups, splits)) for p in candidates]
        self.best_params_ = max(self.trials_, key=lambda t: t[1])[0]
        best = clone(self.estimator).set_params(**self.best_params_)
        self.best_estimator_ = fit_with_groups(best, X, y, groups)
        self.classes_ = self.best_estimator_.classes_
        return self

    def _score(self, params, X, y, groups, splits):
        """Mean macro-F1 of one candidate over the inner folds."""
        from sklearn.metrics import f1_score

        scores = []
        for train, test in splits:
            model = clone(self.estimator).set_params(**params)
            fit_with_groups(model, X[train], y[train],
                            None if groups is None else np.asarray(groups)[train])
            scores.append(f1_score(y[test], model.predict(X[test]), average="macro"))
        return float(np.mean(scores))

    def _optuna(self, X, y, groups, splits):
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        trials = []

        def objective(trial):
            # optuna's categorical choices must be plain values: choose by their text
            params = {}
            for name, choices in self.space.items():
                texts = [str(c) for c in choices]
                params[name] = choices[texts.index(trial.suggest_categorical(name, texts))]
            score = self._score(params, X, y, groups, splits)
            trials.append((params, score))
            return score

        sampler = optuna.samplers.TPESampler(seed=self.random_state)
        optuna.create_study(direction="maximize", sampler=sampler).optimize(
            objective, n_trials=self.n_iter)
        return trials

    def predict(self, X):
        return self.best_estimator_.predict(X)

    def predict_proba(self, X):
        return self.best_estimator_.predict_proba(X)
