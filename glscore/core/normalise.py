"""Put every cell on a 0-100, higher-is-better scale, as a profile says.

:func:`normalise` returns the normalised score matrix (models x tasks) and
the normalised SoTA (tasks), ``NaN`` where a value is missing. Metrics are
recognised and mapped as described in :mod:`glscore.core.metrics`; what differs
between the profiles is spelt out in :mod:`glscore.core.profiles`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from glscore.core import metrics
from glscore.core.benchmark import Benchmark, sota_values
from glscore.core.profiles import Profile
from glscore.core.table import Table
from glscore.core.vocabulary import unreachable
from glscore.errors import InputError, plain

if TYPE_CHECKING:
    import pandas as pd

#: The reference scorer's transformation of the model's NLP RMSE value.
OFFICIAL_NLP_RMSE_T = 5.0
#: ``math.exp`` overflows (the reference stops) above this argument.
EXP_OVERFLOW = float(np.log(np.finfo(float).max))


@dataclass(frozen=True)
class Normalised:
    """Normalised scores (models x tasks) and SoTA (tasks), NaN = missing."""

    scores: np.ndarray
    sota: np.ndarray
    mapped: np.ndarray  # bool per task: a special metric's mapping was applied


def special_metrics(tasks: Table | pd.DataFrame,
                    profile: Profile) -> list[metrics.SpecialMetric | None]:
    """The special metric of every task under the profile's matching rule."""
    match profile.metric_matching:
        case "exact":
            matcher = metrics.match_exact
        case "alias":
            matcher = metrics.match_alias
        case _:
            unreachable("metric_matching", profile.metric_matching)
    return [matcher(m) for m in Table.of(tasks)["metric"].tolist()]


@dataclass(frozen=True)
class Plan:
    """What normalising under a profile does to each task, decided once per
    tasks table (independent of the number of models).

    ``groups``: (special metric, task indices) pairs to map; ``forbid``: per
    task 0 (no domain check), 1 (a negative value is an error) or 2 (a zero
    or negative value is an error), with ``rules`` the reason per task;
    ``rmse_column``: the task of the official NLP RMSE quirk (-1 if none);
    ``sota``: the normalised SoTA; ``low``/``high``: the bounds of each task's
    value domain (whatever the profile: a unit mistake is one under every profile).
    """

    groups: tuple[tuple[metrics.SpecialMetric, np.ndarray], ...]
    mapped: np.ndarray
    forbid: np.ndarray
    rules: tuple[str, ...]
    rmse_column: int
    sota: np.ndarray
    #: per task, the bounds of its metric's value domain (:func:`glscore.core.metrics.domain_of`)
    low: np.ndarray | None = None
    high: np.ndarray | None = None
    #: per task, a value of exactly 0 means "missing" (``official`` on mapped metrics)
    zero_missing: np.ndarray | None = None

    @property
    def check_key(self) -> tuple[bytes, int]:
        """What the domain checks of :func:`check_values` depend on: a
        benchmark that passed them under one key needs no second scan."""
        zero_missing = b"" if self.zero_missing is None else self.zero_missing.tobytes()
        return self.forbid.tobytes() + b"|" + zero_missing, self.rmse_column


def official_rmse_column(tasks: Table | pd.DataFrame) -> int:
    """The NLP task the reference's RMSE quirk hits: the first NLP task whose
    metric upper-cases to ``RMSE`` (-1 if none)."""
    table = Table.of(tasks)
    is_nlp = table["paradigm"] == "nlp"
    names = table["metric"].tolist()
    hits = [j for j in np.flatnonzero(is_nlp)
            if isinstance(names[j], str) and names[j].upper() == "RMSE"]
    return int(hits[0]) if hits else -1


def plan(bench: Benchmark, profile: Profile) -> Plan:
    """The :class:`Plan` of ``bench``'s tasks under ``profile``; raises the
    SoTA's domain errors and a lower-is-better task without a mapping.

    Decided once per (tasks table, profile): the plan is cached under the
    table's content key (:attr:`glscore.core.table.Table.key`) and the
    profile (a frozen, hashable value), so scoring the same tasks again (more
    models, Monte-Carlo draws, another block) skips the metric matching and
    the masks. Its arrays are read-only.
    """
    decided = _plan_of(bench.task_table, profile)
    if isinstance(decided, Plan):
        return decided
    j, message = decided
    raise InputError(f"{_task_where(bench, j)}{message}")


#: Plans kept (a tasks table under a profile each).
PLAN_CACHE_SIZE = 64


