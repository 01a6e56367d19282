"""Synergy rules: what a (score, SoTA) cell contributes at Level-3 and above.

General-Level does not observe synergy; it *assumes* that a generalist that
matches or beats the SoTA specialist on a task shows it (the scoring
relaxation). A synergy rule makes that assumption explicit. It has one of
two forms:

* per cell, ``rule(scores, sota, tasks, **params) -> credit``, with
  ``scores`` the normalised model scores (models x tasks, NaN = not
  supported), ``sota`` the normalised SoTA (tasks), ``tasks`` the tasks table;
* with context, ``rule(context, **params) -> credit`` (the first parameter is
  named ``context``): a :class:`Context` holds the tasks table, the whole
  normalised matrix and SoTA row, the model ids, the model metadata (for
  example each model's base language model) and a per-task noise array, so a
  rule may compare a model with another model or with the measured noise.

Either returns per-cell credit on 0-100 (models x tasks; 0 = no synergy
shown). Parameters are keyword arguments with numeric defaults. Register a
rule with :func:`register`; anywhere a rule is accepted a user may instead
pass ``"package.module:function"`` (the module is looked for in the current
folder too, and in the folders of ``$GLSCORE_RULES_PATH``), or the name of a
rule that an installed package declares in the entry-point group
``glscore.rules``. :func:`catalogue` lists them all.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import math
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from numbers import Real

import numpy as np
import pandas as pd

from glscore import paths
from glscore.core import levels
from glscore.errors import InputError

RuleFunction = Callable[..., np.ndarray]

#: Entry-point group under which installed packages declare rules.
ENTRY_POINT_GROUP = "glscore.rules"
#: Extra folders (``os.pathsep``-separated) searched for ``module:function`` rules.
RULES_PATH_ENV = "GLSCORE_RULES_PATH"
#: Evidence tiers of a ``base_model_id`` link (``data/models.csv``), strongest first;
#: ``external`` (a base named by the model's own paper, not by Table 4) comes last.
BASE_TIERS: Mapping[str, int] = {"exact": 1, "version": 2, "sibling": 3, "external": 4}

_REGISTRY: dict[str, RuleFunction] = {}


def register(name: str) -> Callable[[RuleFunction], RuleFunction]:
    """Decorator: make ``function`` available under ``name``."""

    def decorate(function: RuleFunction) -> RuleFunction:
        _REGISTRY[name] = function
        return function

    return decorate


def available() -> list[str]:
    """Names of the registered (built-in) rules."""
    return sorted(_REGISTRY)


# --------------------------------------------------------------------------- context

@dataclass(frozen=True, eq=False)
class Context:
    """What a context rule sees: the whole pass, not one cell.

    ``tasks`` (the tasks table), ``scores`` (normalised, models x tasks, NaN =
    not supported), ``sota`` (normalised, tasks), ``models`` (ids, one per
    row of ``scores``), ``metadata`` (one row per model: a ``model_id`` column
    or index, and where known ``base_model_id`` and ``base_tier``; default:
    ``data/models.csv``), ``noise`` (the noise of each task in normalised
    points, NaN = not measured; default: see :attr:`task_noise`).
    """

    tasks: pd.DataFrame
    scores: np.ndarray
    sota: np.ndarray
    models: tuple[str, ...] = ()
    metadata: pd.DataFrame | None = None
    noise: np.ndarray | None = None

    @cached_property
    def model_table(self) -> pd.DataFrame:
        """``metadata`` with one row per model of ``models``, in that order
        (rows of unknown models are empty)."""
        meta = self.metadata if self.metadata is not None else default_metadata()
        if "model_id" in meta.columns:
            meta = meta.set_index("model_id")
        doubled = meta.index[meta.index.duplicated()].unique().tolist()
        if doubled:
            raise InputError(f"model metadata: model_id {doubled[0]!r} appears more than once")
        return meta.reindex(pd.Index(list(self.models), name="model_id"))

    def base_rows(self, max_tier: float = 3) -> np.ndarray:
        """Row of each model's base model in ``scores``, -1 where none.

        A link counts when its evidence tier (1 exact, 2 version, 3 sibling,
        4 external; :data:`BASE_TIERS`) is at most ``max_tier`` and the base is one of
        ``models`` other than the model itself.
        """
        n = self.scores.shape[0]
        if len(self.models) != n or "base_model_id" not in self.model_table.columns:
            return np.full(n, -1)
        table = self.model_table
        base = table["base_model_id"].fillna("").astype(str).to_numpy()
        named = (table["base_tier"].fillna("").astype(str) if "base_tier" in table.columns
                 else pd.Series("", index=table.index))
        unknown = named[(named != "") & ~named.isin(list(BASE_TIERS))]
        if len(unknown):
            raise InputError(f"model metadata: base_tier {unknown.iloc[0]!r} of model "
                             f"{unknown.index[0]!r} is not one of {list(BASE_TIERS)}")
        tier = named.map(BASE_TIERS).to_numpy(dtype=float)
        rows = pd.Index(list(self.models)).get_indexer(base)
        rows[(base == "") | ~(tier <= max_tier) | (rows == np.arange(n))] = -1
        return rows

    @cached_property
    def task_noise(self) -> np.ndarray:
        """``noise`` checked: one non-negative value per task (NaN = unknown).

        Default: :func:`binomial_noise` at the SoTA with the noise scale
        measured in the paper's own results (:func:`measured_noise_scale`).
        """
        if self.noise is None:
            return binomial_noise(self.sota, measured_noise_scale())
        noise = np.asarray(self.noise, dtype=float)
        if noise.shape != (len(self.tasks),):
            raise InputError(f"noise has shape {noise.shape}, expected ({len(self.tasks)},)")
        if (noise < 0).any() or np.isinf(noise).any():
            raise InputError("noise must be finite and >= 0 (NaN = not measured)")
        return noise


def binomial_noise(values: np.ndarray, c: float) -> np.ndarray:
    """The noise (SD, normalised points) of one measurement at ``values``:
    ``sigma = c * sqrt(x (100 - x))`` (0 outside [0, 100], NaN stays NaN).

    The shape of the noise the paper's repeated cells show
    (:mod:`glscore.analysis.noise`): small near 0 and 100, largest at 50.

    >>> binomial_noise(np.array([50.0, 90.0, np.nan]), 0.1)
    array([ 5.,  3., nan])
    """
    x = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        return float(c) * np.sqrt(np.clip(x * (100.0 - x), 0.0, None))


#: Where the default noise scale comes from (see :func:`register_noise_scale`).
_NOISE_SCALE: dict[str, Callable[[], float]] = {}


def register_noise_scale(function: Callable[[], float]) -> Callable[[], float]:
    """Decorator: ``function() -> c`` gives the default noise scale of
    :attr:`Context.task_noise`. The analysis layer registers the scale it
    measures on the paper's repeated cells
    (:func:`glscore.analysis.noise.measured_noise_scale`), so the core never
    imports an analysis."""
    _NOISE_SCALE["measured"] = function
    return function


def measured_noise_scale() -> float:
    """The registered noise scale ``c`` (:func:`register_noise_scale`); an
    :class:`InputError` when none is registered."""
    provider = _NOISE_SCALE.get("measured")
    if provider is None:
        raise InputError("no noise scale is registered: import glscore.analysis.noise, or "
                         "give the rule's context a per-task noise")
    return float(provider())


def default_metadata() -> pd.DataFrame:
    """``data/models.csv`` as text columns (an empty table if it is absent)."""
    if not paths.MODELS_CSV.is_file():
        return pd.DataFrame({"model_id": []})
    return pd.read_csv(paths.MODELS_CSV, dtype=str, keep_default_na=False)


# --------------------------------------------------------------------------- rules

def takes_context(function: RuleFunction) -> bool:
    """A context rule's first parameter is named ``context``."""
    try:
        first = next(iter(inspect.signature(function).parameters), None)
    except (TypeError, ValueError):
        return False
    return first == "context"


