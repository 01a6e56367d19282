"""Put every cell on a 0-100, higher-is-better scale, as a profile says.

:func:`normalise` returns the normalised score matrix (models x tasks) and
the normalised SoTA (tasks), ``NaN`` where a value is missing. Metrics are
recognised and mapped as described in :mod:`glscore.core.metrics`; what differs
between the profiles is spelt out in :mod:`glscore.core.profiles`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from glscore.core import metrics
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import Profile
from glscore.errors import InputError, plain

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


def special_metrics(tasks: pd.DataFrame, profile: Profile) -> list[metrics.SpecialMetric | None]:
    """The special metric of every task under the profile's matching rule."""
    match = metrics.match_exact if profile.metric_matching == "exact" else metrics.match_alias
    return [match(m) for m in tasks["metric"].tolist()]


def normalise(bench: Benchmark, profile: Profile) -> Normalised:
    """Normalise a benchmark's scores and SoTA under ``profile``.

    Raises :class:`InputError` for values outside a mapping's domain: under
    ``official`` any negative value of a mapped metric (the reference stops on
    an assertion there); under ``paper`` a zero or negative value of a
    lower-is-better metric, and a lower-is-better task whose metric has no
    known mapping.
    """
    tasks = bench.tasks
    specials = special_metrics(tasks, profile)
    is_nlp = (tasks["paradigm"] == "nlp").to_numpy()
    scores = bench.values.astype(float, copy=True)
    sota = bench.sota.astype(float, copy=True)
    mapped = np.zeros(len(tasks), dtype=bool)
    if profile.metric_matching == "alias":
        _check_unmapped_lower(bench, specials)

    for metric in {s for s in specials if s is not None}:
        cols = np.array([s is metric for s in specials], dtype=bool)
        if profile.nlp_mode == "official":
            cols &= ~is_nlp
        if not cols.any():
            continue
        mapped |= cols
        _check_domain(bench, metric, cols, profile)
        scores[:, cols] = _map(metric, scores[:, cols], profile)
        sota[cols] = _map(metric, sota[cols], profile)

    if profile.nlp_mode == "official":
        _official_nlp_rmse(bench, scores, is_nlp)
    return Normalised(scores, sota, mapped)


def _map(metric: metrics.SpecialMetric, values: np.ndarray, profile: Profile) -> np.ndarray:
    out = metric.map(values, wer_percent=profile.wer_percent)
    if profile.missing_special_as_zero:
        out = np.where(np.isnan(values) | (values == 0), 0.0, out)
    return out


def _check_domain(bench: Benchmark, metric: metrics.SpecialMetric, cols: np.ndarray,
                  profile: Profile) -> None:
    if profile.missing_special_as_zero:
        # The reference asserts ``score > 0`` for every mapped value it maps.
        bad_of = _negative
        rule = "is negative: the reference scorer stops on it (assert score > 0)"
    elif metric.family == "sigmoid":
        bad_of = _not_positive
        rule = f"must be > 0 for the lower-is-better metric {metric.name}"
    elif metric.family == "wer":
        bad_of = _negative
        rule = "must be >= 0 for WER"
    else:
        return
    sota_bad = bad_of(bench.sota) & cols
    if sota_bad.any():
        j = int(np.flatnonzero(sota_bad)[0])
        raise InputError(f"{_task_where(bench, j)}SoTA value {plain(bench.sota[j])} {rule}")
    cell_bad = bad_of(bench.values) & cols
    if cell_bad.any():
        i, j = (int(k[0]) for k in np.nonzero(cell_bad))
        raise InputError(
            f"{_task_where(bench, j)}model '{bench.models[i]}' value "
            f"{plain(bench.values[i, j])} {rule}"
        )


def _negative(values: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.nan_to_num(values, nan=0.0) < 0


def _not_positive(values: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.nan_to_num(values, nan=1.0) <= 0


def _check_unmapped_lower(bench: Benchmark, specials: list) -> None:
    lower = (bench.tasks["direction"] == "lower").to_numpy()
    unmapped = lower & np.array([s is None for s in specials], dtype=bool)
    if unmapped.any():
        j = int(np.flatnonzero(unmapped)[0])
        raise InputError(
            f"{_task_where(bench, j)}lower-is-better metric "
            f"'{bench.tasks['metric'].iloc[j]}' has no known mapping to 0-100"
        )


def _official_nlp_rmse(bench: Benchmark, scores: np.ndarray, is_nlp: np.ndarray) -> None:
    """The reference's Level-5 quirk, in place: the first NLP task whose metric
    upper-cases to ``RMSE`` gets the model's value ``x`` replaced by
    ``(2 / (1 + exp(-5 / x)) - 1) * 100`` (a missing ``x`` gives 0.0); its
    SoTA stays raw."""
    metric_names = bench.tasks["metric"].tolist()
    hits = [j for j in np.flatnonzero(is_nlp)
            if isinstance(metric_names[j], str) and metric_names[j].upper() == "RMSE"]
    if not hits:
        return
    j = hits[0]
    x = scores[:, j]
    if (x == 0).any():
        i = int(np.flatnonzero(x == 0)[0])
        raise InputError(
            f"{_task_where(bench, j)}model '{bench.models[i]}' NLP RMSE value is 0: the "
            "reference scorer divides by it (ZeroDivisionError)"
        )
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        exponent = -OFFICIAL_NLP_RMSE_T / x
        if (exponent > EXP_OVERFLOW).any():
            i = int(np.flatnonzero(exponent > EXP_OVERFLOW)[0])
            raise InputError(
                f"{_task_where(bench, j)}model '{bench.models[i]}' NLP RMSE value {plain(x[i])} "
                "overflows the reference scorer's exp() (OverflowError)"
            )
        mapped = (2.0 / (1.0 + np.exp(exponent)) - 1.0) * 100.0
    scores[:, j] = np.where(np.isnan(x), 0.0, mapped)


def _task_where(bench: Benchmark, j: int) -> str:
    row = bench.tasks.iloc[j]
    return (f"{bench.source}: sheet '{row['sheet']}', task row {int(row['sheet_row'])} "
            f"(task {row['task_id']}, metric '{row['metric']}'): ")