@lru_cache(maxsize=PLAN_CACHE_SIZE)
def _plan_of(tasks: Table, profile: Profile) -> Plan | tuple[int, str]:
    """The plan of a tasks table under a profile, or ``(task, message)`` of
    its first error (the caller names the source)."""
    low, high = metrics.domain_bounds(tasks["metric"].tolist())
    wrong = direction_disagreement(tasks)
    if wrong is not None:
        return wrong
    specials = special_metrics(tasks, profile)
    match profile.metric_matching:
        case "alias":  # the paper: a lower-is-better metric needs a mapping
            lower = tasks["direction"] == "lower"
            unmapped = lower & np.array([s is None for s in specials], dtype=bool)
            if unmapped.any():
                j = int(np.flatnonzero(unmapped)[0])
                return j, (f"lower-is-better metric '{tasks['metric'][j]}' has no known "
                           "mapping to 0-100")
        case "exact":  # the reference takes an unmatched metric as printed
            pass
        case _:
            unreachable("metric_matching", profile.metric_matching)
    is_nlp = tasks["paradigm"] == "nlp"
    match profile.nlp_mode:
        case "official":  # the reference maps no NLP value (its RMSE quirk aside)
            maps_nlp, rmse = False, official_rmse_column(tasks)
        case "normalised":
            maps_nlp, rmse = True, -1
        case _:
            unreachable("nlp_mode", profile.nlp_mode)
    n = len(tasks)
    mapped = np.zeros(n, dtype=bool)
    forbid = np.zeros(n, dtype=np.int8)
    rules = [""] * n
    groups = []
    for metric in dict.fromkeys(s for s in specials if s is not None):
        cols = np.array([s is metric for s in specials], dtype=bool)
        if not maps_nlp:
            cols &= ~is_nlp
        if not cols.any():
            continue
        mapped |= cols
        code, rule = _domain(metric, profile)
        forbid[cols] = code
        for k in np.flatnonzero(cols):
            rules[k] = rule
        groups.append((metric, _frozen(np.flatnonzero(cols))))
    raw_sota = sota_values(tasks["sota"])
    zero_missing = mapped & profile.missing_special_as_zero
    # an official 0 of a mapped metric is "missing", not a value outside the domain
    sota_cells = np.where(zero_missing & (raw_sota == 0), np.nan, raw_sota)[None, :]
    outside = metrics.first_outside_bounds(sota_cells, low, high)
    if outside is not None:
        j = outside[1]
        reason = metrics.domain_of(tasks["metric"][j]).reason(float(raw_sota[j]),
                                                                str(tasks["metric"][j]))
        return j, f"SoTA: {reason}"
    bad = _bad(raw_sota[None, :], forbid)[0]
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        return j, f"SoTA value {plain(raw_sota[j])} {rules[j]}"
    sota = raw_sota.astype(float, copy=True)
    for metric, cols in groups:
        sota[cols] = _map(metric, sota[cols], profile)
    return Plan(tuple(groups), _frozen(mapped), _frozen(forbid), tuple(rules), rmse,
                _frozen(sota), _frozen(low), _frozen(high), _frozen(zero_missing))


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def direction_disagreement(tasks: Table) -> tuple[int, str] | None:
    """The first task whose ``direction`` disagrees with its metric's (a special
    metric, by :func:`glscore.core.metrics.match_alias`), as ``(task, message)``:
    a tasks table that says ``higher`` for FID would otherwise be overridden in
    silence. ``None`` when all agree."""
    names = tasks["metric"].tolist()
    specials = {m: metrics.match_alias(m) for m in dict.fromkeys(names)}
    expected = np.array([s.direction if (s := specials[m]) else "" for m in names], dtype=object)
    given = np.asarray(tasks["direction"], dtype=object)
    bad = (expected != "") & (given != expected)
    if not bad.any():
        return None
    j = int(np.flatnonzero(bad)[0])
    special = specials[names[j]]
    assert special is not None
    return j, (f"direction '{given[j]}' disagrees with the metric: {special.name} is "
               f"{special.direction}-is-better (correct the tasks table's direction column)")


def check_domain(bench: Benchmark, values: np.ndarray, low: np.ndarray, high: np.ndarray,
                 rows: int = 0) -> None:
    """The first cell of ``values`` (model rows from ``rows``) outside its
    metric's domain is an :class:`InputError` with the domain and the hint
    (:meth:`glscore.core.metrics.Domain.reason`)."""
    hit = metrics.first_outside_bounds(values, low, high)
    if hit is None:
        return
    i, j = hit
    metric = bench.task_table["metric"][j]
    reason = metrics.domain_of(metric).reason(float(values[i, j]), str(metric))
    raise InputError(f"{_task_where(bench, j)}model '{bench.models[rows + i]}': {reason}")


