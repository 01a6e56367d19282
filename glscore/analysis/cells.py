"""A scoring pass as plain tables: every value, every task, every model.

What the report's model pages and its downloads show, read from one pass
(:class:`~glscore.core.scoring.Scoring`), never recomputed:

* :func:`cell_table` -- one row per (model, task) holding a value: the raw
  value and its standard error, the normalised score (0-100, higher is
  better), the raw and normalised SoTA, ``win`` (the pass's one beats-SoTA
  test, :meth:`Scoring.wins`), ``supported`` (counted as supported under the
  profile), ``credit`` (the synergy rule's), ``proxy`` and the audit's
  ``flag`` on the task's SoTA (empty when none);
* :func:`task_table` -- one row per task: the tasks table with the
  direction the pass scored it in, the normalised SoTA, how many models support and beat it, and the flag;
* :func:`model_table` -- one row per model: the level reached, Level-2..5,
  ``S_L``, coverage (supported / tasks over every modality and NLP task),
  per-modality Level-2..4, the modalities it has supported tasks in, and the
  metadata of ``data/models.csv`` when the
  benchmark carries it.

>>> from glscore import load_paper                         # doctest: +SKIP
>>> from glscore.core.scoring import score_detailed        # doctest: +SKIP
>>> cell_table(score_detailed(load_paper())).shape         # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from glscore.analysis.audit import printed_direction
from glscore.core.normalise import official_rmse_column, special_metrics
from glscore.core.scoring import Scoring

#: The task columns :func:`cell_table` repeats on every row.
TASK_COLUMNS: tuple[str, ...] = ("task_id", "task_name", "modality", "paradigm", "metric",
                                 "direction")
#: The metadata columns of ``data/models.csv`` :func:`model_table` keeps.
METADATA_COLUMNS: tuple[str, ...] = ("group", "params_b", "modalities", "paradigms",
                                     "backbone_lineage", "base_model_id", "citation")


def scored_direction(ctx: Scoring) -> np.ndarray:
    """Per task, the direction the pass scored it in: the special metric's
    (``lower`` for RMSE, FID, ...) where the profile maps the task
    (``Normalised.mapped``), else the tasks table's ``direction``. They differ
    where the tasks table contradicts the metric (NLP-061, RMSE, printed as
    ``higher`` in the paper data). Under ``nlp_mode="official"`` the
    reference's RMSE task is mapped decreasing too
    (:func:`glscore.core.normalise.official_rmse_column`)."""
    tasks = ctx.bench.tasks
    specials = special_metrics(tasks, ctx.profile)
    table = tasks["direction"].astype(str).to_numpy(dtype=object)
    metric = np.array([s.direction if s is not None else "" for s in specials], dtype=object)
    out = np.where(np.asarray(ctx.norm.mapped, dtype=bool) & (metric != ""), metric, table)
    if ctx.profile.nlp_mode == "official":  # the reference maps its NLP RMSE task decreasing
        j = official_rmse_column(tasks)
        if j >= 0:
            out[j] = "lower"
    return out


def cell_table(ctx: Scoring, flags: Mapping[str, str] | None = None,
               origins: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per model and task with a raw value (models in pass order,
    tasks in table order): ``model, name, [origin,] task_id, task_name,
    modality, paradigm, metric, direction, direction_printed (as the paper
    prints it, where the tasks table keeps it), scored_direction, value, se,
    normalised, sota, sota_normalised, win, supported, credit, proxy, flag``
    (:func:`scored_direction`: the direction the pass used).

    ``flags`` maps a task id to why the audit flags its SoTA
    (:func:`glscore.analysis.audit.flagged_sota`); ``origins`` gives each
    model's origin (``paper`` / ``input``)."""
    bench = ctx.bench
    present = np.isfinite(bench.values)
    rows, cols = np.nonzero(present)
    tasks = bench.tasks.reset_index(drop=True)
    frame = pd.DataFrame({
        "model": np.asarray(bench.models, dtype=object)[rows],
        "name": np.asarray(bench.model_names, dtype=object)[rows],
    })
    if origins is not None:
        frame["origin"] = np.asarray(list(origins), dtype=object)[rows]
    for column in TASK_COLUMNS:
        frame[column] = tasks[column].to_numpy(dtype=object)[cols]
    frame["direction_printed"] = printed_direction(tasks)[cols]
    se = bench.se if bench.se is not None else np.full(bench.values.shape, np.nan)
    flag_of = tasks["task_id"].astype(str).map(dict(flags or {})).astype(object).fillna("")
    flag_of = flag_of.to_numpy()
    frame["scored_direction"] = scored_direction(ctx)[cols]
    frame["value"] = bench.values[rows, cols]
    frame["se"] = se[rows, cols]
    frame["normalised"] = ctx.norm.scores[rows, cols]
    frame["sota"] = bench.sota[cols]
    frame["sota_normalised"] = ctx.norm.sota[cols]
    frame["win"] = ctx.wins()[rows, cols]
    frame["supported"] = ctx.supported()[rows, cols]
    frame["credit"] = ctx.credit[rows, cols]
    frame["proxy"] = bench.proxy_cells()[rows, cols]
    frame["flag"] = flag_of[cols]
    return frame


def task_table(ctx: Scoring, flags: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The tasks table with ``sota_normalised``, ``supported`` (models that
    support the task under the profile), ``wins`` (models that beat its SoTA)
    and ``flag`` (the audit's reason, empty when none)."""
    frame = ctx.bench.tasks.reset_index(drop=True).copy()
    frame["scored_direction"] = scored_direction(ctx)
    frame["sota_normalised"] = ctx.norm.sota
    frame["supported"] = ctx.supported().sum(axis=0)
    frame["wins"] = ctx.wins().sum(axis=0)
    frame["flag"] = (frame["task_id"].astype(str).map(dict(flags or {})).astype(object)
                     .fillna(""))
    return frame


def model_table(ctx: Scoring, origins: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per model: ``model, name, [origin,] level, level2..level5, s_l,
    supported, tasks, coverage``, ``<modality>_level2..4`` per modality,
    ``scored_modalities`` (``;``-joined, those with a supported task), then
    the :data:`METADATA_COLUMNS` of the benchmark's metadata (empty where a
    model has none)."""
    s = ctx.scores
    frame = s.to_frame().reset_index()
    if origins is not None:
        frame.insert(2, "origin", list(origins))
    frame["supported"] = s.supported_m.sum(axis=1) + s.nlp_supported
    frame["tasks"] = int(s.tasks_m.sum()) + int(s.nlp_tasks)
    frame["coverage"] = s.coverage()
    for k, m in enumerate(s.modalities):
        for name in ("level2", "level3", "level4"):
            frame[f"{m}_{name}"] = getattr(s, f"{name}_m")[:, k]
    scored = np.asarray(s.supported_m) > 0
    frame["scored_modalities"] = [";".join(m for m, on in zip(s.modalities, r, strict=True) if on)
                                  for r in scored]
    meta = ctx.bench.metadata
    if meta is not None and "model_id" in meta.columns:
        kept = [c for c in METADATA_COLUMNS if c in meta.columns]
        info = meta.to_frame().drop_duplicates("model_id").set_index("model_id")[kept]
        frame = frame.join(info, on="model")
        frame[kept] = frame[kept].fillna("")
    return frame
