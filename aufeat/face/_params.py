"""scikit-learn's parameter protocol, duck-typed: aufeat.face never imports scikit-learn.

``get_params``, ``set_params`` and the changed-parameters ``repr`` behave as
``sklearn.base.BaseEstimator``'s do for an estimator whose ``__init__`` takes
keyword parameters stored verbatim, none of them an estimator, so that
``sklearn.base.clone`` and ``Pipeline`` accept the class (``set_output`` and
``get_feature_names_out`` too: crops pass through unnamed); ``__sklearn_tags__``
imports scikit-learn only when scikit-learn itself asks for the tags.
"""

from __future__ import annotations

import inspect

__all__ = ["ParamsMixin", "check_choice", "check_choices", "plain"]


def plain(value):
    """Return a NumPy scalar as the Python value it holds (``np.int64(68)`` -> 68).

    Grids built with NumPy (``np.array([68, 5])``, ``np.arange``) give such scalars.
    """
    import numpy as np

    return value.item() if isinstance(value, np.generic) else value


def check_choice(name: str, value, allowed: tuple):
    """Return ``value`` as the allowed value it is; raise ValueError if it is none of them.

    A value must be one of them with the same type (``1`` is not ``True``, the
    string ``'no'`` not ``False``); NumPy scalars count as the values they hold.

    >>> import numpy as np
    >>> check_choice("refine", np.True_, (True, False, "auto"))
    True
    """
    plain_value = plain(value)
    if not any(plain_value is a or (type(plain_value) is type(a) and plain_value == a)
               for a in allowed):
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return plain_value


def check_choices(estimator, choices: dict) -> None:
    """Raise ValueError for a parameter of ``estimator`` that is none of its allowed values.

    Each as :func:`check_choice` checks it.
    """
    for name, allowed in choices.items():
        check_choice(name, getattr(estimator, name), allowed)


class ParamsMixin:
    """``get_params`` / ``set_params`` / ``repr`` from the ``__init__`` signature."""

    @classmethod
    def _get_param_names(cls) -> list[str]:
        return sorted(p for p in inspect.signature(cls.__init__).parameters if p != "self")

    def get_params(self, deep: bool = True) -> dict:
        """Return the constructor parameters (scikit-learn API).

        No parameter is an estimator, so ``deep`` changes nothing.
        """
        return {name: getattr(self, name) for name in self._get_param_names()}

    def set_params(self, **params):
        """Set constructor parameters (scikit-learn API); return self."""
        valid = self._get_param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"invalid parameter {name!r} for {type(self).__name__}; "
                                 f"valid parameters are {valid}")
            setattr(self, name, value)
        return self

    def set_output(self, *, transform=None):
        """Accept scikit-learn's ``set_output`` and return self: crops are images, not tables.

        ``Pipeline.set_output(transform='pandas')`` configures every step; the crops
        stay arrays, and the steps after them return the configured containers.
        """
        return self

    def get_feature_names_out(self, input_features=None):
        """Return None: crops are images, not named columns (scikit-learn API).

        ``Pipeline.get_feature_names_out`` passes this on to the next step, which
        then names its own features (aufeat's extractors: ``hogextractor0``, ...).
        """
        return None

    def __sklearn_tags__(self):
        """Return scikit-learn's tags (imported here, when scikit-learn asks for them).

        A transformer of images (3-D / 4-D arrays, lists of paths) that learns nothing.
        """
        from sklearn.utils import InputTags, Tags, TargetTags, TransformerTags

        return Tags(estimator_type=None, target_tags=TargetTags(required=False),
                    transformer_tags=TransformerTags(),
                    input_tags=InputTags(two_d_array=False, three_d_array=True),
                    requires_fit=False)

    def __repr__(self) -> str:
        """Return ``Name(param=value, ...)`` with the parameters that differ from the defaults."""
        defaults = {name: p.default for name, p
                    in inspect.signature(type(self).__init__).parameters.items()}
        changed = [f"{k}={v!r}" for k, v in self.get_params().items()
                   if repr(v) != repr(defaults[k])]
        return f"{type(self).__name__}({', '.join(changed)})"