def normalise(bench: Benchmark, profile: Profile, rows: slice | None = None,
              the_plan: Plan | None = None, checked: bool = False) -> Normalised:
    """Normalise a benchmark's scores and SoTA under ``profile``.

    Raises :class:`InputError` for values outside a mapping's domain: under
    ``official`` any negative value of a mapped metric (the reference stops on
    an assertion there); under ``paper`` a zero or negative value of a
    lower-is-better metric, and a lower-is-better task whose metric has no
    known mapping. The checks scan only the checked columns, once
    (:func:`check_values`).

    ``rows`` normalises a block of models only (``the_plan`` from :func:`plan`
    saves deciding per task again; ``checked`` says :func:`check_values`
    already ran on the whole matrix). Every model row is normalised on its
    own, so a block gives the same bits as the whole matrix.

    Under ``profile.win_test == "raw"`` (``paper``) a mapped cell whose raw
    value is worse than the raw SoTA in the metric's direction, but which the
    map saturates to the normalised SoTA or above, is placed at the largest
    float below the normalised SoTA (:func:`below_sota_when_worse`): a
    saturated tie is not a win for any rule that compares the normalised
    score with the normalised SoTA. The shift is one unit in the last place
    (about 1e-14 points on the 0-100 scale).
    """
    the_plan = plan(bench, profile) if the_plan is None else the_plan
    if not checked:
        check_values(bench, the_plan)
    rows = slice(0, len(bench.models)) if rows is None else rows
    raw = bench.values[rows]
    scores = np.array(raw, dtype=float, copy=True)
    match profile.win_test:
        case "raw":
            raw_wins = True
        case "normalised":
            raw_wins = False
        case _:
            unreachable("win_test", profile.win_test)
    raw_sota = bench.sota
    for metric, cols in the_plan.groups:  # each mapped column read and written once
        x = raw[:, cols]
        y = _map(metric, x, profile)
        if raw_wins:
            _below_sota(y, x, raw_sota[cols], the_plan.sota[cols], metric.direction == "lower")
        scores[:, cols] = y
    if the_plan.rmse_column >= 0:
        _official_nlp_rmse(scores, the_plan.rmse_column)
    return Normalised(scores, the_plan.sota, the_plan.mapped)


def below_sota_when_worse(scores: np.ndarray, raw: np.ndarray, raw_sota: np.ndarray,
                          the_plan: Plan) -> None:
    """In place: every mapped cell whose raw value is strictly worse than the
    raw SoTA in its metric's direction (``x > SoTA`` for a lower-is-better
    metric, ``x < SoTA`` for a higher-is-better one) but whose normalised
    score is ``>=`` the normalised SoTA becomes ``nextafter(SoTA_norm, -inf)``.

    The maps are monotone, so this only happens where one saturates (FID 0.6
    against a SoTA of 0.23: ``2 / (1 + e^(-25/0.6)) - 1`` and
    ``2 / (1 + e^(-25/0.23)) - 1`` are both 1.0 in floating point). Afterwards
    ``score >= SoTA`` (normalised) holds exactly when the raw value is at
    least as good as the raw SoTA. One pass over the mapped columns.

    >>> from glscore.core.metrics import REGISTRY
    >>> fid = REGISTRY["FID"]
    >>> p = Plan(((fid, np.array([0])),), np.array([True]), np.zeros(1, np.int8), ("",), -1,
    ...          fid.map(np.array([0.23])))
    >>> s = fid.map(np.array([[0.6], [0.1]]))
    >>> s.ravel().tolist(), float(p.sota[0])
    ([100.0, 100.0], 100.0)
    >>> below_sota_when_worse(s, np.array([[0.6], [0.1]]), np.array([0.23]), p)
    >>> bool(s[0, 0] < 100.0), float(s[1, 0])
    (True, 100.0)
    """
    for metric, cols in the_plan.groups:  # one group per special metric
        y = scores[:, cols]
        _below_sota(y, raw[:, cols], raw_sota[cols], the_plan.sota[cols],
                    metric.direction == "lower")
        scores[:, cols] = y


def _below_sota(y: np.ndarray, x: np.ndarray, raw_sota: np.ndarray, sota: np.ndarray,
                lower: bool) -> None:
    """:func:`below_sota_when_worse` of one metric's columns, in place on the
    normalised values ``y`` of the raw values ``x``."""
    with np.errstate(invalid="ignore"):
        worse = x > raw_sota if lower else x < raw_sota
        worse &= y >= sota
    if worse.any():
        np.copyto(y, np.nextafter(sota, -np.inf), where=worse)


#: Rows per block when the checks scan the matrix.
CHECK_ROWS = 16384


