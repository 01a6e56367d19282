"""How the generalists distribute over the levels: tables, charts, findings.

Tables are pure functions of a :class:`~glscore.core.benchmark.Benchmark` (or of
:class:`~glscore.core.scoring.Scores` and leaderboard tables); chart functions
return a matplotlib ``Figure`` (never saving it); ``*_finding`` functions turn
the numbers into the sentence a notebook prints.

* :func:`level_counts` -- models per level for each scope (A-D) and profile;
  on a scope with several boards a model counts once, at its highest level
  over the boards (a model on no board is ``not listed``);
* :func:`level_score_table` -- every non-zero Level-k score, overall and per
  modality, each level score kept apart (they measure different things);
* :func:`modality_breadth` -- in how many modalities models are scored, from the
  per-task data and with the published cells that have none;
* :func:`win_map` -- per skill group, how many models beat the SoTA on at
  least one of its tasks (normalised ``score >= SoTA``);
* :func:`distance_table` -- :func:`glscore.analysis.distance.distance_to_next_level`
  for a benchmark under a profile (strict rule, normalised scale);
  :func:`distance_chart_rows` its rows worth drawing;
* :func:`coverage_win_rate` -- coverage against the win rate on supported tasks,
  with Spearman's rho.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from glscore.analysis import datastates
from glscore.analysis._passes import Source, bench_of, pass_for, passes
from glscore.analysis.audit import flagged_sota
from glscore.analysis.distance import distance_to_next_level
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import Profile
from glscore.core.scoring import Scores, Scoring, score_detailed

NOT_LISTED = "not listed"
LEVEL_RANGE: tuple[int, ...] = (1, 2, 3, 4, 5)


def _level_label(level: int) -> str:
    return f"Level-{int(level)}"


# --------------------------------------------------------------------------- models per level

def scope_levels(tables: Sequence, models: Sequence[str]) -> pd.Series:
    """Each model's highest level over a scope's boards (0 where on no board).

    ``tables``: :class:`glscore.analysis.leaderboard.BoardTable` objects of one scope.
    """
    best = pd.Series(0, index=pd.Index(list(models), name="model"), dtype=int)
    for table in tables:
        reached = table.table.set_index("model")["level"].astype(int)
        best.loc[reached.index] = np.maximum(best.loc[reached.index].to_numpy(),
                                             reached.to_numpy())
    return best


def level_counts(source: Source, profiles: Sequence[str] = ("paper", "official"),
                 scopes: Sequence[str] = ("A", "B", "C", "D"), rule: str | None = None,
                 ) -> pd.DataFrame:
    """Models per level, one row per (profile, scope, level); ``level`` 0 is
    ``not listed`` (the model supports no task of any board of the scope).
    ``source``: a mapping profile -> scoring pass, or a benchmark (scored once
    per profile under ``rule``).

    Columns: ``profile, scope, level, label, models, share`` (share of all
    models of ``bench``).
    """
    from glscore.analysis.leaderboard import scope_tables

    runs = passes(source, profiles, rule)
    bench = bench_of(source)
    rows = []
    for profile in profiles:
        for scope in scopes:
            best = scope_levels(scope_tables(runs[profile], scope), bench.models)
            counts = np.bincount(best.to_numpy(), minlength=6)
            for level in (0, *LEVEL_RANGE):
                rows.append({
                    "profile": profile, "scope": scope, "level": level,
                    "label": NOT_LISTED if level == 0 else _level_label(level),
                    "models": int(counts[level]),
                    "share": counts[level] / len(bench.models),
                })
    return pd.DataFrame(rows)


def level_counts_headline(counts: pd.DataFrame, scope: str | None = None,
                          profile: str | None = None) -> str:
    """The title of :func:`level_counts_figure`: the modal level and Level-4+
    for one scope and profile (default: the first of ``counts``)."""
    scope = counts["scope"].iloc[0] if scope is None else scope
    profile = counts["profile"].iloc[0] if profile is None else profile
    a = counts[(counts["scope"] == scope) & (counts["profile"] == profile)]
    mode = a.loc[a["models"].idxmax()]
    high = int(a.loc[a["level"] >= 4, "models"].sum())
    return (f"{mode['label']} is where most generalists stop ({int(mode['models'])} of "
            f"{int(a['models'].sum())} in Scope-{a['scope'].iloc[0]}, "
            f"{a['profile'].iloc[0]}); only {high} reach Level-4 or above")


def level_counts_finding(counts: pd.DataFrame) -> str:
    """One sentence per profile on Scope-A, and the spread over scopes."""
    parts = []
    for profile, sub in counts.groupby("profile", sort=False):
        for scope, one in sub.groupby("scope", sort=False):
            shown = ", ".join(f"{r.label}: {r.models}" for r in one.itertuples()
                              if r.models and r.level > 0)
            parts.append(f"Scope-{scope} ({profile}) -- {shown}"
                         + (f", {NOT_LISTED}: {int(one.loc[one.level == 0, 'models'].sum())}"
                            if one.loc[one.level == 0, "models"].sum() else ""))
    return "Models per highest level reached: " + "; ".join(parts) + "."


# --------------------------------------------------------------------------- level scores

#: Groups of :func:`level_score_table`: the overall score, then each modality.
OVERALL = "overall"


def level_score_table(scores: Scores) -> pd.DataFrame:
    """Every non-zero level score, each level score on its own.

    One row per (``level_score`` k, ``group``, model) with Level-k > 0: the
    overall Level-k (``group = "overall"``, k = 2..5) and the Level-k of each
    modality (k = 2..4). Level-1 has no score. Level-2, Level-3 and Level-4 are
    different quantities (a mean score, a mean credit, a harmonic mean of
    credit), so they are compared only within a ``level_score``, never across.

    Columns: ``level_score, group, model, name, score``.
    """
    models = np.array(scores.models, dtype=object)
    names = np.array(scores.model_names, dtype=object)
    parts = []
    for k in (2, 3, 4, 5):
        blocks = [(OVERALL, getattr(scores, f"level{k}"))]
        if k <= 4:
            per = getattr(scores, f"level{k}_m")
            blocks += [(m, per[:, j]) for j, m in enumerate(scores.modalities)]
        for group, values in blocks:   # <= 5 groups per level
            keep = values > 0
            parts.append(pd.DataFrame({"level_score": k, "group": group, "model": models[keep],
                                       "name": names[keep], "score": values[keep]}))
    return pd.concat(parts, ignore_index=True)


def level_score_finding(table: pd.DataFrame) -> str:
    """Per level score, on its own: the median overall and the modalities with the
    highest and lowest median (no comparison across level scores)."""
    parts = []
    for k in (2, 3, 4, 5):
        sub = table[table["level_score"] == k]
        overall = sub.loc[sub["group"] == OVERALL, "score"]
        if overall.empty:
            parts.append(f"Level-{k}: no model has a non-zero score")
            continue
        text = f"Level-{k}: overall median {overall.median():.2f} ({_models(len(overall))})"
        per = sub[sub["group"] != OVERALL].groupby("group")["score"].agg(["median", "size"])
        if len(per) > 1:
            hi, lo = per["median"].idxmax(), per["median"].idxmin()
            text += (f", by modality highest in {hi} ({per.at[hi, 'median']:.2f}, "
                     f"n={int(per.at[hi, 'size'])}) and lowest in {lo} "
                     f"({per.at[lo, 'median']:.2f}, n={int(per.at[lo, 'size'])})")
        parts.append(text)
    return ("Each level score on its own scale (medians over the models with a non-zero "
            "score; Level-2, 3 and 4 measure different things and are not compared): "
            + "; ".join(parts) + ".")


# --------------------------------------------------------------------------- heatmap

def modality_breadth(scores: Scores, bench: Benchmark) -> dict:
    """How many modalities the models are scored in, from the per-task data and
    with the published cells that have none.

    ``scored``: models with Level-2 > 0 in some modality; ``one``, ``two_plus``,
    ``three_plus``: of those, with Level-2 > 0 in one, >= 2, >= 3 modalities;
    ``no_data_models``: models with a modality the paper scores without per-task
    data; ``two_plus_with_published``: >= 2 modalities when those cells count
    (Level-2 > 0 recomputed, or a published non-zero cell without per-task
    data); ``published_two_plus`` / ``published_models``: Table 12's models with
    >= 2 non-zero modality cells, of all it prints; ``level3``: per modality,
    models with Level-3 > 0; ``level3_two_plus``: models with Level-3 > 0 in >= 2.
    """
    no_data = datastates.no_task_data_mask(bench, scores.modalities)
    l2 = scores.level2_m > 0
    count = l2.sum(axis=1)
    table12 = datastates.published_cells()
    table12 = table12[table12["table"] == 12]
    per_model = (table12["published"] != 0).groupby(table12["model"]).sum()
    return {
        "scored": int((count > 0).sum()), "one": int((count == 1).sum()),
        "two_plus": int((count >= 2).sum()), "three_plus": int((count >= 3).sum()),
        "no_data_models": int(no_data.any(axis=1).sum()),
        "two_plus_with_published": int(((l2 | no_data).sum(axis=1) >= 2).sum()),
        "published_two_plus": int((per_model >= 2).sum()),
        "published_models": int((per_model > 0).sum()),
        "level3": {m: int((scores.level3_m[:, k] > 0).sum())
                   for k, m in enumerate(scores.modalities)},
        "level3_two_plus": int(((scores.level3_m > 0).sum(axis=1) >= 2).sum()),
    }


def heatmap_finding(breadth: dict) -> str:
    """How many modalities the models cover at Level-2 and Level-3, and how much of
    the narrowness is missing per-task data (:func:`modality_breadth`)."""
    l3 = breadth["level3"]
    best = max(l3, key=lambda m: l3[m])
    return (f"Recomputed from the per-task data, {breadth['one']} of {breadth['scored']} scored "
            f"models have Level-2 in one modality only and {breadth['two_plus']} in two or more "
            f"({breadth['three_plus']} in three or more); the paper's Table 12 prints "
            f"{breadth['published_two_plus']} of {breadth['published_models']} models with "
            f"Level-2 in two or more. Part of the gap is data, not models: "
            f"{breadth['no_data_models']} scored models have a modality the paper scores without "
            f"per-task rows, and counting those cells {breadth['two_plus_with_published']} "
            f"models have two or more. Level-3 credit is most common in {best} ({l3[best]} "
            f"models); {breadth['level3_two_plus']} models have it in two or more modalities.")


# --------------------------------------------------------------------------- win map

def win_map(source: Source, profile: str = "paper") -> pd.DataFrame:
    """Per skill group: tasks, models supporting a task, models winning a task
    (normalised ``score >= SoTA`` on at least one task of the group).

    Columns: ``sheet, skill_group_id, skill_short_name, modality, paradigm,
    tasks, supporting, winners, best_model`` (the model with most wins in the
    group, ties by model id; empty if none), in task order. ``source``: the
    pass of ``profile`` (or a benchmark, or passes by profile).
    """
    run = pass_for(source, profile)
    bench, norm, won = run.bench, run.norm, run.wins()
    tasks = bench.tasks
    codes, uniques = pd.factorize(tasks["skill_group_id"])
    member = np.zeros((len(tasks), len(uniques)))
    member[np.arange(len(tasks)), codes] = 1.0
    wins = won.astype(float) @ member                      # models x groups
    supports = np.isfinite(norm.scores).astype(float) @ member
    first = tasks.drop_duplicates("skill_group_id").set_index("skill_group_id")
    best_i = np.argmax(wins, axis=0)
    best = np.where(wins.max(axis=0) > 0, np.array(bench.models, dtype=object)[best_i], "")
    return pd.DataFrame({
        "sheet": first.loc[uniques, "sheet"].to_numpy(),
        "skill_group_id": list(uniques),
        "skill_short_name": first.loc[uniques, "skill_short_name"].to_numpy(),
        "modality": first.loc[uniques, "modality"].to_numpy(),
        "paradigm": first.loc[uniques, "paradigm"].to_numpy(),
        "tasks": member.sum(axis=0).astype(int),
        "supporting": (supports > 0).sum(axis=0),
        "winners": (wins > 0).sum(axis=0),
        "best_model": best,
    })


def win_map_finding(wmap: pd.DataFrame) -> str:
    """Groups nobody wins, per paradigm, split into those some model attempts
    (never won) and those no model supports; and the most-won group."""
    never = wmap["winners"] == 0
    unsupported = wmap["supporting"] == 0
    per = (wmap.assign(never=never, unsupported=unsupported)
           .groupby("paradigm", sort=False)[["never", "unsupported"]].agg(["sum", "size"]))
    shown = ", ".join(f"{int(r[('never', 'sum')])} of {int(r[('never', 'size')])} {p}"
                      for p, r in per.iterrows())
    top = wmap.loc[wmap["winners"].idxmax()]
    return (f"{int(never.sum())} of {len(wmap)} skill groups are won by no generalist "
            f"({shown}): {int((never & ~unsupported).sum())} attempted but never won, "
            f"{int(unsupported.sum())} supported by no model; the most-won is "
            f"{top['skill_group_id']} {top['skill_short_name']} ({int(top['winners'])} models).")


# --------------------------------------------------------------------------- distance

def distance_table(source: Source, profile: str | Profile = "paper",
                   raise_unsupported: bool = True) -> pd.DataFrame:
    """:func:`glscore.analysis.distance.distance_to_next_level` for the pass of
    ``profile`` (its normalisation, modalities and aggregation; strict rule),
    with the model's display name and the chosen task's modality, paradigm
    and name. ``increase`` is in points of the normalised 0-100 scale."""
    run = _pass(source, profile)
    bench, norm, prof = run.bench, run.norm, run.profile
    comp, gen, names = run.comp_mask, run.gen_mask, run.modalities
    if prof.aggregation == "pooled":
        comp, gen = np.asarray(comp.any(axis=1))[:, None], np.asarray(gen.any(axis=1))[:, None]
        names = ("pooled",)
    nlp = run.nlp_mask
    out = distance_to_next_level(norm.scores, norm.sota, comp, gen, nlp, bench.models,
                                 tuple(bench.tasks["task_id"]), names, raise_unsupported)
    info = bench.tasks.set_index("task_id")[["modality", "paradigm", "task_name"]]
    out = out.join(info, on="task_id")
    out.insert(1, "name", bench.model_names)
    return out


@dataclass(frozen=True)
class Distances:
    """Distances in both modes: any task (unsupported from 0) and supported only."""

    any_task: pd.DataFrame
    supported_only: pd.DataFrame

    def combined(self) -> pd.DataFrame:
        """One row per model: the any-task row plus the supported-only
        ``task_id``/``increase``/``feasible``/``reason`` (suffix ``_supported``)."""
        other = self.supported_only[["model", "task_id", "increase", "feasible", "reason"]]
        return self.any_task.merge(other, on="model", suffixes=("", "_supported"))


def distances(source: Source, profile: str | Profile = "paper") -> Distances:
    """:func:`distance_table` in both modes, from one scoring pass."""
    run = _pass(source, profile)
    return Distances(distance_table(run, profile, True), distance_table(run, profile, False))


def _pass(source: Source, profile: str | Profile) -> Scoring:
    """The pass of ``profile`` (a :class:`Profile` is scored from the benchmark)."""
    if isinstance(profile, Profile):
        if isinstance(source, Scoring) and source.profile == profile:
            return source
        return score_detailed(bench_of(source), profile)
    return pass_for(source, profile)


def distances_without(bench: Benchmark, task_ids: Sequence[str],
                      profile: str | Profile = "paper") -> Distances:
    """:func:`distances` on the benchmark without the tasks ``task_ids``."""
    keep = ~bench.tasks["task_id"].isin(list(task_ids)).to_numpy()
    return distances(bench.select_tasks(keep), profile)


def flagged_distance_finding(full: Distances, reduced: Distances,
                             flagged: Sequence[str]) -> str:
    """How much of the distance analysis rests on flagged SoTAs: the models
    whose cheapest move targets one, and the per-level medians without them."""
    a, b = full.combined(), reduced.combined()
    a, b = a[a["level"].between(2, 4)], b[b["level"].between(2, 4)]
    leaning = a[a["task_id"].isin(list(flagged))]
    targets = ", ".join(sorted(set(leaning["task_id"]))) or "none"
    medians = []
    for lv in sorted(set(a["level"]) | set(b["level"])):
        x, y = a.loc[a["level"] == lv, "increase"], b.loc[b["level"] == lv, "increase"]
        medians.append(f"Level-{lv} -> {lv + 1} median {x.median():.2f} "
                       f"({_models(len(x))}) vs {y.median():.2f} ({_models(len(y))})")
    return (f"With every task, {_models(len(leaning))} at Level-2 to 4 have their cheapest move "
            f"on a task whose SoTA the audit flags ({targets}); with all tasks vs without the "
            f"{len(flagged)} flagged ones: " + "; ".join(medians) + ".")


#: Columns that make two rows of the distance chart identical.
CHART_KEYS: tuple[str, ...] = ("level", "task_id", "increase", "feasible", "task_id_supported",
                               "increase_supported", "feasible_supported")


def distance_chart_rows(dist: Distances) -> tuple[pd.DataFrame, int]:
    """The rows of the distance chart, and how many vacuous rows were dropped.

    Rows: models below Level-5. Dropped as vacuous: Level-1 models (no score on
    any modality task: "run any modality task" says nothing about them, e.g. a
    language model). Rows equal in every column of :data:`CHART_KEYS` collapse
    into one, with ``models`` (the count) and ``names`` (``", "``-joined, in
    name order), sorted by increase, level, then first name.
    """
    frame = dist.combined()
    frame = frame[frame["level"] < 5]
    vacuous = int((frame["level"] == 1).sum())
    frame = frame[frame["level"] > 1]
    keys = list(CHART_KEYS)
    grouped = (frame.sort_values("name").fillna({"task_id": "", "task_id_supported": ""})
               .groupby(keys, sort=False, dropna=False)["name"]
               .agg(models="size", names=", ".join).reset_index())
    grouped[["task_id", "task_id_supported"]] = grouped[["task_id", "task_id_supported"]].replace(
        "", None)
    out = grouped.sort_values(["increase", "level", "names"], kind="stable")
    return out.reset_index(drop=True), vacuous


def distance_headline(dist: Distances) -> str:
    """Title of :func:`distance_figure`."""
    frame = dist.combined()
    l3 = frame[frame["level"] == 3]
    stuck = int((~l3["feasible_supported"]).sum())
    return (f"Each of the {len(l3)} Level-3 models is one win away from Level-4 if it could "
            f"run any task, but {stuck} of them support no task whose win would lift them")


def distance_finding(dist: Distances) -> str:
    """Per level from 2 to 4: median increase (any task), the most frequent target
    task, and how many are impossible when only supported tasks may be raised
    (Level-1 models are counted, not described: any modality score lifts them)."""
    frame = dist.combined()
    parts = []
    for lv, sub in frame[frame["level"].between(2, 4)].groupby("level"):
        target = sub["task_id"].value_counts()
        top = ""
        if len(target):
            sota = sub.loc[sub["task_id"] == target.index[0], "to_score"].iloc[0]
            top = (f", most often {target.index[0]} ({_models(int(target.iloc[0]))}, "
                   f"target {sota:.3g})")
        stuck = int((~sub["feasible_supported"]).sum())
        sup = sub.loc[sub["feasible_supported"], "increase_supported"]
        sup_text = f", median {sup.median():.2f}" if len(sup) else ""
        parts.append(f"Level-{lv} -> {lv + 1} ({_models(len(sub))}): median "
                     f"{sub['increase'].median():.2f} points{top}; supported tasks only: "
                     f"{stuck} impossible{sup_text}")
    at_top = int((frame["level"] >= 5).sum())
    vacuous = int((frame["level"] == 1).sum())
    return ("Smallest single-task increase to the next level (strict rule, normalised scale, "
            "any task, unsupported from 0): " + "; ".join(parts)
            + f"; {_models(at_top)} already at Level-5; {_models(vacuous)} at Level-1 (no score "
            "on any modality task, e.g. language models) left out: any modality score lifts "
            "them.")


def _models(n: int) -> str:
    return f"{n} model" if n == 1 else f"{n} models"


# --------------------------------------------------------------------------- coverage vs wins

def coverage_win_rate(source: Source, profile: str = "paper") -> pd.DataFrame:
    """Per model with a supported task: how much it runs and how often it wins there.

    ``coverage = supported / tasks`` over the modality and NLP tasks, ``win_rate
    = wins / supported`` (wins on the tasks it supports; a win is the pass's
    ``score >= SoTA``), with ``supported``, ``wins``, ``flagged_wins`` (on tasks
    whose SoTA the audit flags) and the ``level`` reached. Unlike Level-2 and
    Level-3, neither number contains the other.
    """
    run = pass_for(source, profile)
    bench, s = run.bench, run.scores
    supported = s.supported_m.sum(axis=1) + s.nlp_supported
    wins = s.wins_m.sum(axis=1) + s.nlp_wins
    won = run.wins()
    flagged = bench.tasks["task_id"].isin(list(flagged_sota(run))).to_numpy()
    keep = supported > 0
    return pd.DataFrame({
        "model": np.array(bench.models, dtype=object)[keep],
        "name": np.array(bench.model_names, dtype=object)[keep],
        "level": run.scores.level[keep], "supported": supported[keep], "wins": wins[keep],
        "flagged_wins": won[:, flagged].sum(axis=1)[keep],
        "coverage": s.coverage()[keep],
        "win_rate": wins[keep] / supported[keep],
    })


def coverage_win_rate_stats(frame: pd.DataFrame) -> dict:
    """Spearman's rho between coverage and win rate, its p-value, the count, and
    the models that win nothing they run."""
    rho, p = stats.spearmanr(frame["coverage"], frame["win_rate"])
    return {"rho": float(rho), "p": float(p), "n": len(frame),
            "no_win": int((frame["wins"] == 0).sum())}


def coverage_win_rate_finding(frame: pd.DataFrame) -> str:
    """Does running more tasks go with winning more of them? The rank correlation
    as a sentence, with the median win rate."""
    r = coverage_win_rate_stats(frame)
    strength = ("strongly" if abs(r["rho"]) >= 0.7 else
                "moderately" if abs(r["rho"]) >= 0.4 else "weakly")
    sign = "positively" if r["rho"] >= 0 else "negatively"
    return (f"Coverage and win rate on the supported tasks are {strength} {sign} "
            f"rank-correlated (Spearman rho = {r['rho']:.2f}, p = {r['p']:.1g}, n = {r['n']} "
            f"models with a supported task): the median model beats the SoTA on "
            f"{frame['win_rate'].median():.0%} of the tasks it runs, {r['no_win']} on none.")
