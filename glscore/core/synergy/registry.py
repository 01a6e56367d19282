"""The rule registry, the :class:`Rule` type and :func:`resolve`.

A rule is registered under a name with :func:`register`; anywhere a rule is
accepted a user may instead pass ``"package.module:function"`` or the name of
a rule an installed package declares in the entry-point group
``glscore.rules``. :func:`resolve` turns any of these into a :class:`Rule`
(function, checked parameters, display name); :meth:`Rule.credit` is the one
way a rule is applied.

``module:function`` is imported from the folders the caller names
(``search_path``, searched first) and then from the import path; the core
never changes ``sys.path``. The command line and the notebook pipeline pass
the current folder and ``$GLSCORE_RULES_PATH``
(:mod:`glscore.pipeline.rules_path`). A module once loaded stays in
``sys.modules`` (Python's import cache), so a later :func:`resolve` of the
same name finds it.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.machinery
import importlib.util
import inspect
import math
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import EntryPoint
from numbers import Real
from types import ModuleType

import numpy as np

from glscore.core.synergy import wall
from glscore.core.synergy.context import Context
from glscore.errors import InputError

RuleFunction = Callable[..., np.ndarray]

#: Entry-point group under which installed packages declare rules.
ENTRY_POINT_GROUP = "glscore.rules"

_REGISTRY: dict[str, RuleFunction] = {}


def register(name: str) -> Callable[[RuleFunction], RuleFunction]:
    """Decorator: make ``function`` available under ``name``."""

    def decorate(function: RuleFunction) -> RuleFunction:
        _REGISTRY[name] = function
        return function

    return decorate


def is_builtin(function: RuleFunction) -> bool:
    """A rule of glscore's own (registered by a ``glscore.core.synergy`` module):
    the wall hands it read-only views rather than copies."""
    return (_REGISTRY.get(getattr(function, "__name__", "")) is function
            and str(getattr(function, "__module__", "")).startswith("glscore.core.synergy."))


def available() -> list[str]:
    """Names of the registered (built-in) rules."""
    return sorted(_REGISTRY)


def registered() -> dict[str, RuleFunction]:
    """The registered rules by name (a copy)."""
    return dict(_REGISTRY)


# --------------------------------------------------------------------------- signatures

#: A cell rule that declares this keyword-only parameter is given the pass's
#: winners mask (``score >= SoTA`` where both are known), computed once per
#: block for the counts as well; it is an input, not a parameter.
WINS_KEYWORD = "wins"


def _signature(function: RuleFunction) -> list[inspect.Parameter] | None:
    """The parameters of ``function`` (``None`` if it has no signature), read
    once per function (a rule is applied once per block of rows)."""
    try:
        return _cached_signature(function)
    except TypeError:  # an unhashable callable
        return _read_signature(function)


@lru_cache(maxsize=256)
def _cached_signature(function: RuleFunction) -> list[inspect.Parameter] | None:
    return _read_signature(function)


def _read_signature(function: RuleFunction) -> list[inspect.Parameter] | None:
    try:
        return list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return None


def takes_context(function: RuleFunction) -> bool:
    """A context rule's first parameter is named ``context``."""
    params = _signature(function)
    return bool(params) and params[0].name == "context"  # type: ignore[index]


def takes_wins(function: RuleFunction) -> bool:
    """A cell rule that takes the pass's winners mask (keyword-only ``wins``)."""
    return any(p.name == WINS_KEYWORD and p.kind is p.KEYWORD_ONLY
               for p in _signature(function) or ())


def rule_parameters(function: RuleFunction) -> dict[str, float | None]:
    """The rule's own parameters and their defaults (``None``: no default).

    The inputs (``scores, sota, tasks`` or ``context``, and a cell rule's
    keyword-only ``wins``) are left out.
    """
    params = _signature(function)
    if params is None:
        return {}
    params = params[1:] if takes_context(function) else params[3:]
    return {p.name: (None if p.default is inspect.Parameter.empty else p.default)
            for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
            and not (p.name == WINS_KEYWORD and p.kind is p.KEYWORD_ONLY)}