def rule_parameters(function: RuleFunction) -> dict[str, float | None]:
    """The rule's own parameters and their defaults (``None``: no default).

    The inputs (``scores, sota, tasks`` or ``context``) are left out.
    """
    try:
        params = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return {}
    params = params[1:] if takes_context(function) else params[3:]
    return {p.name: (None if p.default is inspect.Parameter.empty else p.default)
            for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}


def _accepts_any_keyword(function: RuleFunction) -> bool:
    with contextlib.suppress(TypeError, ValueError):
        return any(p.kind is p.VAR_KEYWORD
                   for p in inspect.signature(function).parameters.values())
    return False


def _json_default(value: object) -> float | str | None:
    """A parameter default as JSON can hold it: a finite number, None or its repr."""
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
        shown = _json_default(value)
        out.append(key if shown is None else f"{key}={shown:g}" if isinstance(shown, float)
                   else f"{key}={shown}")
    return ", ".join(out)


def describe_parameters(function: RuleFunction) -> str:
    """``"tau=0.05, k=10"`` (``"none"`` for a rule without parameters)."""
    return format_parameters(rule_parameters(function)) or "none"


@dataclass(frozen=True)
class Rule:
    """A resolved rule: a function, its parameters and a display name."""

    name: str
    function: RuleFunction
    params: Mapping[str, float] = field(default_factory=dict)

    @property
    def takes_context(self) -> bool:
        return takes_context(self.function)

    def credit(self, scores: np.ndarray, sota: np.ndarray, tasks: pd.DataFrame,
               context: Context | None = None) -> np.ndarray:
        """Per-cell credit, with NaN (not supported) turned into 0.

        A context rule gets ``context`` (default: one built from ``scores``,
        ``sota`` and ``tasks`` alone, with no model ids).
        """
        if self.takes_context:
            context = Context(tasks, scores, sota) if context is None else context
            out = np.asarray(self.function(context, **self.params), dtype=float)
        else:
            out = np.asarray(self.function(scores, sota, tasks, **self.params), dtype=float)
        if out.shape != scores.shape:
            raise InputError(
                f"synergy rule '{self.name}' returned shape {out.shape}, expected {scores.shape}"
            )
        # Non-finite credit (NaN = not supported, +-inf) becomes 0; the common
        # case, a rule that already returns finite credit, costs one scan.
        finite = np.isfinite(out)
        if finite.all() and not np.may_share_memory(out, scores):
            return out
        return np.where(finite, out, 0.0)

    @property
    def label(self) -> str:
        if not self.params:
            return self.name
        return self.name + "(" + ", ".join(f"{k}={v:g}" for k, v in self.params.items()) + ")"


