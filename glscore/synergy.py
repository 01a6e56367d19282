"""Synergy rules: what a (score, SoTA) cell contributes at Level-3 and above.

General-Level does not observe synergy; it *assumes* that a generalist that
matches or beats the SoTA specialist on a task shows it (the scoring
relaxation). A synergy rule makes that assumption explicit: a plain function

    rule(scores, sota, tasks, **params) -> credit

with ``scores`` the normalised model scores (models x tasks, NaN = not
supported), ``sota`` the normalised SoTA (tasks), ``tasks`` the tasks table,
returning per-cell credit on 0-100 (0 = no synergy shown). Register one with
:func:`register`; anywhere a rule is accepted a user may instead pass
``"package.module:function"``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from glscore.errors import InputError

RuleFunction = Callable[..., np.ndarray]

_REGISTRY: dict[str, RuleFunction] = {}


def register(name: str) -> Callable[[RuleFunction], RuleFunction]:
    """Decorator: make ``function`` available under ``name``."""

    def decorate(function: RuleFunction) -> RuleFunction:
        _REGISTRY[name] = function
        return function

    return decorate


def available() -> list[str]:
    """Names of the registered rules."""
    return sorted(_REGISTRY)


@dataclass(frozen=True)
class Rule:
    """A resolved rule: a function, its parameters and a display name."""

    name: str
    function: RuleFunction
    params: Mapping[str, float] = field(default_factory=dict)

    def credit(self, scores: np.ndarray, sota: np.ndarray, tasks: pd.DataFrame) -> np.ndarray:
        """Per-cell credit, with NaN (not supported) turned into 0."""
        out = np.asarray(self.function(scores, sota, tasks, **self.params), dtype=float)
        if out.shape != scores.shape:
            raise InputError(
                f"synergy rule '{self.name}' returned shape {out.shape}, expected {scores.shape}"
            )
        return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)

    @property
    def label(self) -> str:
        if not self.params:
            return self.name
        return self.name + "(" + ", ".join(f"{k}={v:g}" for k, v in self.params.items()) + ")"


def resolve(rule: str | Rule | RuleFunction | None,
            params: Mapping[str, float] | None = None) -> Rule:
    """A rule from a registered name, ``module:function``, a callable or a Rule."""
    params = dict(params or {})
    if rule is None:
        rule = "strict"
    if isinstance(rule, Rule):
        return Rule(rule.name, rule.function, {**rule.params, **params})
    if callable(rule):
        return Rule(getattr(rule, "__name__", "custom"), rule, params)
    if ":" in rule:
        module_name, _, attr = rule.partition(":")
        try:
            function = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            raise InputError(f"cannot load synergy rule '{rule}': {exc}") from None
        if not callable(function):
            raise InputError(f"synergy rule '{rule}' is not a function")
        return Rule(rule, function, params)
    if rule not in _REGISTRY:
        raise InputError(
            f"unknown synergy rule '{rule}'; choose one of {available()} or pass module:function"
        )
    return Rule(rule, _REGISTRY[rule], params)


def _wins(scores: np.ndarray, sota: np.ndarray) -> np.ndarray:
    """``score >= SoTA`` where both are known (False elsewhere)."""
    with np.errstate(invalid="ignore"):
        return np.isfinite(scores) & np.isfinite(sota) & (scores >= sota)


@register("strict")
def strict(scores: np.ndarray, sota: np.ndarray, tasks: pd.DataFrame) -> np.ndarray:
    """The published rule: ``credit = score if score >= SoTA else 0``.

    >>> strict(np.array([[50.0, 40.0, np.nan]]), np.array([45.0, 45.0, 10.0]), None)
    array([[50.,  0.,  0.]])
    """
    return np.where(_wins(scores, sota), scores, 0.0)


@register("none")
def none(scores: np.ndarray, sota: np.ndarray, tasks: pd.DataFrame) -> np.ndarray:
    """No relaxation: every supported score counts (Level-3 equals Level-2).

    >>> none(np.array([[50.0, np.nan]]), np.array([60.0, 1.0]), None)
    array([[50.,  0.]])
    """
    return np.nan_to_num(scores, nan=0.0)