def _accepts_any_keyword(function: RuleFunction) -> bool:
    with contextlib.suppress(TypeError, ValueError):
        return any(p.kind is p.VAR_KEYWORD
                   for p in inspect.signature(function).parameters.values())
    return False


def json_default(value: object) -> float | str | None:
    """A parameter default as JSON can hold it: a finite number, None or its repr.

    >>> json_default(2), json_default(None), json_default(float("inf"))
    (2.0, None, 'inf')
    """
    if value is None:
        return None
    if isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return repr(value)


def format_parameters(params: Mapping[str, object]) -> str:
    """``{"tau": 0.05, "k": 10}`` -> ``"tau=0.05, k=10"`` (a name alone: no default).

    >>> format_parameters({"tau": 0.05, "x": None})
    'tau=0.05, x'
    """
    out = []
    for key, value in params.items():
        shown = json_default(value)
        out.append(key if shown is None else f"{key}={shown:g}" if isinstance(shown, float)
                   else f"{key}={shown}")
    return ", ".join(out)


def describe_parameters(function: RuleFunction) -> str:
    """``"tau=0.05, k=10"`` (``"none"`` for a rule without parameters)."""
    return format_parameters(rule_parameters(function)) or "none"


def check_params(name: str, function: RuleFunction,
                 params: Mapping[str, object]) -> dict[str, float]:
    """``params`` as floats, if each is a finite number the rule takes.

    Anything else raises :class:`InputError` naming the rule's parameters and
    their defaults.
    """
    known = rule_parameters(function)
    out = {}
    for key, value in params.items():
        if key not in known and not _accepts_any_keyword(function):
            raise InputError(f"synergy rule '{name}' has no parameter '{key}'; its "
                             f"parameters: {describe_parameters(function)}")
        if (isinstance(value, bool) or not isinstance(value, Real)
                or not math.isfinite(float(value))):
            raise InputError(f"synergy rule '{name}': parameter {key}={value!r} is not a finite "
                             f"number; its parameters: {describe_parameters(function)}")
        out[str(key)] = float(value)
    return out


# --------------------------------------------------------------------------- the rule

@dataclass(frozen=True)
class Rule:
    """A resolved rule: a function, its parameters and a display name."""

    name: str
    function: RuleFunction
    params: Mapping[str, float] = field(default_factory=dict)

    @property
    def takes_context(self) -> bool:
        return takes_context(self.function)

    def same_as(self, other: Rule) -> bool:
        """The same function with the same parameters (so the same credit)."""
        return self.function is other.function and dict(self.params) == dict(other.params)

    def credit(self, context: Context) -> np.ndarray:
        """Per-cell credit on 0-100 (models x tasks), NaN turned into 0.

        The one way a rule is applied (the scoring pass, ``Scoring.with_rule``
        and the ablation all come here): a per-cell rule is called as
        ``function(context.scores, context.sota, context.tasks, **params)``
        (with ``wins=context.winners()`` when it declares the keyword-only
        ``wins``), a context rule as ``function(context, **params)``, both
        behind the wall of :mod:`glscore.core.synergy.wall` (read-only copies
        in, printing to standard error, every failure one line naming the
        rule, the credit checked: numeric, finite, between 0 and the score).

        >>> import pandas as pd
        >>> ctx = Context(pd.DataFrame({"x": [1, 2]}), np.array([[50.0, np.nan]]),
        ...               np.array([40.0, 40.0]))
        >>> resolve("strict").credit(ctx)
        array([[50.,  0.]])
        """
        if not isinstance(context, Context):
            raise InputError(f"synergy rule '{self.name}': credit takes a Context "
                             f"(tasks, normalised scores and SoTA, model ids), got "
                             f"{type(context).__name__}")
        return wall.call_rule(self.name, self.function, context, dict(self.params),
                              self.takes_context, is_builtin(self.function),
                              takes_wins(self.function))

    @property
    def label(self) -> str:
        if not self.params:
            return self.name
        return self.name + "(" + ", ".join(f"{k}={v:g}" for k, v in self.params.items()) + ")"


# --------------------------------------------------------------------------- resolution