def check_params(name: str, function: RuleFunction, params: Mapping[str, object]) -> dict:
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


def parse_params(pairs: Sequence[str], rule: str | None = None,
                 where: str = "--param") -> dict[str, float]:
    """``["tau=0.1", "k=5"]`` -> ``{"tau": 0.1, "k": 5.0}`` (finite numbers only).

    A malformed pair raises :class:`InputError` naming ``where`` and, when
    ``rule`` resolves, the rule's parameters and defaults.
    """
    params = {}
    for pair in pairs:
        key, sep, value = (part.strip() for part in pair.partition("="))
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not sep or not key or not math.isfinite(number):
            hint = ""
            if rule:
                with contextlib.suppress(InputError):
                    hint = (f"; '{rule}' takes: "
                            f"{describe_parameters(resolve(rule).function)}")
            raise InputError(f"{where} '{pair}': expected KEY=NUMBER (a finite number){hint}")
        params[key] = number
    return params


def parse_spec(spec: str, where: str = "rule") -> tuple[str, dict[str, float]]:
    """``"soft,k=5"`` -> ``("soft", {"k": 5.0})``; a bare name has no parameters.

    The one syntax of a rule with parameters (``glscore ablate --rules``, the
    ``extra_rule`` parameter of notebook 04).

    >>> parse_spec("margin,tau=0.1")
    ('margin', {'tau': 0.1})
    """
    name, *pairs = [part.strip() for part in str(spec).split(",")]
    if not name:
        raise InputError(f"{where} '{spec}': expected NAME[,KEY=VALUE...]")
    return name, parse_params(pairs, name, where=f"{where} '{spec}':")


