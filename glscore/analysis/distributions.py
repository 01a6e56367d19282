"""How the generalists distribute over the levels: tables, charts, findings.

Tables are pure functions of a :class:`~glscore.core.benchmark.Benchmark` (or of
:class:`~glscore.core.scoring.Scores` and leaderboard tables); chart functions
return a matplotlib ``Figure`` (never saving it); ``*_finding`` functions turn
the numbers into the sentence a notebook prints.

* :func:`level_counts` -- models per level for each scope (A-D) and profile;
  on a scope with several boards a model counts once, at its highest level
  over the boards (a model on no board is ``not listed``);
* :func:`level_scores` / :func:`modality_level_scores` -- each model's score
  at the level it reaches, overall and per modality;
* :func:`win_map` -- per skill group, how many models beat the SoTA on at
  least one of its tasks (normalised ``score >= SoTA``);
* :func:`distance_table` -- :func:`glscore.analysis.distance.distance_to_next_level`
  for a benchmark under a profile (strict rule, normalised scale);
* :func:`breadth_synergy` -- Spearman's rho between Level-2 and Level-3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from glscore.analysis._passes import Source, bench_of, pass_for, passes
from glscore.analysis.distance import distance_to_next_level
from glscore.core import levels
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


# --------------------------------------------------------------------------- scores within a level

def level_scores(scores: Scores) -> pd.DataFrame:
    """One row per model: level reached and the overall score at that level
    (Level-1 models score 0)."""
    at = levels.score_at_level(scores.level, scores.level2, scores.level3, scores.level4,
                               scores.level5)
    return pd.DataFrame({"model": scores.models, "name": scores.model_names,
                         "level": scores.level, "score": at})


def modality_level_scores(scores: Scores) -> pd.DataFrame:
    """One row per (model, modality) the model supports: the level reached in
    that modality (Level-2..4 of the modality) and the score at that level."""
    l2, l3, l4 = scores.level2_m, scores.level3_m, scores.level4_m
    zero = np.zeros(l2.size)
    reached = levels.level_reached(l2.ravel(), l3.ravel(), l4.ravel(), zero)
    at = levels.score_at_level(reached, l2.ravel(), l3.ravel(), l4.ravel(), zero)
    n_models, n_mod = l2.shape
    frame = pd.DataFrame({
        "model": np.repeat(np.array(scores.models, dtype=object), n_mod),
        "modality": np.tile(np.array(scores.modalities, dtype=object), n_models),
        "level": reached, "score": at, "supported": scores.supported_m.ravel(),
    })
    return frame[frame["supported"] > 0].reset_index(drop=True)


def score_distribution_finding(overall: pd.DataFrame, per_modality: pd.DataFrame) -> str:
    """Median score per level overall, and the modality where Level-3 scores
    are highest."""
    med = overall[overall["level"] >= 2].groupby("level")["score"].median()
    shown = ", ".join(f"{_level_label(lv)} {v:.1f}" for lv, v in med.items())
    l3 = per_modality[per_modality["level"] == 3].groupby("modality")["score"].median()
    tail = ""
    if len(l3):
        top = l3.idxmax()
        tail = (f"; within a modality, Level-3 scores run highest in {top} "
                f"(median {l3[top]:.1f}) and lowest in {l3.idxmin()} ({l3.min():.1f})")
    return f"Scores within a level are low and spread: median overall score {shown}{tail}."


# --------------------------------------------------------------------------- heatmap


def heatmap_finding(scores: Scores) -> str:
    """How many modalities the models cover at Level-2 and at Level-3."""
    l2 = (scores.level2_m > 0).sum(axis=1)
    l3 = (scores.level3_m > 0).sum(axis=1)
    listed = l2 > 0
    one = int((l2[listed] == 1).sum())
    cover = {m: int((scores.level3_m[:, k] > 0).sum()) for k, m in enumerate(scores.modalities)}
    best = max(cover, key=lambda m: cover[m])
    return (f"Breadth is rare: {one} of {int(listed.sum())} scored models have Level-2 in one "
            f"modality only, {int((l2 >= 3).sum())} in three or more; Level-3 credit is most "
            f"common in {best} ({cover[best]} models) and {int((l3 >= 2).sum())} models have "
            f"it in two or more modalities.")


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
    """Groups nobody wins, per paradigm, and the most-won group."""
    never = wmap["winners"] == 0
    per = wmap.assign(never=never).groupby("paradigm", sort=False)["never"].agg(["sum", "size"])
    shown = ", ".join(f"{int(r['sum'])} of {int(r['size'])} {p}" for p, r in per.iterrows())
    top = wmap.loc[wmap["winners"].idxmax()]
    return (f"{int(never.sum())} of {len(wmap)} skill groups are won by no generalist "
            f"({shown}); the most-won is {top['skill_group_id']} {top['skill_short_name']} "
            f"({int(top['winners'])} models).")


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


#: Checks of :func:`glscore.analysis.audit.suspicious_units` whose SoTA is not
#: a usable target: raw or percent units, or a mapped SoTA saturated at 0/100.
FLAGGED_CHECKS: tuple[str, ...] = ("spread", "saturated", "percent")


def flagged_sota_tasks(bench: Benchmark, checks: Sequence[str] = FLAGGED_CHECKS) -> list[str]:
    """Task ids whose SoTA the audit flags under any of ``checks``, in task order."""
    from glscore.analysis.audit import suspicious_units

    units = suspicious_units(bench)
    flagged = set(units.loc[units["check"].isin(list(checks)), "task_id"])
    return [t for t in bench.tasks["task_id"] if t in flagged]


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
    a, b = a[a["level"] < 5], b[b["level"] < 5]
    leaning = a[a["task_id"].isin(list(flagged))]
    targets = ", ".join(sorted(set(leaning["task_id"]))) or "none"
    medians = []
    for lv in sorted(set(a["level"]) | set(b["level"])):
        x, y = a.loc[a["level"] == lv, "increase"], b.loc[b["level"] == lv, "increase"]
        medians.append(f"Level-{lv} -> {lv + 1} median {x.median():.2f} "
                       f"({_models(len(x))}) vs {y.median():.2f} ({_models(len(y))})")
    return (f"{_models(len(leaning))} have their cheapest move on a task whose SoTA the audit "
            f"flags ({targets}); without the {len(flagged)} flagged tasks: "
            + "; ".join(medians) + " (all tasks vs without the flagged ones).")


def distance_headline(dist: Distances) -> str:
    """Title of :func:`distance_figure`."""
    frame = dist.combined()
    l3 = frame[frame["level"] == 3]
    stuck = int((~l3["feasible_supported"]).sum())
    return (f"Each of the {len(l3)} Level-3 models is one win away from Level-4 if it could "
            f"run any task, but {stuck} of them support no task whose win would lift them")


def distance_finding(dist: Distances) -> str:
    """Per level: median increase (any task), the most frequent target task,
    and how many are impossible when only supported tasks may be raised."""
    frame = dist.combined()
    parts = []
    for lv, sub in frame[frame["level"] < 5].groupby("level"):
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
    return ("Smallest single-task increase to the next level (strict rule, normalised scale, "
            "any task, unsupported from 0): " + "; ".join(parts)
            + f"; {_models(at_top)} already at Level-5.")


def _models(n: int) -> str:
    return f"{n} model" if n == 1 else f"{n} models"


# --------------------------------------------------------------------------- breadth vs synergy

def breadth_synergy(scores: Scores) -> dict:
    """Spearman's rho between overall Level-2 and Level-3 over models with
    Level-2 > 0, with its p-value and the count."""
    keep = scores.level2 > 0
    rho, p = stats.spearmanr(scores.level2[keep], scores.level3[keep])
    return {"rho": float(rho), "p": float(p), "n": int(keep.sum()),
            "zero_level3": int((keep & (scores.level3 == 0)).sum())}


def breadth_synergy_finding(scores: Scores) -> str:
    """Does breadth buy synergy? The rank correlation as a sentence."""
    r = breadth_synergy(scores)
    strength = ("strongly" if abs(r["rho"]) >= 0.7 else
                "moderately" if abs(r["rho"]) >= 0.4 else "weakly")
    ratio = scores.level3[scores.level2 > 0] / scores.level2[scores.level2 > 0]
    return (f"Breadth and synergy are {strength} rank-correlated (Spearman rho = {r['rho']:.2f}, "
            f"n = {r['n']} models with Level-2 > 0, p = {r['p']:.1g}); Level-3 keeps a median "
            f"{np.median(ratio) * 100:.0f}% of Level-2, and {r['zero_level3']} have none.")
