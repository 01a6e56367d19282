"""Results from evaluation harnesses, through a mapping, into a Benchmark.

Readers, one module per harness, each checked against the harness's source
(the commit is in its docstring):

* :mod:`~glscore.io.harness.lm_eval` -- lm-evaluation-harness ``results_<datetime>.json``;
* :mod:`~glscore.io.harness.lmms_eval` -- lmms-eval ``<datetime>_results.json``;
* :mod:`~glscore.io.harness.vlmevalkit` -- VLMEvalKit ``status.json`` and score CSVs;
* :mod:`~glscore.io.harness.opencompass` -- OpenCompass ``summary_<time>.csv``;
* :mod:`~glscore.io.harness.helm` -- HELM ``runs/<suite>/<run>/stats.json``.

:mod:`~glscore.io.harness.detect` finds them in folders and tells them apart
by structure; :func:`harness_table` applies a mapping
(:mod:`glscore.io.mapping`) and returns glscore's tidy table (``model,
task_id, value, se, provenance, source``), which :func:`load_harness` turns
into a :class:`~glscore.core.benchmark.Benchmark` through the tidy loader
(:func:`glscore.io.loaders.tidy_benchmark`), ``se`` and ``proxy`` included.

Rules, for every harness:

* A mapping row picks the value of ``metric`` in the harness task ``task``:
  the key spelt exactly so, else the one key whose base name it is
  (``acc`` for ``acc,none``; two such keys are an error listing them). A
  mapped task the results do not have is "not supported"; a mapped task
  they have without the metric is an error.
* The standard error is the ``se_metric`` key when the row names one (then
  it must be there), else the harness's default (``<metric>_stderr``),
  unknown (``NaN``) where absent or ``"N/A"``.
* ``scale``: a ``fraction`` must lie in [0, 1] and is multiplied by 100 (its
  standard error too), a ``percent`` in [0, 100]; ``raw`` values are taken as
  they are. Anything else is an error naming the file, the place in it, the
  harness task and metric and the mapping line.
* Harness tasks without a mapping row are listed in one warning (how many,
  and the first few); a model none of whose tasks is mapped is left out with
  a warning.
* Two different values for one mapped metric (two runs in one folder) are an
  error naming both files; so is one model with a value for one General-Bench
  task from two harnesses.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from glscore import paths
from glscore.core.benchmark import Benchmark
from glscore.errors import InputError, did_you_mean, plain
from glscore.io.harness.detect import BY_NAME, FORMATS, read_observations
from glscore.io.loaders import (
    COMMITTED_SOTA_LABEL,
    CellError,
    InputWarning,
    _Place,
    load_tasks,
    parse_values,
    tidy_benchmark,
)
from glscore.io.mapping import Mapping, read_mapping, value_range

__all__ = ["FORMATS", "HarnessTable", "harness_table", "load_harness", "read_observations",
           "table_benchmark"]

#: Unmapped harness tasks named in the warning before "and N more".
MAX_NAMED = 5


@dataclass(frozen=True)
class HarnessTable:
    """The tidy table read from harness outputs (``frame``, the columns of
    :data:`glscore.io.export.TIDY_COLUMNS`: one row per model and mapped task
    found), and what it was read from."""

    frame: pd.DataFrame
    harnesses: tuple[str, ...]
    files: tuple[str, ...]
    mapping: Mapping

    def label(self, sota_label: str = COMMITTED_SOTA_LABEL) -> str:
        first = Path(self.files[0]).name
        more = f" + {len(self.files) - 1} more" if len(self.files) > 1 else ""
        return (f"{'+'.join(self.harnesses)} results ({first}{more}; mapping "
                f"{self.mapping.path.name}; SoTA: {sota_label})")


def harness_table(results: Sequence[Path | str], mapping: Path | str | Mapping,
                  tasks: pd.DataFrame | None = None, input_format: str = "auto",
                  progress: bool = False) -> HarnessTable:
    """Harness outputs under ``results`` through ``mapping``: the tidy table (see the
    module docstring for the rules). Warnings are :class:`InputWarning`."""
    if tasks is None:
        tasks = load_tasks(paths.TASKS_CSV)
    if not isinstance(mapping, Mapping):
        mapping = read_mapping(mapping, tasks)
    obs = read_observations(results, input_format, progress)
    rows = mapping.rows
    harnesses = tuple(sorted(obs["harness"].unique()))
    used = rows.loc[rows["harness"].isin(harnesses)]
    if used.empty:
        raise InputError(f"'{mapping.path}': no row for the harness of the results "
                         f"({', '.join(harnesses)}); the mapping has rows for "
                         f"{sorted(rows['harness'].unique())}")
    _warn_unmapped(obs, used)
    chosen = _choose(obs, used, mapping)
    chosen = _drop_unmapped_models(obs, chosen)
    value = _parse(chosen, "value", mapping)
    se = _parse(chosen, "se_value", mapping)
    _check_scale(chosen, value, mapping)
    negative = np.flatnonzero(np.nan_to_num(se, nan=0.0) < 0)
    if negative.size:
        _fail(chosen.iloc[int(negative[0])], mapping, f"standard error {plain(se[negative[0]])} "
              "is negative", "se")
    factor = np.where(chosen["scale"].to_numpy() == "fraction", 100.0, 1.0)
    frame = pd.DataFrame({
        "model": chosen["model"].to_numpy(),
        "task_id": chosen["task_id"].to_numpy(),
        "value": value * factor,
        "se": np.where(np.isfinite(value), se * factor, np.nan),
        "provenance": chosen["provenance"].to_numpy(),
        "source": (chosen["source"] + ": " + chosen["where"]).to_numpy(),
    })
    _check_one_value_per_task(frame, chosen)
    order = pd.Index(tasks["task_id"].astype(str)).get_indexer(frame["task_id"])
    models = pd.Index(pd.unique(obs["model"]))
    frame = frame.iloc[np.lexsort((order, models.get_indexer(frame["model"])))]
    files = tuple(pd.unique(obs["source"]))
    return HarnessTable(frame.reset_index(drop=True), harnesses, files, mapping)


def load_harness(results: Sequence[Path | str], mapping: Path | str | Mapping,
                 tasks: pd.DataFrame | None = None, sota_label: str = COMMITTED_SOTA_LABEL,
                 input_format: str = "auto", model: str | None = None,
                 progress: bool = False) -> Benchmark:
    """Harness outputs as a :class:`Benchmark` (values, ``se``, ``proxy``) against ``tasks``."""
    if tasks is None:
        tasks = load_tasks(paths.TASKS_CSV)
    table = harness_table(results, mapping, tasks, input_format, progress)
    return table_benchmark(table, tasks, sota_label, model)


def table_benchmark(table: HarnessTable, tasks: pd.DataFrame,
                    sota_label: str = COMMITTED_SOTA_LABEL, model: str | None = None) -> Benchmark:
    """The Benchmark of a :class:`HarnessTable` (the tidy loader's checks, scale as mapped)."""
    place = _Place(Path(table.files[0]), "row")
    return tidy_benchmark(table.frame, place, tasks, "percent", model, table.label(sota_label),
                          located=True)


# --------------------------------------------------------------------------- steps

def _warn_unmapped(obs: pd.DataFrame, used: pd.DataFrame) -> None:
    mapped = pd.MultiIndex.from_frame(used[["harness", "task"]])
    found = obs[["harness", "task"]].drop_duplicates()
    unmapped = found.loc[~pd.MultiIndex.from_frame(found).isin(mapped)]
    if unmapped.empty:
        return
    names = sorted(f"{h}:{t}" for h, t in unmapped.itertuples(index=False))
    more = f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else ""
    warnings.warn(f"{len(names)} harness task(s) in the results have no mapping row and are "
                  f"not scored: {', '.join(names[:MAX_NAMED])}{more}", InputWarning, stacklevel=3)


def _choose(obs: pd.DataFrame, used: pd.DataFrame, mapping: Mapping) -> pd.DataFrame:
    """One observation per (mapping row, model) whose task is in the results, with its
    standard error's raw value in ``se_value`` (``NaN`` where there is none)."""
    obs = obs.assign(base=[BY_NAME[h].base(m) for h, m in zip(obs["harness"], obs["metric"],
                                                                strict=True)])
    cand = used.merge(obs, on=["harness", "task"], suffixes=("", "_obs"))
    exact = cand["metric_obs"] == cand["metric"]
    pair = ["line", "model"]
    has_exact = cand.loc[exact, pair].drop_duplicates()
    by_base = cand.loc[~exact & (cand["base"] == cand["metric"])]
    by_base = by_base.loc[~pd.MultiIndex.from_frame(by_base[pair]).isin(
        pd.MultiIndex.from_frame(has_exact))]
    twice = by_base.duplicated(pair, keep=False).to_numpy()
    if twice.any():
        row = by_base.iloc[int(twice.argmax())]
        keys = by_base.loc[(by_base["line"] == row["line"]) & (by_base["model"] == row["model"]),
                           "metric_obs"].tolist()
        raise InputError(f"'{row['source']}': metric '{row['metric']}' of {row['harness']} task "
                         f"'{row['task']}' is ambiguous: {', '.join(map(repr, keys))}; write one "
                         f"of them in the mapping ({mapping.where(int(row['line']))})")
    chosen = pd.concat([cand.loc[exact], by_base]).drop(columns="base")
    present = cand[pair].drop_duplicates()
    lacking = present.loc[~pd.MultiIndex.from_frame(present).isin(
        pd.MultiIndex.from_frame(chosen[pair]))]
    if not lacking.empty:
        line, model = lacking.iloc[0]
        rows = cand.loc[(cand["line"] == line) & (cand["model"] == model)]
        row = rows.iloc[0]
        keys = list(dict.fromkeys(rows["metric_obs"]))
        raise InputError(f"'{row['source']}': {row['harness']} task '{row['task']}' of model "
                         f"'{model}' has no metric '{row['metric']}' ({mapping.where(int(line))})"
                         f"{did_you_mean(row['metric'], keys) or f'; it has {keys[:8]}'}")
    chosen = chosen.rename(columns={"metric_obs": "key"})
    chosen["se_key"] = [
        s if s else BY_NAME[h].se_key(k)
        for s, h, k in zip(chosen["se_metric"], chosen["harness"], chosen["key"], strict=True)]
    _check_conflicts(obs, chosen, mapping)
    se_obs = obs[["harness", "model", "task", "metric", "value"]].rename(
        columns={"metric": "se_key", "value": "se_value"}).drop_duplicates(
        ["harness", "model", "task", "se_key"])
    chosen = chosen.merge(se_obs, on=["harness", "model", "task", "se_key"], how="left")
    missing = (chosen["se_metric"] != "") & chosen["se_value"].isna()
    if missing.any():
        row = chosen.loc[missing].iloc[0]
        raise InputError(f"'{row['source']}': {row['harness']} task '{row['task']}' of model "
                         f"'{row['model']}' has no standard error '{row['se_metric']}' "
                         f"(se_metric, {mapping.where(int(row['line']))})")
    chosen["se_value"] = chosen["se_value"].astype(object).where(chosen["se_value"].notna(),
                                                                 None)
    return chosen.sort_values(["line", "model"], kind="stable").reset_index(drop=True)


def _check_conflicts(obs: pd.DataFrame, chosen: pd.DataFrame, mapping: Mapping) -> None:
    """Two values of one mapped metric (or its standard error) of one model: an error."""
    key = ["harness", "model", "task", "metric"]
    twice = obs.loc[obs.duplicated(key, keep=False)]
    if twice.empty:
        return
    used = pd.concat([chosen[["harness", "model", "task", column, "line"]].rename(
        columns={column: "metric"}) for column in ("key", "se_key")]).dropna()
    hit = twice.merge(used.drop_duplicates(key), on=key).sort_values(key, kind="stable")
    if hit.empty:
        return
    a, b = hit.iloc[0], hit.iloc[1]
    raise InputError(f"'{b['source']}': {a['harness']} task '{a['task']}' metric "
                     f"'{a['metric']}' of model '{a['model']}' is {b['value']!r} here and "
                     f"{a['value']!r} in '{a['source']}' (two runs?); pass the one you mean "
                     f"({mapping.where(int(a['line']))})")


def _drop_unmapped_models(obs: pd.DataFrame, chosen: pd.DataFrame) -> pd.DataFrame:
    models = list(pd.unique(obs["model"]))
    scored = set(chosen["model"])
    left_out = [m for m in models if m not in scored]
    if len(left_out) == len(models):
        raise InputError(f"'{obs['source'].iloc[0]}': no model has a task the mapping maps "
                         f"(models {models[:MAX_NAMED]}); check the mapping's harness and task "
                         "names against the warning above")
    for model in left_out:
        source = obs.loc[obs["model"] == model, "source"].iloc[0]
        warnings.warn(f"model '{model}' ('{source}') has no task the mapping maps: left out",
                      InputWarning, stacklevel=3)
    return chosen


def _parse(chosen: pd.DataFrame, column: str, mapping: Mapping) -> np.ndarray:
    try:
        return parse_values(chosen[column].to_numpy(dtype=object))
    except CellError as exc:
        row = chosen.iloc[getattr(exc, "index", 0)]
        _fail(row, mapping, str(exc), "se" if column == "se_value" else "value")
    raise AssertionError  # pragma: no cover


def _check_scale(chosen: pd.DataFrame, value: np.ndarray, mapping: Mapping) -> None:
    bounds = np.array([value_range(s, p) for s, p in zip(chosen["scale"], chosen["percentage"],
                                                         strict=True)]).reshape(-1, 2)
    with np.errstate(invalid="ignore"):
        outside = np.isfinite(value) & ((value < bounds[:, 0]) | (value > bounds[:, 1]))
    if outside.any():
        k = int(np.flatnonzero(outside)[0])
        row = chosen.iloc[k]
        low, high = (plain(b) for b in bounds[k])
        hint = {"fraction": "a percentage? use scale percent",
                "percent": "a sum or a count? it does not fit a percentage task",
                "raw": "the task's metric is a percentage"}[row["scale"]]
        _fail(row, mapping, f"{plain(value[k])} is outside the {row['scale']} scale "
              f"[{low}, {high}] ({hint})", "value")


def _fail(row: pd.Series, mapping: Mapping, what: str, field: str) -> None:
    metric = row["se_key"] if field == "se" else row["key"]
    raise InputError(f"'{row['source']}', {row['where'] if field == 'value' else 'standard error'}"
                     f": {what} ({row['harness']} task '{row['task']}', metric '{metric}', model "
                     f"'{row['model']}'; {mapping.where(int(row['line']))})")


def _check_one_value_per_task(frame: pd.DataFrame, chosen: pd.DataFrame) -> None:
    """One model, one General-Bench task, two harness rows: an error naming both."""
    twice = frame.duplicated(["model", "task_id"], keep=False).to_numpy()
    if twice.any():
        k = np.flatnonzero(twice)
        first = frame.iloc[int(k[0])]
        other = frame.iloc[int(k[(frame["model"].iloc[k] == first["model"]).to_numpy()
                                  & (frame["task_id"].iloc[k] == first["task_id"]).to_numpy()][1])]
        raise InputError(f"model '{first['model']}' has two values for task {first['task_id']}: "
                         f"'{first['source']}' and '{other['source']}' (the mapping maps two "
                         "harness tasks to it)")