# --------------------------------------------------------------------------- resolution

def _search_dirs() -> list[str]:
    """Folders searched first for a ``module:function`` rule: those of
    ``$GLSCORE_RULES_PATH``, then the current folder (as ``python -m`` does)."""
    extra = [p for p in os.environ.get(RULES_PATH_ENV, "").split(os.pathsep) if p]
    return [os.path.abspath(p) for p in extra] + [os.getcwd()]


@contextlib.contextmanager
def _rule_dirs_on_path() -> Iterator[None]:
    added = _search_dirs()
    sys.path[:0] = added
    try:
        yield
    finally:
        for folder in added:
            with contextlib.suppress(ValueError):
                sys.path.remove(folder)


def kernel_environment() -> dict[str, str]:
    """``$GLSCORE_RULES_PATH`` for a child process (a notebook kernel) that runs
    in another folder: the caller's current folder first, then the caller's own
    ``$GLSCORE_RULES_PATH``, so that both find the same rule modules."""
    *extra, here = _search_dirs()
    return {RULES_PATH_ENV: os.pathsep.join([here, *extra])}


@lru_cache(maxsize=1)
def _entry_points() -> dict:
    """Installed ``glscore.rules`` entry points by name (read once per process)."""
    from importlib.metadata import entry_points

    found: dict = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(ep.name, ep)
    return found


def _load_entry_point(ep) -> RuleFunction:
    try:
        function = ep.load()
    except Exception as exc:
        raise InputError(f"cannot load synergy rule '{ep.name}' (entry point "
                         f"{ep.value}): {type(exc).__name__}: {exc}") from None
    if not callable(function):
        raise InputError(f"synergy rule '{ep.name}' (entry point {ep.value}) is not a function")
    return function


def _load_target(rule: str) -> RuleFunction:
    module_name, _, attr = rule.partition(":")
    try:
        with _rule_dirs_on_path():
            function = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise InputError(f"cannot load synergy rule '{rule}': {exc}") from None
    if not callable(function):
        raise InputError(f"synergy rule '{rule}' is not a function")
    return function


def resolve(rule: str | Rule | RuleFunction | None,
            params: Mapping[str, float] | None = None) -> Rule:
    """A rule from a registered name, an entry-point name, ``module:function``,
    a callable or a Rule; ``params`` must be finite numbers the rule takes."""
    params = dict(params or {})
    if rule is None:
        rule = "strict"
    if isinstance(rule, Rule):
        name, function, params = rule.name, rule.function, {**rule.params, **params}
    elif callable(rule):
        name, function = getattr(rule, "__name__", "custom"), rule
    elif ":" in rule:
        name, function = rule, _load_target(rule)
    elif rule in _REGISTRY:
        name, function = rule, _REGISTRY[rule]
    elif rule in (eps := _entry_points()):
        name, function = rule, _load_entry_point(eps[rule])
    else:
        raise InputError(
            f"unknown synergy rule '{rule}'; choose one of {sorted({*_REGISTRY, *eps})} "
            "(`glscore rules` lists them) or pass module:function"
        )
    return Rule(name, function, check_params(name, function, params))


@dataclass(frozen=True)
class RuleInfo:
    """One line of :func:`catalogue`."""

    name: str
    source: str        # "built-in" or "entry point <distribution>"
    target: str        # module:function
    form: str          # "cell" or "context"
    formula: str       # the docstring's first paragraph
    params: dict[str, float | None]
    note: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "source": self.source, "target": self.target,
                "form": self.form, "formula": self.formula,
                "params": {k: _json_default(v) for k, v in self.params.items()},
                "note": self.note}


def _info(name: str, source: str, target: str, function: RuleFunction, note: str = ""
          ) -> RuleInfo:
    doc = inspect.getdoc(function) or ""
    formula = " ".join(doc.split("\n\n", 1)[0].split())
    return RuleInfo(name, source, target, "context" if takes_context(function) else "cell",
                    formula, rule_parameters(function), note)