@lru_cache(maxsize=1)
def entry_point_rules() -> dict[str, EntryPoint]:
    """Installed ``glscore.rules`` entry points by name (read once per process)."""
    from importlib.metadata import entry_points

    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(ep.name, ep)
    return found


def load_entry_point(ep: EntryPoint) -> RuleFunction:
    """The function an entry point names; an :class:`InputError` if it cannot load
    (any exception or ``SystemExit`` while importing; printing goes to standard error)."""
    function = wall.guarded(f"cannot load synergy rule '{ep.name}' (entry point {ep.value})",
                            ep.load)
    if not callable(function):
        raise InputError(f"synergy rule '{ep.name}' (entry point {ep.value}) is not a function")
    return function  # type: ignore[no-any-return]


def _import(module_name: str, search_path: Sequence[str]) -> ModuleType:
    """Import ``module_name``, its top-level package looked for in
    ``search_path`` first (as if those folders led ``sys.path``, which stays as
    it is), then on the import path."""
    top = module_name.partition(".")[0]
    if search_path and top not in sys.modules:
        spec = importlib.machinery.PathFinder.find_spec(top, list(search_path))
        if spec is not None and spec.loader is not None:
            module = importlib.util.module_from_spec(spec)
            sys.modules[top] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                del sys.modules[top]
                raise
    return importlib.import_module(module_name)


#: ``package.module:function`` (the function may be an attribute path, ``mod:Class.method``).
_TARGET = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


def _load_target(rule: str, search_path: Sequence[str]) -> RuleFunction:
    if not _TARGET.fullmatch(rule):
        raise InputError(f"synergy rule '{rule}': expected a registered name or "
                         "package.module:function (letters, digits and underscores)")
    module_name, _, attr = rule.partition(":")

    def load() -> object:
        return functools.reduce(getattr, attr.split("."), _import(module_name, search_path))

    function = wall.guarded(f"cannot load synergy rule '{rule}'", load)
    if not callable(function):
        raise InputError(f"synergy rule '{rule}' is not a function")
    return function  # type: ignore[no-any-return]


def check_signature(name: str, function: RuleFunction, params: Mapping[str, float]) -> None:
    """The rule can be called as the pass calls it: ``function(scores, sota, tasks,
    **params)`` or, for a context rule, ``function(context, **params)``; else an
    :class:`InputError` showing its signature. Callables without an inspectable
    signature are taken as they are (their call is still guarded)."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return
    inputs = (None,) if takes_context(function) else (None, None, None)
    try:
        signature.bind(*inputs, **params)
    except TypeError as exc:
        form = ("f(context, **params)" if takes_context(function)
                else "f(scores, sota, tasks, **params)")
        raise InputError(f"synergy rule '{name}' cannot be called as {form}: its signature is "
                         f"{name.rpartition(':')[2]}{signature} ({exc})") from None


def resolve(rule: str | Rule | RuleFunction | None,
            params: Mapping[str, float] | None = None,
            search_path: Sequence[str] = ()) -> Rule:
    """A rule from a registered name, an entry-point name, ``module:function``,
    a callable or a Rule; ``params`` must be finite numbers the rule takes.

    ``search_path``: folders where ``module:function`` is looked for before the
    import path (the command line passes the current folder and
    ``$GLSCORE_RULES_PATH``).
    """
    params = dict(params or {})
    if rule is None:
        rule = "strict"
    eps: dict[str, EntryPoint] = {}
    if isinstance(rule, Rule):
        name, function, params = rule.name, rule.function, {**rule.params, **params}
    elif callable(rule):
        name, function = getattr(rule, "__name__", "custom"), rule
    elif ":" in rule:
        name, function = rule, _load_target(rule, search_path)
    elif rule in _REGISTRY:
        name, function = rule, _REGISTRY[rule]
    elif rule in (eps := entry_point_rules()):
        name, function = rule, load_entry_point(eps[rule])
    else:
        raise InputError(
            f"unknown synergy rule '{rule}'; choose one of {sorted({*_REGISTRY, *eps})} "
            "(`glscore rules` lists them) or pass module:function"
        )
    checked = check_params(name, function, params)
    check_signature(name, function, checked)
    return Rule(name, function, checked)