def check_values(bench: Benchmark, the_plan: Plan) -> None:
    """The domain checks of the model cells: every value within its metric's
    domain (one scan, in blocks of rows), then the profile's own rules on the
    mapped columns (a zero or negative value a map cannot take), the first bad
    cell in row-major order reported; then the reference's NLP RMSE failures
    (a zero value, an ``exp`` overflow)."""
    cols = np.flatnonzero(the_plan.forbid)
    n_models = len(bench.models)
    forbid = the_plan.forbid[cols]
    n_tasks = len(bench.task_table)
    low = np.full(n_tasks, -np.inf) if the_plan.low is None else the_plan.low
    high = np.full(n_tasks, np.inf) if the_plan.high is None else the_plan.high
    for start in range(0, n_models, CHECK_ROWS):
        block = bench.values[start:start + CHECK_ROWS]
        with np.errstate(invalid="ignore"):
            outside = (block < low) | (block > high)
        if the_plan.zero_missing is not None and the_plan.zero_missing.any():
            outside &= ~((block == 0) & the_plan.zero_missing)  # "missing", not a value
        bad = outside.copy()
        if len(cols):
            bad[:, cols] |= _bad(block[:, cols], forbid)
        if not bad.any():
            continue
        i, j = (int(x[0]) for x in np.nonzero(bad))
        if outside[i, j]:
            check_domain(bench, block[i:i + 1], low, high, start + i)
        raise InputError(
            f"{_task_where(bench, j)}model '{bench.models[start + i]}' value "
            f"{plain(bench.values[start + i, j])} {the_plan.rules[j]}"
        )
    j = the_plan.rmse_column
    if j < 0:
        return
    x = bench.values[:, j].astype(float)
    if (x == 0).any():
        i = int(np.flatnonzero(x == 0)[0])
        raise InputError(
            f"{_task_where(bench, j)}model '{bench.models[i]}' NLP RMSE value is 0: the "
            "reference scorer divides by it (ZeroDivisionError)"
        )
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        over = -OFFICIAL_NLP_RMSE_T / x > EXP_OVERFLOW
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise InputError(
            f"{_task_where(bench, j)}model '{bench.models[i]}' NLP RMSE value {plain(x[i])} "
            "overflows the reference scorer's exp() (OverflowError)"
        )


def _bad(values: np.ndarray, forbid: np.ndarray) -> np.ndarray:
    """Cells outside the domain: ``< 0`` where ``forbid`` is 1, ``<= 0`` where
    it is 2 (NaN is never bad: comparisons with NaN are false)."""
    with np.errstate(invalid="ignore"):
        return np.where(forbid == 2, values <= 0, (forbid == 1) & (values < 0))


def _domain(metric: metrics.SpecialMetric, profile: Profile) -> tuple[int, str]:
    """The domain rule of a mapped metric: (forbid code, reason)."""
    if profile.missing_special_as_zero:
        # The reference asserts ``score > 0`` for every mapped value it maps.
        return 1, "is negative: the reference scorer stops on it (assert score > 0)"
    match metric.family:
        case "sigmoid":
            return 2, f"must be > 0 for the lower-is-better metric {metric.name}"
        case "wer":
            return 1, "must be >= 0 for WER"
        case "tanh" | "ms-ssim" | "mos":  # defined on every real value
            return 0, ""
        case _:
            unreachable("metric family", metric.family)


def _map(metric: metrics.SpecialMetric, values: np.ndarray, profile: Profile) -> np.ndarray:
    out = metric.map(values, wer_percent=profile.wer_percent)
    if profile.missing_special_as_zero:
        out = np.where(np.isnan(values) | (values == 0), 0.0, out)
    return out


def _official_nlp_rmse(scores: np.ndarray, j: int) -> None:
    """The reference's Level-5 quirk, in place: the first NLP task whose metric
    upper-cases to ``RMSE`` (column ``j``) gets the model's value ``x``
    replaced by ``(2 / (1 + exp(-5 / x)) - 1) * 100`` (a missing ``x`` gives
    0.0); its SoTA stays raw. :func:`check_values` rejects ``x = 0`` and
    overflows first."""
    x = scores[:, j]
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        mapped = (2.0 / (1.0 + np.exp(-OFFICIAL_NLP_RMSE_T / x)) - 1.0) * 100.0
    scores[:, j] = np.where(np.isnan(x), 0.0, mapped)


def _task_where(bench: Benchmark, j: int) -> str:
    tasks = bench.task_table
    return (f"{bench.source}: sheet '{tasks['sheet'][j]}', task row {int(tasks['sheet_row'][j])} "
            f"(task {tasks['task_id'][j]}, metric '{tasks['metric'][j]}'): ")