def catalogue() -> list[RuleInfo]:
    """Every rule available by name: built-ins, then installed entry points.

    An entry point whose name is a built-in's is listed with a note (the
    built-in wins); one that fails to load is listed with the error.
    """
    out = [_info(n, "built-in", f"{f.__module__}:{f.__qualname__}", f)
           for n, f in sorted(_REGISTRY.items())]
    for name, ep in sorted(_entry_points().items()):
        dist = getattr(getattr(ep, "dist", None), "name", None) or "?"
        source = f"entry point {dist}"
        try:
            function = _load_entry_point(ep)
        except InputError as exc:
            out.append(RuleInfo(name, source, ep.value, "?", "", {}, f"not loadable: {exc}"))
            continue
        note = "not used: a built-in rule has this name" if name in _REGISTRY else ""
        out.append(_info(name, source, ep.value, function, note))
    return out


@register("strict")
def strict(scores: np.ndarray, sota: np.ndarray, tasks: pd.DataFrame) -> np.ndarray:
    """The published rule: ``credit = score if score >= SoTA else 0``.

    >>> strict(np.array([[50.0, 40.0, np.nan]]), np.array([45.0, 45.0, 10.0]), None)
    array([[50.,  0.,  0.]])
    """
    return levels.strict_credit(scores, sota)


@register("none")
def none(scores: np.ndarray, sota: np.ndarray, tasks: pd.DataFrame) -> np.ndarray:
    """No relaxation: every supported score counts (Level-3 equals Level-2).

    >>> none(np.array([[50.0, np.nan]]), np.array([60.0, 1.0]), None)
    array([[50.,  0.]])
    """
    return np.nan_to_num(scores, nan=0.0)


# --------------------------------------------------------------------------- relaxations
#
# Every rule below takes normalised (0-100, higher-is-better) inputs. A cell
# whose score or SoTA is NaN earns 0 credit (``none`` only needs the score).
# Credit never exceeds the score, so Level-3 <= Level-2 keeps holding.


MAX_SCORE = 100.0
"""The top of the normalised 0-100 scale."""


def _known(scores: np.ndarray, sota: np.ndarray) -> np.ndarray:
    """Cells where both the score and the task's SoTA are finite."""
    return np.isfinite(scores) & np.isfinite(sota)


def _relative_gap(scores: np.ndarray, sota: np.ndarray) -> np.ndarray:
    """``(score - SoTA) / SoTA``; for a SoTA of 0: ``+inf`` above it, 0 at it.

    >>> _relative_gap(np.array([[55.0, 5.0, 0.0]]), np.array([50.0, 0.0, 0.0]))
    array([[0.1, inf, 0. ]])
    """
    diff = scores - sota
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        gap = diff / np.abs(sota)
    zero = sota == 0
    return np.where(zero, np.where(diff > 0, np.inf, np.where(diff < 0, -np.inf, 0.0)), gap)


def _logistic(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))`` without overflow warnings (``x = +-inf`` gives 1, 0)."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


@register("margin")
def margin(scores: np.ndarray, sota: np.ndarray, tasks: pd.DataFrame,
           tau: float = 0.05) -> np.ndarray:
    """Win by a relative margin: ``credit = score if score >= min(SoTA (1 + tau), 100)
    else 0`` (threshold ``SoTA + tau |SoTA|``, capped at the top of the 0-100 scale).

    Why: a generalist that merely ties the specialist may be within
    measurement noise; ``tau > 0`` demands a clear win, ``tau < 0`` is a
    tolerance (a score within ``|tau|`` of the SoTA already counts). ``tau = 0``
    is ``strict``. No normalised score exceeds 100, so without the cap a task
    whose SoTA is above ``100 / (1 + tau)`` (every task with SoTA = 100) could
    never be won; capped, such a task is won by a perfect score only, as
    under ``strict`` when SoTA = 100.

    >>> margin(np.array([[52.0, 56.0, 48.0]]), np.array([50.0, 50.0, 50.0]), None, tau=0.1)
    array([[ 0., 56.,  0.]])
    >>> margin(np.array([[48.0]]), np.array([50.0]), None, tau=-0.05)
    array([[48.]])
    >>> margin(np.array([[100.0, 99.0]]), np.array([100.0, 95.0]), None, tau=0.1)
    array([[100.,   0.]])
    """
    threshold = sota + float(tau) * np.abs(sota)
    if tau > 0:
        threshold = np.minimum(threshold, MAX_SCORE)
    with np.errstate(invalid="ignore"):
        win = _known(scores, sota) & (scores >= threshold)
    return np.where(win, scores, 0.0)


