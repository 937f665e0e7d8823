"""scikit-learn's parameter protocol, duck-typed: aufeat.face never imports scikit-learn.

``get_params``, ``set_params`` and the changed-parameters ``repr`` behave as
``sklearn.base.BaseEstimator``'s do for an estimator whose ``__init__`` takes
keyword parameters stored verbatim, none of them an estimator, so that
``sklearn.base.clone`` and ``Pipeline`` accept the class; ``__sklearn_tags__``
imports scikit-learn only when scikit-learn itself asks for the tags.
"""

from __future__ import annotations

import inspect

__all__ = ["ParamsMixin"]


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
