"""Audit: where the ``official`` and ``paper`` profiles part ways, and how
sound the SoTA reference table is.

Everything here is a pure function of the scoring passes by profile
(``{"official": pass, "paper": pass}`` from
:func:`~glscore.core.scoring.score_detailed`; a
:class:`~glscore.core.benchmark.Benchmark` is scored once per profile and
call) returning a DataFrame or a sentence (``*_finding``) built from the
numbers; the figures are in :mod:`glscore.figures.audit`.

Profile differences
    :func:`normalisation_differences` lists the tasks normalised differently
    (SoTA or a supported cell), with a computed reason;
    :func:`profile_comparison` puts Level-2..5, the level reached and the
    per-level ranks side by side; :func:`changed_models` keeps the models
    that move; :func:`level5_tasks` names the NLP tasks whose credit makes
    ``S_L`` non-zero for every model that reaches Level-5.

Data quality of the SoTA reference
    :func:`suspicious_units`, :func:`unsupported_tasks`,
    :func:`unbeaten_tasks`, :func:`all_beaten_tasks`,
    :func:`direction_issues`.

Two SoTA tables side by side
    :func:`compare_sota` aligns two tasks tables (paper data, an official
    ``sota_result.xlsx``, a tasks CSV) by sheet and task name and
    categorises every difference (the ``glscore compare-sota`` command);
    :func:`with_sota_table` scores a benchmark against another table and
    :func:`sota_level_changes` says which models change level.

Example (hand-made benchmark: one WER task printed in percent)::

    >>> import numpy as np, pandas as pd
    >>> from glscore.core.benchmark import Benchmark
    >>> tasks = pd.DataFrame({"task_id": ["AG-001"], "modality": ["Audio"],
    ...     "paradigm": ["generation"], "sheet": ["Audio-Generation"], "sheet_row": [1],
    ...     "task_name": ["tts"], "task_short_name": ["tts"], "metric": ["WER"],
    ...     "direction": ["lower"], "sota": [5.0]})
    >>> bench = Benchmark(tasks, ("m",), np.array([[10.0]]))
    >>> row = normalisation_differences(bench).iloc[0]
    >>> float(row["sota_official"]), float(row["sota_paper"]), row["cause"]
    (-400.0, 95.0, 'wer')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from glscore.analysis._passes import Source, bench_of, pass_for, passes
from glscore.core import metrics
from glscore.core.benchmark import Benchmark
from glscore.core.normalise import Normalised, official_rmse_column, special_metrics
from glscore.core.profiles import OFFICIAL, PAPER
from glscore.core.scoring import LEVEL_COLUMNS, Scores, Scoring, score
from glscore.errors import InputError
from glscore.paths import official_dir

PROFILE_PAIR: tuple[str, str] = ("official", "paper")
TASK_KEYS: tuple[str, ...] = ("task_id", "sheet", "task_name", "metric", "direction")
#: Words that mark an error-like (lower-is-better) metric name.
ERROR_WORDS: tuple[str, ...] = ("error", "distance", "loss", "rmse", "mae", "mse")

# --------------------------------------------------------------------------- helpers


def _close(a: np.ndarray, b: np.ndarray, atol: float) -> np.ndarray:
    """Elementwise ``|a - b| <= atol``, two NaNs counting as equal."""
    with np.errstate(invalid="ignore"):
        return (np.isnan(a) & np.isnan(b)) | (np.abs(a - b) <= atol)


def _task_frame(tasks: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    return tasks.loc[mask, list(TASK_KEYS)].reset_index(drop=True)


# --------------------------------------------------------------------------- normalisation


def normalisation_differences(source: Source, atol: float = 1e-9,
                              include_missing_as_zero: bool = False) -> pd.DataFrame:
    """Tasks whose normalisation differs between ``official`` and ``paper``.

    A task differs when its normalised SoTA differs by more than ``atol``, or
    when a *supported* cell (raw value present) does. With
    ``include_missing_as_zero`` a task also counts when its only difference
    is that ``official`` turns missing cells of a mapped metric into 0.0.

    Columns: ``task_id, sheet, task_name, metric, direction, sota_raw,
    sota_official, sota_paper, sota_shift`` (official - paper),
    ``mapped_official, mapped_paper`` (the special metric applied, ``""`` if
    none), ``cells_changed`` (supported cells whose value differs),
    ``missing_to_zero`` (missing cells that official sets to 0),
    ``cause`` (``alias``, ``wer``, ``nlp``, ``missing_as_zero`` or
    ``other``, ``+``-joined) and ``reason`` (a sentence). ``source``: the
    passes by profile (or a benchmark, scored under both).
    """
    bench, off, pap = _norms(source)
    tasks = bench.tasks
    spec_off = special_metrics(tasks, OFFICIAL)
    spec_pap = special_metrics(tasks, PAPER)
    supported = np.isfinite(bench.values)
    cell_diff = supported & ~_close(off.scores, pap.scores, atol)
    to_zero = ~supported & (off.scores == 0) & np.isnan(pap.scores)
    sota_diff = ~_close(off.sota, pap.sota, atol)
    keep = sota_diff | cell_diff.any(axis=0)
    if include_missing_as_zero:
        keep |= to_zero.any(axis=0)
    is_nlp = (tasks["paradigm"] == "nlp").to_numpy()
    rmse_quirk = official_rmse_column(tasks)

    causes, reasons = [], []
    for j in (int(x) for x in np.flatnonzero(keep)):
        cause, reason = _reason(tasks.iloc[j], spec_off[j], spec_pap[j], off, pap,
                                int(j), bool(is_nlp[j]), j == rmse_quirk,
                                bool(sota_diff[j] or cell_diff[:, j].any()))
        causes.append(cause)
        reasons.append(reason)
    out = _task_frame(tasks, keep)
    out["sota_raw"] = bench.sota[keep]
    out["sota_official"] = off.sota[keep]
    out["sota_paper"] = pap.sota[keep]
    out["sota_shift"] = off.sota[keep] - pap.sota[keep]
    out["mapped_official"] = [_spec_name(spec_off[j]) if off.mapped[j] else ""
                              for j in np.flatnonzero(keep)]
    out["mapped_paper"] = [_spec_name(spec_pap[j]) if pap.mapped[j] else ""
                           for j in np.flatnonzero(keep)]
    out["cells_changed"] = cell_diff[:, keep].sum(axis=0)
    out["missing_to_zero"] = to_zero[:, keep].sum(axis=0)
    out["cause"] = causes
    out["reason"] = reasons
    return out


def _spec_name(spec: metrics.SpecialMetric | None) -> str:
    return spec.name if spec is not None else ""


def _norms(source: Source) -> tuple[Benchmark, Normalised, Normalised]:
    """The benchmark and its official and paper normalisations (one pass each)."""
    runs = passes(source, PROFILE_PAIR)
    return runs["official"].bench, runs["official"].norm, runs["paper"].norm


def _reason(row: pd.Series, s_off, s_pap, off: Normalised, pap: Normalised, j: int,
            nlp: bool, quirk: bool, real_diff: bool) -> tuple[str, str]:
    causes, parts = [], []
    sota = f"SoTA {row['sota']:g} -> {off.sota[j]:.4g} (official) vs {pap.sota[j]:.4g} (paper)"
    if nlp and pap.mapped[j]:
        causes.append("nlp")
        text = f"official leaves NLP raw, paper maps {s_pap.name}"
        if quirk:
            text += (f"; official maps the model's {row['metric']} x to "
                     "(2/(1+e^(-5/x))-1)*100 but keeps the SoTA raw (one-sided)")
        parts.append(text)
        printed = row.get("direction_printed", row["direction"])
        if s_pap.direction != printed:
            parts.append(f"printed {printed}-is-better, but {s_pap.name} is "
                         f"{s_pap.direction}-is-better")
    elif s_off is None and s_pap is not None:
        causes.append("alias")
        parts.append(f"exact-name matching misses '{row['metric']}' (paper: {s_pap.name} by "
                     "alias), so official leaves it raw")
    elif s_pap is not None and s_pap.family == "wer" and OFFICIAL.wer_percent != PAPER.wer_percent:
        causes.append("wer")
        parts.append("WER read as a fraction by official (1 - x), as a percentage by paper "
                     "(1 - x/100)")
    elif real_diff:
        causes.append("other")
        parts.append("the profiles map this metric differently")
    if not real_diff:
        causes = ["missing_as_zero"]
        parts = [f"official sets missing {s_off.name if s_off else 'values'} to 0.0"]
    return "+".join(causes), "; ".join(parts) + f" ({sota})"


def normalisation_finding(diffs: pd.DataFrame) -> str:
    """One sentence summarising :func:`normalisation_differences`."""
    if diffs.empty:
        return "The official and paper profiles normalise every task identically."
    counts = diffs["cause"].value_counts()
    labels = {"alias": "metric names that exact matching misses",
              "wer": "WER read as a fraction", "nlp": "NLP mapped on one side only",
              "missing_as_zero": "missing cells set to 0 only", "other": "other"}
    parts = [f"{int(counts[c])} by {labels.get(c, c)} ({', '.join(diffs.loc[diffs['cause'] == c, 'task_id'])})"
             for c in counts.index]
    worst = diffs.loc[diffs["sota_shift"].abs().idxmax()]
    text = (f"{len(diffs)} tasks are normalised differently by the two profiles: "
            + "; ".join(parts) + ".")
    if worst["sota_shift"] != 0:
        text += (f" The largest SoTA shift is {worst['task_id']} ({worst['metric']}, raw "
                 f"{worst['sota_raw']:g}): {worst['sota_official']:.4g} under official vs "
                 f"{worst['sota_paper']:.4g} under paper.")
    return text


def missing_as_zero_finding(source: Source, atol: float = 1e-9) -> str:
    """How many missing cells ``official`` turns into 0.0, and whether that
    alone changes any score (official rescored with that setting off)."""
    runs = passes(source, PROFILE_PAIR)
    diffs = normalisation_differences(runs, atol=atol, include_missing_as_zero=True)
    cells, tasks = int(diffs["missing_to_zero"].sum()), int((diffs["missing_to_zero"] > 0).sum())
    a = runs["official"].scores
    b = score(bench_of(runs), OFFICIAL.with_options(missing_special_as_zero=False))
    moved = np.zeros(len(a.models), dtype=bool)
    for col in (*LEVEL_COLUMNS, "level"):
        moved |= ~_close(getattr(a, col).astype(float), getattr(b, col).astype(float), atol)
    return (f"Official also turns {cells} missing cells of {tasks} mapped tasks into 0.0 "
            f"(counted as supported); switching that off alone changes the level or a "
            f"Level-2..5 score of {int(moved.sum())} of {len(a.models)} models.")


def normalised_difference_matrix(source: Source) -> pd.DataFrame:
    """Official minus paper normalised value, tasks x (``SoTA`` + models).

    Only supported cells (raw value present) and the SoTA are filled; NaN
    elsewhere. Rows are indexed by ``task_id``.
    """
    bench, off, pap = _norms(source)
    cells = np.where(np.isfinite(bench.values), off.scores - pap.scores, np.nan)
    frame = pd.DataFrame(cells.T, index=bench.tasks["task_id"], columns=list(bench.model_names))
    frame.insert(0, "SoTA", off.sota - pap.sota)
    return frame


def official_raw_cells(source: Source) -> pd.DataFrame:
    """Which cells of :func:`normalised_difference_matrix` hold a *raw* value on
    the official side: the paper maps the task's metric, the official scorer
    leaves the value as printed (a Chamfer distance, a translation error, the
    NLP-061 SoTA), so the difference mixes the metric's own unit with points.
    Same index and columns; ``True`` where the official value equals the raw one
    and the paper maps it."""
    bench, off, pap = _norms(source)
    raw = bench.values
    cells = np.isfinite(raw) & (off.scores == raw) & pap.mapped[None, :] & ~off.mapped[None, :]
    sota = bench.tasks["sota"].astype(float).to_numpy()
    frame = pd.DataFrame(cells.T, index=bench.tasks["task_id"], columns=list(bench.model_names))
    frame.insert(0, "SoTA", (off.sota == sota) & pap.mapped & ~off.mapped)
    return frame


def difference_headline(diffs: pd.DataFrame) -> str:
    """The title of the difference map: how many tasks differ, and the largest
    SoTA gap with both sides in their units (raw where the official scorer
    leaves the value unmapped).

    ``diffs`` is :func:`normalisation_differences`."""
    worst = diffs.loc[diffs["sota_shift"].abs().idxmax()]
    official_raw = not isinstance(worst["mapped_official"], str) or not worst["mapped_official"]
    unit = (f"raw {worst['metric'].split('(')[0].strip()}, unmapped" if official_raw
            else "points")
    return (f"{len(diffs)} tasks normalise differently; the largest SoTA gap is "
            f"{worst['task_id']}: {worst['sota_official']:.6g} under official ({unit}) "
            f"against {worst['sota_paper']:.2g} points under paper")


# --------------------------------------------------------------------------- models


def profile_comparison(source: Source, scores: dict[str, Scores] | None = None
                       ) -> pd.DataFrame:
    """Per model: level reached, Level-2..5 and per-level rank under both profiles.

    Columns: ``model, name, level_official, level_paper, level_change`` and,
    for ``k`` in 2..5, ``level{k}_official, level{k}_paper, level{k}_shift``
    (official - paper), ``rank{k}_official, rank{k}_paper, rank{k}_shift``
    (official - paper; positive = ranked lower under official). Ranks are
    1 = best, ties share the best rank (``method="min"``).
    """
    scores = scores or {p: run.scores for p, run in passes(source, PROFILE_PAIR).items()}
    a, b = (scores[p] for p in PROFILE_PAIR)
    out = pd.DataFrame({"model": a.models, "name": a.model_names,
                        "level_official": a.level, "level_paper": b.level})
    out["level_change"] = out["level_official"] - out["level_paper"]
    for col in LEVEL_COLUMNS:
        k = col[-1]
        va, vb = getattr(a, col), getattr(b, col)
        out[f"level{k}_official"] = va
        out[f"level{k}_paper"] = vb
        out[f"level{k}_shift"] = va - vb
        ra, rb = _rank(va), _rank(vb)
        out[f"rank{k}_official"], out[f"rank{k}_paper"] = ra, rb
        out[f"rank{k}_shift"] = ra - rb
    return out


def _rank(values: np.ndarray) -> pd.Series:
    """1 = best, ties share the best rank; a score of exactly 0 is unranked
    (``<NA>``), as the paper prints ``/`` for all-zero rows.

    >>> _rank(np.array([3.0, 0.0, 5.0, 3.0])).tolist()
    [2, <NA>, 1, 2]
    """
    series = pd.Series(values, dtype=float).where(lambda v: v != 0)
    return series.rank(ascending=False, method="min").astype("Int64")


def changed_models(comparison: pd.DataFrame, atol: float = 1e-6) -> pd.DataFrame:
    """Rows of :func:`profile_comparison` whose level, a rank, or a score
    (by more than ``atol``) changes; sorted by the largest |score shift|."""
    shifts = comparison[[f"level{c[-1]}_shift" for c in LEVEL_COLUMNS]].abs()
    moved = (comparison["level_change"] != 0) | (shifts > atol).any(axis=1)
    for c in LEVEL_COLUMNS:
        moved |= _rank_changed(comparison, c[-1])
    out = comparison.loc[moved].assign(_key=shifts.max(axis=1)[moved])
    return out.sort_values(["_key", "model"], ascending=[False, True]).drop(
        columns="_key").reset_index(drop=True)


def _rank_changed(comparison: pd.DataFrame, k: str) -> pd.Series:
    """Rank differs, or the model is ranked under one profile only."""
    a, b = comparison[f"rank{k}_official"], comparison[f"rank{k}_paper"]
    return (a.fillna(0) != b.fillna(0)).astype(bool)


def comparison_finding(comparison: pd.DataFrame, atol: float = 1e-6) -> str:
    """Sentences: who changes level, whose scores move, the largest rank shifts."""
    n = len(comparison)
    lv = comparison[comparison["level_change"] != 0]
    moves = ", ".join(f"{r.name} {r.level_paper}->{r.level_official}" for r in lv.itertuples())
    text = (f"Of {n} models, {len(lv)} reach a different level under official than under "
            f"paper" + (f" ({moves})" if moves else "") + ".")
    for col in LEVEL_COLUMNS:
        k = col[-1]
        shift = comparison[f"level{k}_shift"]
        moved = shift.abs() > atol
        if not moved.any():
            text += f" Level-{k} is the same for every model (within {atol:g})."
            continue
        i = shift.abs().idxmax()
        changed = _rank_changed(comparison, k)
        text += (f" Level-{k} moves for {int(moved.sum())} models (largest "
                 f"{comparison.at[i, 'name']}: {comparison.at[i, f'level{k}_paper']:.4g} -> "
                 f"{comparison.at[i, f'level{k}_official']:.4g}); "
                 f"{int(changed.sum())} change Level-{k} rank")
        ranks = comparison[f"rank{k}_shift"].astype("Float64").abs().fillna(-1)
        if (ranks > 0).any():
            j = ranks.idxmax()
            text += (f", most {comparison.at[j, 'name']} ({comparison.at[j, f'rank{k}_paper']}"
                     f" -> {comparison.at[j, f'rank{k}_official']})")
        text += "."
    return text


def headline(diffs: pd.DataFrame, comparison: pd.DataFrame) -> str:
    """One sentence for the README: how many tasks the two profiles normalise
    differently and how many models reach a different level
    (:func:`normalisation_differences`, :func:`profile_comparison`)."""
    moved = comparison[comparison["level_change"] != 0]
    names = ", ".join(f"{r.name} {r.level_paper}->{r.level_official}" for r in moved.itertuples())
    return (f"The official scorer and the paper's formulas normalise {len(diffs)} of the tasks "
            f"differently, and {len(moved)} of {len(comparison)} models reach a different level "
            "under official than under paper" + (f" ({names})" if names else "") + ".")


def level5_tasks(source: Source, profiles: Sequence[str] = PROFILE_PAIR) -> pd.DataFrame:
    """For every model with Level-5 > 0 under a profile: the NLP tasks whose
    credit makes ``S_L`` non-zero, one row each.

    Columns: ``profile, model, name, level4, s_l, level5, task_id, task_name,
    metric, direction, value_raw, value_normalised, sota_raw,
    sota_normalised, credit``. Empty when no model reaches Level-5.
    """
    runs = passes(source, profiles)
    bench = bench_of(runs)
    nlp = (bench.tasks["paradigm"] == "nlp").to_numpy()
    frames = []
    for name in profiles:
        run = runs[name]
        prof, s, norm, credit = run.profile, run.scores, run.norm, run.credit
        rows, cols = np.nonzero((s.level5[:, None] > 0) & nlp[None, :] & (credit > 0))
        t = bench.tasks.iloc[cols]
        frames.append(pd.DataFrame({
            "profile": prof.name, "model": np.array(bench.models)[rows],
            "name": np.array(bench.model_names)[rows], "level4": s.level4[rows],
            "s_l": s.s_l[rows], "level5": s.level5[rows],
            "task_id": t["task_id"].to_numpy(), "task_name": t["task_name"].to_numpy(),
            "metric": t["metric"].to_numpy(), "direction": t["direction"].to_numpy(),
            "value_raw": bench.values[rows, cols], "value_normalised": norm.scores[rows, cols],
            "sota_raw": bench.sota[cols], "sota_normalised": norm.sota[cols],
            "credit": credit[rows, cols],
        }))
    return pd.concat(frames, ignore_index=True)


#: The label of the committed SoTA table in sentences.
PAPER_SOTA = "the paper's printed SoTA table (data/tasks.csv)"


def level5_finding(table: pd.DataFrame, profiles: Sequence[str] = PROFILE_PAIR,
                   sota: str = PAPER_SOTA) -> str:
    """Which models reach Level-5 under each profile against the SoTA table
    ``sota`` (named in the sentence), and through which tasks."""
    parts = []
    for prof in profiles:
        rows = table[table["profile"] == prof]
        if rows.empty:
            parts.append(f"Under {prof}, against {sota}, no model reaches Level-5.")
            continue
        models = rows.drop_duplicates("model")
        per_model = "; ".join(
            f"{g['name'].iloc[0]} (Level-5 {g['level5'].iloc[0]:.4g}) via "
            + ", ".join(f"{r.task_id} '{r.task_name}' ({r.metric}, raw {r.value_raw:g} -> "
                        f"{r.value_normalised:.4g} vs SoTA {r.sota_normalised:.4g})"
                        for r in g.itertuples())
            for _, g in rows.groupby("model", sort=True))
        tasks = sorted(rows["task_id"].unique())
        parts.append(f"Under {prof}, against {sota}, {len(models)} model(s) reach Level-5, "
                     f"all through "
                     f"{len(tasks)} NLP task(s) {', '.join(tasks)}: {per_model}.")
    return " ".join(parts)


# --------------------------------------------------------------------------- data quality


def suspicious_units(source: Source, spread: float = 100.0, low: float = 1.0,
                     high: float = 99.99) -> pd.DataFrame:
    """SoTA values in raw or suspicious units, one row per (task, check).

    Checks (``check`` column):

    * ``spread`` -- a special metric's SoTA is more than ``spread`` times
      away from that metric's median SoTA over the benchmark (``CD`` from
      4.93E-05 to 6540);
    * ``saturated`` -- a mapped (paper profile) SoTA below ``low`` or above
      ``high``: the metric's temperature does not fit the unit, so the task
      cannot discriminate (nothing beats 100, anything beats 0);
    * ``percent`` -- a WER SoTA above 1 (a fraction printed in percent);
    * ``plain-scale`` -- a plain (unmapped) metric's SoTA outside (1, 100].

    Columns: ``task_id, sheet, task_name, metric, direction, sota,
    sota_paper, check, detail``.
    """
    run = pass_for(source, "paper")
    bench = run.bench
    tasks = bench.tasks
    sota = bench.sota
    specs = special_metrics(tasks, PAPER)
    sota_paper = run.norm.sota
    name = np.array([s.name if s else "" for s in specs], dtype=object)
    rows = []

    def add(mask: np.ndarray, check: str, details: list[str]) -> None:
        idx = np.flatnonzero(mask)
        frame = _task_frame(tasks, mask)
        frame["sota"] = sota[idx]
        frame["sota_paper"] = sota_paper[idx]
        frame["check"] = check
        frame["detail"] = details
        rows.append(frame)

    median = pd.Series(sota).groupby(name).transform("median").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.maximum(sota / median, median / sota)
    m = (name != "") & (factor > spread)
    add(m, "spread", [f"{name[j]} SoTA {sota[j]:g} is "
                      + (f"{factor[j]:,.0f} times" if sota[j] > median[j] else
                         f"1/{factor[j]:,.0f} of")
                      + f" the median {name[j]} SoTA {median[j]:g}" for j in np.flatnonzero(m)])
    m = (name != "") & ((sota_paper < low) | (sota_paper > high))
    add(m, "saturated", [f"{name[j]} SoTA {sota[j]:g} maps to {sota_paper[j]:.6g} of 100"
                         for j in np.flatnonzero(m)])
    is_wer = np.array([s is not None and s.family == "wer" for s in specs])
    m = is_wer & (sota > 1)
    add(m, "percent", [f"WER SoTA {sota[j]:g} > 1: a percentage, while 1 - x expects a "
                       "fraction" for j in np.flatnonzero(m)])
    m = (name == "") & ((sota <= 1) | (sota > 100))
    add(m, "plain-scale", [f"plain metric SoTA {sota[j]:g} outside (1, 100]"
                           for j in np.flatnonzero(m)])
    return pd.concat(rows, ignore_index=True)


#: Checks of :func:`suspicious_units` whose SoTA is not a usable target: raw or
#: percent units, or a mapped SoTA saturated at 0/100.
FLAGGED_CHECKS: tuple[str, ...] = ("spread", "saturated", "percent")


def flagged_sota(source: Source, checks: Sequence[str] = FLAGGED_CHECKS) -> dict[str, str]:
    """Task id -> why the audit flags its SoTA (the details of ``checks`` of
    :func:`suspicious_units`, ``"; "``-joined), in task order: the tasks where a
    win, or a move towards one, says little about synergy. Empty for a SoTA
    table the ``paper`` profile cannot normalise (scoring it reports why)."""
    try:
        units = suspicious_units(source)
    except InputError:
        return {}
    units = units[units["check"].isin(list(checks))]
    details = units.groupby("task_id", sort=False)["detail"].agg("; ".join)
    order = bench_of(source).tasks["task_id"]
    return {t: str(details[t]) for t in order if t in details.index}


def flagged_sota_tasks(source: Source, checks: Sequence[str] = FLAGGED_CHECKS) -> list[str]:
    """Task ids whose SoTA the audit flags under any of ``checks``, in task order."""
    return list(flagged_sota(source, checks))


def _support(run: Scoring) -> tuple[np.ndarray, np.ndarray, Normalised]:
    supported = np.isfinite(run.bench.values).sum(axis=0)
    return supported, run.wins().sum(axis=0), run.norm


def unsupported_tasks(source: Source) -> pd.DataFrame:
    """Tasks that no model supports (no raw value anywhere)."""
    bench = bench_of(source)
    mask = ~np.isfinite(bench.values).any(axis=0)
    out = _task_frame(bench.tasks, mask)
    out["sota"] = bench.sota[mask]
    return out


def unbeaten_tasks(source: Source, profile: str = "paper", min_supported: int = 1
                   ) -> pd.DataFrame:
    """Tasks with at least ``min_supported`` supporting models and no model
    reaching the SoTA (normalised under ``profile``).

    Columns: task keys, ``sota``, ``supported``, ``best`` (best normalised
    score), ``sota_normalised``, ``gap`` (SoTA - best, normalised points).
    """
    run = pass_for(source, profile)
    bench = run.bench
    supported, wins, norm = _support(run)
    mask = (supported >= max(min_supported, 1)) & (wins == 0)
    out = _task_frame(bench.tasks, mask)
    best = np.nanmax(np.where(np.isfinite(norm.scores), norm.scores, -np.inf), axis=0)
    out["sota"] = bench.sota[mask]
    out["supported"] = supported[mask]
    out["best"] = best[mask]
    out["sota_normalised"] = norm.sota[mask]
    out["gap"] = norm.sota[mask] - best[mask]
    return out


def all_beaten_tasks(source: Source, profile: str = "paper", min_supported: int = 1
                     ) -> pd.DataFrame:
    """Tasks where every one of at least ``min_supported`` supporting models
    reaches the SoTA: a SoTA that may be too low.

    Columns: task keys, ``sota``, ``supported``, ``worst`` (lowest
    normalised score), ``sota_normalised``, ``margin`` (worst - SoTA).
    """
    run = pass_for(source, profile)
    bench = run.bench
    supported, wins, norm = _support(run)
    mask = (supported >= max(min_supported, 1)) & (wins == supported)
    worst = np.nanmin(np.where(np.isfinite(norm.scores), norm.scores, np.inf), axis=0)
    out = _task_frame(bench.tasks, mask)
    out["sota"] = bench.sota[mask]
    out["supported"] = supported[mask]
    out["worst"] = worst[mask]
    out["sota_normalised"] = norm.sota[mask]
    out["margin"] = worst[mask] - norm.sota[mask]
    return out


def printed_direction(tasks: pd.DataFrame) -> np.ndarray:
    """The direction as the paper prints it: ``direction_printed`` where the
    tasks table keeps it (``data/tasks.csv``: the scored ``direction`` follows the
    metric), else ``direction``."""
    column = "direction_printed" if "direction_printed" in tasks.columns else "direction"
    return np.asarray(tasks[column].astype(str).to_numpy(dtype=object))


def direction_issues(source: Source, error_words: Sequence[str] = ERROR_WORDS
                     ) -> pd.DataFrame:
    """Tasks whose metric direction is unclear, one row per (task, issue).

    Issues (on the printed direction, :func:`printed_direction`):
    ``printed-vs-registry`` (the printed arrow contradicts the special-metric
    registry, e.g. RMSE printed higher-is-better; a tasks table used for
    scoring must give the registry's direction);
    ``lower-unmapped`` (printed lower-is-better, metric not in the registry);
    ``error-like-higher`` (not in the registry, printed higher-is-better, but
    the name contains one of ``error_words``, e.g. "L1 distance");
    ``exact-miss`` (a registry metric that exact-name matching misses, so the
    official scorer treats it as a plain higher-is-better score).
    """
    bench = bench_of(source)
    tasks = bench.tasks
    metric = tasks["metric"].astype(str)
    direction = printed_direction(tasks)
    alias: list[Any] = special_metrics(tasks, PAPER)  # None where not in the registry
    exact = special_metrics(tasks, OFFICIAL)
    reg_dir = np.array([s.direction if s else "" for s in alias], dtype=object)
    in_reg = reg_dir != ""
    wordy = metric.str.lower().str.contains("|".join(error_words), regex=True).to_numpy()
    checks = (
        ("printed-vs-registry", in_reg & (reg_dir != direction),
         lambda j: f"printed {direction[j]}-is-better; the registry's {_spec_name(alias[j])} is "
                   f"{reg_dir[j]}-is-better"),
        ("lower-unmapped", ~in_reg & (direction == "lower"),
         lambda j: "printed lower-is-better, but no mapping to 0-100 is known"),
        ("error-like-higher", ~in_reg & wordy & (direction == "higher"),
         lambda j: f"'{metric.iloc[j]}' reads like an error (lower is better) but is "
                   "printed higher-is-better and averaged raw"),
        ("exact-miss", in_reg & np.array([e is None for e in exact]),
         lambda j: f"'{metric.iloc[j]}' is {_spec_name(alias[j])} ({reg_dir[j]}-is-better) but "
                   "exact-name matching misses it: raw and higher-is-better under official"),
    )
    frames = []
    for issue, mask, detail in checks:
        frame = _task_frame(tasks, mask)
        frame["sota"] = bench.sota[mask]
        frame["issue"] = issue
        frame["detail"] = [detail(j) for j in np.flatnonzero(mask)]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def quality_finding(source: Source, units: pd.DataFrame, unsupported: pd.DataFrame,
                    unbeaten: pd.DataFrame, beaten: pd.DataFrame,
                    directions: pd.DataFrame) -> str:
    """Sentences summarising the data-quality audit of the SoTA table."""
    n = len(bench_of(source).tasks)
    checks = units.groupby("check", sort=False)["task_id"].apply(lambda s: ", ".join(s))
    unit_text = "; ".join(f"{c}: {ids}" for c, ids in checks.items()) or "none"
    spread = units[units["check"] == "spread"]
    spread_text = ""
    if not spread.empty:
        by_metric = units[units["task_id"].isin(spread["task_id"])].drop_duplicates("task_id")
        lo, hi = by_metric["sota"].min(), by_metric["sota"].max()
        spread_text = f" (flagged SoTA values range from {lo:.3g} to {hi:.6g})"
    issues = directions.groupby("issue", sort=False)["task_id"].apply(lambda s: ", ".join(s))
    dir_text = "; ".join(f"{i}: {ids}" for i, ids in issues.items()) or "none"
    return (
        f"Of {n} tasks, {units['task_id'].nunique()} have a SoTA in raw or suspicious units "
        f"({unit_text}){spread_text}. {len(unsupported)} tasks are supported by no model. "
        f"{len(unbeaten)} supported tasks are beaten by no model, "
        f"{len(beaten)} are beaten by every supporting model "
        f"(a SoTA possibly too low: {', '.join(beaten['task_id']) or 'none'}). "
        f"{directions['task_id'].nunique()} tasks have an unclear metric direction ({dir_text})."
    )


# --------------------------------------------------------------------------- charts


# --------------------------------------------------------------------------- two SoTA tables

#: Categories of :func:`compare_sota`, in the order they are tested.
SOTA_CATEGORIES: tuple[str, ...] = (
    "only in A", "only in B", "missing in A", "missing in B", "equal", "rounding",
    "scale x100", "scale x0.01", "round amount", "differs",
)
COMPARE_COLUMNS: tuple[str, ...] = (
    "sheet", "task_name", "task_id_a", "task_id_b", "row_a", "row_b", "metric_a",
    "metric_b", "value_a", "value_b", "difference", "ratio", "category", "note",
)


def _match_key(tasks: pd.DataFrame) -> pd.Series:
    """``sheet|normalised task name|occurrence`` (task id where the name is empty)."""
    names = tasks["task_name"].fillna("").astype(str).map(lambda n: " ".join(n.split()).casefold())
    ids = "#" + tasks["task_id"].astype(str)
    names = names.where(names != "", ids)
    base = tasks["sheet"].astype(str) + "|" + names
    return base + "|" + base.groupby(base).cumcount().astype(str)


def _decimals(x: float) -> int:
    """Decimals in the shortest text of ``x`` (``0.54`` -> 2, ``55.0`` -> 0)."""
    text = repr(float(x))
    if "e" in text or "." not in text:
        return 0 if "e" not in text else 12
    return len(text.split(".")[1].rstrip("0"))


def _rounds_to(a: float, b: float) -> bool:
    """``a`` is ``b`` rounded to ``a``'s (at least one) printed decimals, or
    the other way round."""
    for short, long in ((a, b), (b, a)):
        d = _decimals(short)
        if 1 <= d < _decimals(long) and round(long, d) == short:
            return True
    return False


def _category(a: float, b: float, tolerance: float, round_step: float) -> str:
    if np.isnan(a) and np.isnan(b):
        return "equal"
    if np.isnan(a):
        return "missing in A"
    if np.isnan(b):
        return "missing in B"
    diff = b - a
    if abs(diff) <= tolerance:
        return "equal"
    if _rounds_to(a, b):
        return "rounding"
    if a != 0 and np.isclose(b, a * 100.0, rtol=1e-9, atol=tolerance):
        return "scale x100"
    if a != 0 and np.isclose(b, a * 0.01, rtol=1e-9, atol=tolerance):
        return "scale x0.01"
    if round_step > 0 and abs(diff / round_step - round(diff / round_step)) * round_step <= max(
            tolerance, 1e-9):
        return "round amount"
    return "differs"


def compare_sota(a: pd.DataFrame, b: pd.DataFrame, tolerance: float = 1e-6,
                 round_step: float = 1.0) -> pd.DataFrame:
    """Two SoTA tables (tasks tables with ``task_id, sheet, task_name,
    metric, sota``) compared task by task.

    Tasks are matched by sheet and normalised task name (blanks collapsed,
    case folded; a repeated name pairs by occurrence; the task id stands in
    for an empty name), never by row or ``No``: the official workbook's
    ``No`` is neither the row order nor unique. One row per task of either
    side, in A's order then B's leftovers, with ``difference = B - A``,
    ``ratio = B / A`` and a ``category`` (first that applies):

    * ``only in A`` / ``only in B`` -- no task of that name on the other side;
    * ``missing in A`` / ``missing in B`` -- the task is there, its SoTA is not;
    * ``equal`` -- ``|B - A| <= tolerance``;
    * ``rounding`` -- one value is the other rounded to its (>= 1) printed
      decimals (``0.54`` vs ``0.542``);
    * ``scale x100`` / ``scale x0.01`` -- ``B = 100 A`` or ``B = A / 100``;
    * ``round amount`` -- ``B - A`` is a whole multiple of ``round_step``;
    * ``differs`` -- anything else.

    ``note`` says ``metric differs`` when the metric names (normalised like
    task names) disagree.

    >>> ta = pd.DataFrame({"task_id": ["X-1", "X-2"], "sheet": "NLP",
    ...                    "task_name": ["qa", "ts"], "metric": ["Acc", "RMSE"],
    ...                    "sota": [87.33, 55.0]})
    >>> tb = ta.assign(sota=[83.33, 0.55])
    >>> compare_sota(ta, tb)["category"].tolist()
    ['round amount', 'scale x0.01']
    """
    for name, frame in (("A", a), ("B", b)):
        missing = [c for c in ("task_id", "sheet", "task_name", "metric", "sota")
                   if c not in frame.columns]
        if missing:
            raise InputError(f"SoTA table {name} lacks column(s) {missing}")

    def side(frame: pd.DataFrame, tag: str) -> pd.DataFrame:
        rows = frame["sheet_row"] if "sheet_row" in frame.columns else pd.Series(
            np.arange(1, len(frame) + 1))
        return pd.DataFrame({
            "key": _match_key(frame).to_numpy(),
            "sheet": frame["sheet"].astype(str).to_numpy(),
            "task_name": frame["task_name"].fillna("").astype(str).to_numpy(),
            f"task_id_{tag}": frame["task_id"].astype(str).to_numpy(),
            f"row_{tag}": pd.array(rows.to_numpy(), dtype="Int64"),
            f"metric_{tag}": frame["metric"].fillna("").astype(str).to_numpy(),
            f"value_{tag}": pd.to_numeric(frame["sota"], errors="coerce").to_numpy(float),
        })

    left, right = side(a, "a"), side(b, "b")
    merged = left.merge(right.drop(columns=["sheet"]), on="key", how="outer",
                        suffixes=("", "_b_name"), indicator=True, sort=False)
    order_a = pd.Series(np.arange(len(left)), index=left["key"])
    order_b = pd.Series(np.arange(len(right)), index=right["key"])
    merged["_o"] = merged["key"].map(order_a).fillna(len(left) + merged["key"].map(order_b))
    merged = merged.sort_values("_o", kind="stable").reset_index(drop=True)
    only_b = merged["_merge"] == "right_only"
    merged.loc[only_b, "task_name"] = merged.loc[only_b, "task_name_b_name"]
    merged.loc[only_b, "sheet"] = merged.loc[only_b, "key"].str.split("|").str[0]
    va, vb = merged["value_a"].to_numpy(float), merged["value_b"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        merged["difference"] = vb - va
        merged["ratio"] = np.where(va != 0, vb / va, np.nan)
    category = [_category(x, y, tolerance, round_step) for x, y in zip(va, vb, strict=True)]
    merged["category"] = np.where(merged["_merge"] == "left_only", "only in A",
                                  np.where(only_b, "only in B", category))
    norm = lambda s: s.fillna("").map(lambda m: " ".join(m.split()).casefold())  # noqa: E731
    both = merged["_merge"] == "both"
    merged["note"] = np.where(both & (norm(merged["metric_a"]) != norm(merged["metric_b"])),
                              "metric differs", "")
    return merged[list(COMPARE_COLUMNS)]


def sota_finding(table: pd.DataFrame, label_a: str = "A", label_b: str = "B") -> str:
    """One sentence: counts per category, overall and for the NLP sheet."""
    counts = table["category"].value_counts()
    parts = [f"{int(counts[c])} {c}" for c in SOTA_CATEGORIES if c in counts]
    text = f"{len(table)} tasks compared ({label_a} vs {label_b}): {', '.join(parts)}."
    for sheet, rows in table.groupby("sheet", sort=False):
        both = rows[~rows["category"].isin(["only in A", "only in B"])]
        moved = both[~both["category"].isin(["equal", "missing in A", "missing in B"])]
        lower = int((moved["difference"] < 0).sum())
        higher = int((moved["difference"] > 0).sum())
        if lower or higher:
            text += (f" {sheet}: {label_b} is lower in {lower} and higher in {higher} of "
                     f"{len(both)} matched tasks.")
    return text


# --------------------------------------------------------------------------- levels under two tables

def with_sota_table(bench: Benchmark, tasks: pd.DataFrame, tolerance: float = 1e-6
                    ) -> tuple[Benchmark, pd.DataFrame]:
    """``bench`` with the SoTA of another tasks table, and the task comparison.

    Tasks are matched as :func:`compare_sota` matches them (sheet and task
    name, never row numbers). A task of ``bench`` that ``tasks`` lacks, or
    whose SoTA it leaves empty, keeps its own SoTA; the comparison (one row
    per task, ``category`` as in :func:`compare_sota`) says which.
    """
    table = compare_sota(bench.tasks, tasks, tolerance=tolerance)
    ours = table[table["task_id_a"].notna() & (table["category"] != "only in B")]
    value = pd.Series(ours["value_b"].to_numpy(float), index=ours["task_id_a"].to_numpy())
    new = value.reindex(bench.tasks["task_id"].to_numpy()).to_numpy(float)
    sota = np.where(np.isfinite(new), new, bench.sota)
    rebased = bench.tasks.assign(sota=sota)
    return bench.with_tasks(rebased), table


def sota_level_changes(bench: Benchmark, tasks_b: pd.DataFrame,
                       tasks_a: pd.DataFrame | None = None,
                       profiles: Sequence[str] = ("paper", "official")) -> pd.DataFrame:
    """The models whose level or Level-5 score changes when ``bench`` is scored
    against SoTA table B instead of A (default: its own table), per profile.

    Columns: ``profile, model, name, level_a, level_b, level_change`` and
    ``level{k}_a, level{k}_b`` for k = 2..5; sorted by profile, then the
    largest level change, then name.
    """
    a = bench if tasks_a is None else with_sota_table(bench, tasks_a)[0]
    b = with_sota_table(bench, tasks_b)[0]
    frames = []
    for profile in profiles:
        sa, sb = score(a, profile), score(b, profile)
        frame = pd.DataFrame({"profile": profile, "model": sa.models, "name": sa.model_names,
                              "level_a": sa.level, "level_b": sb.level,
                              "level_change": sb.level - sa.level})
        for col in LEVEL_COLUMNS:
            frame[f"{col}_a"], frame[f"{col}_b"] = getattr(sa, col), getattr(sb, col)
        moved = (frame["level_change"] != 0) | (frame["level5_a"] != frame["level5_b"])
        frames.append(frame[moved])
    out = pd.concat(frames, ignore_index=True)
    key = out["level_change"].abs()
    return (out.assign(_k=-key).sort_values(["profile", "_k", "name"], kind="stable")
            .drop(columns="_k").reset_index(drop=True))


def sota_levels_finding(changes: pd.DataFrame, label_a: str, label_b: str,
                        profiles: Sequence[str] = ("paper", "official")) -> str:
    """Per profile: who changes level between SoTA tables A and B, and who reaches
    Level-5 under each table (the Level-5 statement names its table)."""
    parts = []
    for profile in profiles:
        rows = changes[changes["profile"] == profile]
        moved = rows[rows["level_change"] != 0]
        text = (f"Under {profile}, scored against {label_b} instead of {label_a}, "
                + (f"{len(moved)} model(s) change level ("
                   + ", ".join(f"{r.name} Level-{r.level_a} -> Level-{r.level_b}"
                               for r in moved.itertuples()) + ")"
                   if len(moved) else "no model changes level"))
        five = rows[rows["level5_a"] != rows["level5_b"]]
        if len(five):
            text += ("; Level-5 moves for " + ", ".join(
                f"{r.name} ({r.level5_a:.4g} -> {r.level5_b:.4g})" for r in five.itertuples()))
        parts.append(text + ".")
    return " ".join(parts)


def level5_by_table(bench: Benchmark, tables: Mapping[str, pd.DataFrame | None],
                    profiles: Sequence[str] = ("paper", "official")) -> pd.DataFrame:
    """Who reaches Level-5 under each SoTA table (label -> tasks table; ``None``:
    the benchmark's own) and profile: ``profile, table, model, name, level5``, one
    row per model with Level-5 > 0 (a profile and table with none has no row)."""
    rows = []
    for label, tasks in tables.items():
        run = bench if tasks is None else with_sota_table(bench, tasks)[0]
        for profile in profiles:
            s = score(run, profile)
            for i in np.flatnonzero(s.level5 > 0):   # the few Level-5 models
                rows.append({"profile": profile, "table": label, "model": s.models[i],
                             "name": s.model_names[i], "level5": float(s.level5[i])})
    return pd.DataFrame(rows, columns=["profile", "table", "model", "name", "level5"])


def level5_table_finding(frame: pd.DataFrame, tables: Sequence[str],
                         profiles: Sequence[str] = ("paper", "official")) -> str:
    """The Level-5 statement, naming its SoTA table: per profile, who reaches
    Level-5 against each table (:func:`level5_by_table`)."""
    parts = []
    for profile in profiles:
        per = []
        for label in tables:
            rows = frame[(frame["profile"] == profile) & (frame["table"] == label)]
            who = (", ".join(f"{r.name} ({r.level5:.3g})" for r in rows.itertuples())
                   if len(rows) else "no model")
            per.append(f"{who} against {label}")
        parts.append(f"under {profile}, " + "; ".join(per))
    sets = frame.groupby(["profile", "table"])["model"].agg(frozenset)
    differs = any(len({sets.get((p, t), frozenset()) for t in tables}) > 1 for p in profiles)
    head = ("Level-5, by SoTA table" if len(tables) < 2 else
            "Who reaches Level-5 depends on the SoTA table" if differs else
            "The same models reach Level-5 under every SoTA table")
    return f"{head}: " + "; ".join(parts) + "."


#: How sentences name the official scorer's SoTA workbook.
OFFICIAL_SOTA = "the official sota_result.xlsx"


@dataclass(frozen=True)
class SotaTables:
    """The paper data scored against the paper's printed SoTA table (A) and the
    official workbook (B), when present: the task comparison, the models whose
    level or Level-5 changes, and who reaches Level-5 under each table."""

    labels: tuple[str, str]
    present: bool
    where: str
    comparison: pd.DataFrame
    changes: pd.DataFrame
    level5: pd.DataFrame

    def finding(self) -> str:
        """What the second table changes, or that it is absent; the Level-5
        statement names its table either way."""
        a, b = self.labels
        if not self.present:
            return (f"{b[:1].upper() + b[1:]} is not present ({self.where}): only {a} is "
                    f"scored here. " + level5_table_finding(self.level5, [a]))
        table = self.comparison
        counts = table["category"].value_counts()
        kinds = ", ".join(f"{int(counts[c])} {c}" for c in SOTA_CATEGORIES
                          if c != "equal" and c in counts)
        moved = table[~table["category"].isin(["equal", "missing in A", "missing in B"])]
        nlp = moved[moved["sheet"] == "NLP"]
        return (f"{len(moved)} of {len(table)} tasks have a different SoTA in {b} ({kinds}); "
                f"it is lower in {int((moved['difference'] < 0).sum())} and higher in "
                f"{int((moved['difference'] > 0).sum())}, lower in "
                f"{int((nlp['difference'] < 0).sum())} of the {int((table['sheet'] == 'NLP').sum())}"
                f" NLP tasks. " + sota_levels_finding(self.changes, a, b) + " "
                + level5_table_finding(self.level5, list(self.labels)))


def official_sota_path(path: str | Path = "") -> Path:
    """The official SoTA workbook: ``path``, or (``""``) ``sota_result.xlsx`` in the
    shared folder of the official workbooks (:func:`glscore.paths.official_dir`)."""
    return Path(path) if str(path) else official_dir() / "sota_result.xlsx"


def sota_tables(bench: Benchmark, path: str | Path = "") -> SotaTables:
    """:class:`SotaTables` for ``bench`` and the official workbook at ``path``
    (default: :func:`official_sota_path`); an absent workbook is said, not an error."""
    from glscore.io.loaders import load_tasks

    target = official_sota_path(path)
    labels = (PAPER_SOTA, OFFICIAL_SOTA)
    where = ("looked for in ../shared/data/general-level-official/" if not str(path) else
             f"looked for at {target.name}")
    if not target.is_file():
        empty = pd.DataFrame(columns=list(COMPARE_COLUMNS))
        changes = pd.DataFrame(columns=["profile", "model", "name", "level_a", "level_b",
                                        "level_change"])
        return SotaTables(labels, False, where, empty, changes,
                          level5_by_table(bench, {PAPER_SOTA: None}))
    tasks = load_tasks(target)
    comparison = compare_sota(bench.tasks, tasks)
    return SotaTables(labels, True, where, comparison, sota_level_changes(bench, tasks),
                      level5_by_table(bench, {PAPER_SOTA: None, OFFICIAL_SOTA: tasks}))