@register("soft")
def soft(scores: np.ndarray, sota: np.ndarray, tasks: pd.DataFrame,
         k: float = 10.0) -> np.ndarray:
    """No cliff at the SoTA: ``credit = score * logistic(k (score - SoTA) / SoTA)``.

    Why: under ``strict`` a score 0.01 below the SoTA earns nothing and one
    0.01 above earns everything, so tiny reporting differences move models
    between levels. Here credit grows smoothly: half the score at the SoTA,
    about 73% of it 10% above the SoTA with ``k = 10``; ``k -> inf`` tends to
    ``strict`` (except at equality). A SoTA of 0 gives the full score to any
    positive score.

    >>> soft(np.array([[50.0, 55.0]]), np.array([50.0, 50.0]), None, k=10).round(2)
    array([[25.  , 40.21]])
    """
    known = _known(scores, sota)
    with np.errstate(invalid="ignore"):
        weight = _logistic(float(k) * _relative_gap(scores, sota))
    return np.where(known, scores * weight, 0.0)


@register("ratio")
def ratio(scores: np.ndarray, sota: np.ndarray, tasks: pd.DataFrame) -> np.ndarray:
    """Performance relative to the specialist: ``credit = score * min(1, score / SoTA)``.

    Why: drop the threshold altogether and credit how close a generalist
    comes to the specialist. At or above the SoTA the credit is the score
    (as in ``strict``); below it the score is scaled by the fraction of the
    SoTA reached, so 40 against a SoTA of 50 earns ``40 * 0.8 = 32``. A SoTA of
    0 counts as reached.

    >>> ratio(np.array([[40.0, 60.0, np.nan]]), np.array([50.0, 50.0, 50.0]), None)
    array([[32., 60.,  0.]])
    """
    known = _known(scores, sota)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        frac = np.where(scores >= sota, 1.0, scores / np.abs(sota))
    return np.where(known, scores * np.clip(frac, 0.0, 1.0), 0.0)


@register("excess")
def excess(scores: np.ndarray, sota: np.ndarray, tasks: pd.DataFrame) -> np.ndarray:
    """Only the surplus counts: ``credit = max(score - SoTA, 0)``.

    Why: the relaxation credits the whole score of a winning cell, although
    the specialist already reaches most of it; only the part beyond the
    specialist can be attributed to synergy. Level-3/4 become "how far
    beyond the specialists" rather than "how good where it wins".

    >>> excess(np.array([[60.0, 40.0, np.nan]]), np.array([50.0, 50.0, 10.0]), None)
    array([[10.,  0.,  0.]])
    """
    with np.errstate(invalid="ignore"):
        surplus = np.maximum(scores - sota, 0.0)
    return np.where(_known(scores, sota), surplus, 0.0)


@register("noisy_sota")
def noisy_sota(scores: np.ndarray, sota: np.ndarray, tasks: pd.DataFrame,
               s: float = 2.0) -> np.ndarray:
    """The SoTA is a measurement: ``credit = score * Phi((score - SoTA) / s)``.

    Why: a published SoTA carries noise of a few points (seeds, test-set
    size). With ``SoTA + e``, ``e ~ N(0, s^2)`` (``s`` in normalised points),
    ``Phi((score - SoTA) / s)`` is the probability that the model truly beats
    it, and the credit is the score times that probability: half the score
    at equality, nearly all of it ``2 s`` above. ``s = 0`` is ``strict``.

    >>> noisy_sota(np.array([[50.0, 52.0]]), np.array([50.0, 50.0]), None, s=2).round(2)
    array([[25.  , 43.75]])
    """
    s = float(s)
    if s < 0:
        raise InputError(f"noisy_sota: s must be >= 0, got {s:g}")
    if s == 0:
        return strict(scores, sota, tasks)
    from scipy.special import ndtr

    known = _known(scores, sota)
    with np.errstate(invalid="ignore"):
        prob = ndtr((scores - sota) / s)
    return np.where(known, scores * prob, 0.0)


# --------------------------------------------------------------------------- context rules
#
# These see the whole pass (a :class:`Context`). Like the cell rules they
# credit a cell with its own score or 0, so Level-3 <= Level-2 keeps holding.


@register("beats_base")
def beats_base(context: Context, z: float = 1.96, d: float = 0.0,
               tier: float = 2.0) -> np.ndarray:
    """Beat your own base language model on the NLP tasks, losses counted: on an
    NLP task ``credit = score if score >= SoTA``, or if both (a) the model's
    paired mean difference over its base, ``D = mean_t (score_t - base_t)`` over
    the NLP tasks both support, exceeds ``z`` standard errors ``sd_t / sqrt(n)``
    and (b) on this task ``score - base > d + z * sqrt(2) * sigma_t``; else 0.
    Every other task: ``strict``.

    Why: Level-5 asks whether the other modalities help language. The NLP
    SoTA is a dedicated (often much larger) language model, so "beats the
    SoTA" mixes synergy with size, and no generalist of the paper's data
    passes it. The language model a generalist was built on is the closest
    control the data hold for "the same model without the other modalities".
    A comparison with it must count the tasks the model loses as well as
    those it wins: (a) is a paired test over all shared tasks (a model that
    loses as often as it wins earns nothing), and (b) asks each credited task
    to clear the noise of a difference of two measurements, ``sqrt(2)``
    times the noise ``sigma_t`` of one (``Context.task_noise``: by default
    the noise measured in the paper's repeated cells at the SoTA's level;
    a task without one takes its group's median, :func:`group_noise`).
    ``d`` (normalised points) adds a fixed margin. A link counts when its
    evidence tier (``base_tier`` of ``data/models.csv``: 1 exact, 2 version,
    3 sibling, 4 external) is at most ``tier``. Models without a usable link,
    and tasks the base does not support, keep the published rule, so this
    rule never credits less than ``strict``; Level-2..4 do not change, only
    S_L and Level-5 do. What a win over the base cannot separate: instruction
    tuning after the base, version drift (hence the tiers), prompt formats.

    >>> ctx = Context(pd.DataFrame({"paradigm": ["nlp", "nlp", "nlp", "comprehension"]}),
    ...               np.array([[60.0, 52.0, 48.0, 55.0], [50.0, 45.0, 46.0, 70.0]]),
    ...               np.array([90.0, 90.0, 90.0, 50.0]), ("mllm", "llm"),
    ...               pd.DataFrame({"model_id": ["mllm"], "base_model_id": ["llm"],
    ...                             "base_tier": ["exact"]}),
    ...               noise=np.array([2.0, 2.0, 2.0, 2.0]))
    >>> # d = 10, 7, 2: D = 6.33 > se 2.33; per task 10 and 7 clear sqrt(2) * 2 = 2.83, 2 not
    >>> beats_base(ctx, z=1.0)
    array([[60., 52.,  0., 55.],
           [ 0.,  0.,  0., 70.]])
    """
    z, d = float(z), float(d)
    if z < 0:
        raise InputError(f"beats_base: z must be >= 0, got {z:g}")
    scores, sota = context.scores, context.sota
    nlp = (context.tasks["paradigm"] == "nlp").to_numpy()
    rows = context.base_rows(float(tier))
    base = np.where((rows >= 0)[:, None], scores[np.maximum(rows, 0)], np.nan)
    diff = np.where(nlp[None, :], scores - base, np.nan)
    known = np.isfinite(diff)
    n = known.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(known, diff, 0.0).sum(axis=1) / np.maximum(n, 1)
        var = (np.where(known, diff - mean[:, None], 0.0) ** 2).sum(axis=1) / np.maximum(
            n - 1, 1)
        se = np.sqrt(var / np.maximum(n, 1))
        paired = (n >= 2) & (mean > z * se)
        sigma = group_noise(context.tasks, context.task_noise) if paired.any() else np.zeros(
            len(nlp))
        task_ok = known & (diff > d + z * np.sqrt(2.0) * np.nan_to_num(sigma, nan=np.inf))
    win = levels.beats_sota(scores, sota) | (task_ok & paired[:, None])
    return np.where(win, scores, 0.0)


def group_noise(tasks: pd.DataFrame, noise: np.ndarray) -> np.ndarray:
    """Per-task noise with the gaps filled: a task without a measurement takes
    the median noise of its (modality, paradigm) group (when the tasks table
    has those columns), then the median over every measured task; NaN only if
    nothing was measured.

    >>> group_noise(pd.DataFrame({"modality": ["Image"] * 3 + ["Video"],
    ...                           "paradigm": ["comprehension"] * 4}),
    ...             np.array([1.0, 3.0, np.nan, np.nan]))
    array([1., 3., 2., 2.])
    """
    values = pd.Series(np.asarray(noise, dtype=float))
    if {"modality", "paradigm"} <= set(tasks.columns):
        keys = [tasks["modality"].astype(str).to_numpy(),
                tasks["paradigm"].astype(str).to_numpy()]
        values = values.fillna(values.groupby(keys).transform("median"))
    return values.fillna(values.median()).to_numpy()


@register("noise_margin")
def noise_margin(context: Context, z: float = 1.0) -> np.ndarray:
    """Beat the SoTA by more than the noise of the comparison:
    ``credit = score if score >= SoTA + z * sqrt(2) * sigma_t else 0``, with
    ``sigma_t`` the measured noise of one measurement on task ``t`` in
    normalised points (a task without a measurement takes its
    modality-paradigm group's median, see :func:`group_noise`).

    Why: ``margin`` asks every task for the same relative margin, but a
    point on a small, noisy test set is not a point on a large one. Scaling
    the margin by the noise measured in the data asks of every win that it
    stand out from the noise of its own task. Score minus SoTA is a
    difference of two measurements, each with noise ``sigma_t``, so its
    noise is ``sqrt(2) sigma_t``: ``z = 1`` asks one such unit, ``z = 0`` is
    ``strict``. The noise is an input (``Context.noise``); by default it is
    the noise of one measurement at the SoTA's level, ``sigma_t = c *
    sqrt(SoTA_t (100 - SoTA_t))``, with ``c`` the robust (median-based)
    estimate from the repeat measurements of one model in the paper's data
    (:func:`binomial_noise`, :func:`measured_noise_scale`). That model is
    fitted on metrics used as printed; on mapped metrics (FID, WER, ...) it
    is applied to the mapped 0-100 value, an approximation.

    >>> ctx = Context(pd.DataFrame({"modality": ["Image"] * 3,
    ...                             "paradigm": ["comprehension"] * 3}),
    ...               np.array([[54.0, 53.0, 60.0]]), np.array([50.0, 50.0, 50.0]),
    ...               noise=np.array([3.0, 2.0, np.nan]))
    >>> noise_margin(ctx, z=1.0)   # thresholds 54.24, 52.83, 53.54 (median 2.5)
    array([[ 0., 53., 60.]])
    """
    z = float(z)
    if z < 0:
        raise InputError(f"noise_margin: z must be >= 0, got {z:g}")
    sigma = group_noise(context.tasks, context.task_noise)
    if np.isnan(sigma).all() and len(sigma):
        raise InputError("noise_margin: no task has a measured noise")
    scores, sota = context.scores, context.sota
    with np.errstate(invalid="ignore"):
        win = (_known(scores, sota) & np.isfinite(sigma)
               & (scores >= sota + z * np.sqrt(2.0) * sigma))
    return np.where(win, scores, 0.0)
