"""How the generalists distribute over the levels: tables, charts, findings.

Tables are pure functions of a :class:`~glscore.bench.Benchmark` (or of
:class:`~glscore.scoring.Scores` and leaderboard tables); chart functions
return a matplotlib ``Figure`` (never saving it); ``*_finding`` functions turn
the numbers into the sentence a notebook prints.

* :func:`level_counts` -- models per level for each scope (A-D) and profile;
  on a scope with several boards a model counts once, at its highest level
  over the boards (a model on no board is ``not listed``);
* :func:`level_scores` / :func:`modality_level_scores` -- each model's score
  at the level it reaches, overall and per modality;
* :func:`win_map` -- per skill group, how many models beat the SoTA on at
  least one of its tasks (normalised ``score >= SoTA``);
* :func:`distance_table` -- :func:`glscore.levels.distance_to_next_level`
  for a benchmark under a profile (strict rule, normalised scale);
* :func:`breadth_synergy` -- Spearman's rho between Level-2 and Level-3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd
from scipy import stats

from glscore import levels, plots
from glscore.bench import MODALITIES, SHEETS, Benchmark
from glscore.normalise import normalise
from glscore.profiles import Profile, get_profile
from glscore.scoring import Scores, modality_masks

NOT_LISTED = "not listed"
#: Grey for models a scope does not list.
NOT_LISTED_COLOR = "#BBBBBB"
LEVEL_RANGE: tuple[int, ...] = (1, 2, 3, 4, 5)


def _level_label(level: int) -> str:
    return f"Level-{int(level)}"


# --------------------------------------------------------------------------- models per level

def scope_levels(tables: Sequence, models: Sequence[str]) -> pd.Series:
    """Each model's highest level over a scope's boards (0 where on no board).

    ``tables``: :class:`glscore.leaderboard.BoardTable` objects of one scope.
    """
    best = pd.Series(0, index=pd.Index(list(models), name="model"), dtype=int)
    for table in tables:
        reached = table.table.set_index("model")["level"].astype(int)
        best.loc[reached.index] = np.maximum(best.loc[reached.index].to_numpy(),
                                             reached.to_numpy())
    return best


def level_counts(bench: Benchmark, profiles: Sequence[str] = ("paper", "official"),
                 scopes: Sequence[str] = ("A", "B", "C", "D"), rule: str | None = None,
                 ) -> pd.DataFrame:
    """Models per level, one row per (profile, scope, level); ``level`` 0 is
    ``not listed`` (the model supports no task of any board of the scope).

    Columns: ``profile, scope, level, label, models, share`` (share of all
    models of ``bench``).
    """
    from glscore.leaderboard import scope_tables

    rows = []
    for profile in profiles:
        for scope in scopes:
            best = scope_levels(scope_tables(bench, scope, profile, rule), bench.models)
            counts = np.bincount(best.to_numpy(), minlength=6)
            for level in (0, *LEVEL_RANGE):
                rows.append({
                    "profile": profile, "scope": scope, "level": level,
                    "label": NOT_LISTED if level == 0 else _level_label(level),
                    "models": int(counts[level]),
                    "share": counts[level] / len(bench.models),
                })
    return pd.DataFrame(rows)


def level_counts_figure(counts: pd.DataFrame, scope: str | None = None,
                        profile: str | None = None):
    """Stacked bars: models per level, one bar per (scope, profile); the title
    speaks of ``scope``/``profile`` (default: the first of ``counts``)."""
    import matplotlib.pyplot as plt

    keys = counts[["scope", "profile"]].drop_duplicates().to_numpy().tolist()
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    x = np.arange(len(keys))
    bottom = np.zeros(len(keys))
    for level in (0, *LEVEL_RANGE):
        label = NOT_LISTED if level == 0 else _level_label(level)
        sub = counts[counts["level"] == level].set_index(["scope", "profile"])["models"]
        heights = np.array([sub.get((s, p), 0) for s, p in keys], dtype=float)
        color = NOT_LISTED_COLOR if level == 0 else plots.LEVEL_COLORS[label]
        bars = ax.bar(x, heights, bottom=bottom, color=color, label=label, width=0.75,
                      edgecolor="white", linewidth=0.5)
        for rect, h in zip(bars, heights, strict=True):
            if h >= 4:
                ax.text(rect.get_x() + rect.get_width() / 2, rect.get_y() + h / 2, f"{int(h)}",
                        ha="center", va="center", fontsize=7,
                        color="black" if level in (0, 4, 5) else "white")
        bottom += heights
    ax.set_xticks(x, [f"Scope-{s}\n{p}" for s, p in keys], fontsize=8)
    ax.set_ylabel("models (count)")
    ax.set_xlabel("scope and scoring profile")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title="highest level")
    ax.set_title(_wrap(level_counts_headline(counts, scope, profile)), fontsize=10)
    return fig


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
    stacked = np.stack([scores.level2, scores.level3, scores.level4, scores.level5], axis=1)
    idx = np.clip(scores.level - 2, 0, 3)
    at = np.where(scores.level >= 2, stacked[np.arange(len(scores.level)), idx], 0.0)
    return pd.DataFrame({"model": scores.models, "name": scores.model_names,
                         "level": scores.level, "score": at})


def modality_level_scores(scores: Scores) -> pd.DataFrame:
    """One row per (model, modality) the model supports: the level reached in
    that modality (Level-2..4 of the modality) and the score at that level."""
    l2, l3, l4 = scores.level2_m, scores.level3_m, scores.level4_m
    reached = levels.level_reached(l2.ravel(), l3.ravel(), l4.ravel(), np.zeros(l2.size))
    stacked = np.stack([l2.ravel(), l3.ravel(), l4.ravel()], axis=1)
    at = np.where(reached >= 2, stacked[np.arange(l2.size), np.clip(reached - 2, 0, 2)], 0.0)
    n_models, n_mod = l2.shape
    frame = pd.DataFrame({
        "model": np.repeat(np.array(scores.models, dtype=object), n_mod),
        "modality": np.tile(np.array(scores.modalities, dtype=object), n_models),
        "level": reached, "score": at, "supported": scores.supported_m.ravel(),
    })
    return frame[frame["supported"] > 0].reset_index(drop=True)


def _strip(ax, groups: list[np.ndarray], positions: np.ndarray, colors: list[str],
           width: float, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    for values, pos, color in zip(groups, positions, colors, strict=True):
        if len(values) >= 3 and np.ptp(values) > 0:
            body = ax.violinplot([values], positions=[pos], widths=width, showextrema=False)
            for part in body["bodies"]:
                part.set_facecolor(color)
                part.set_alpha(0.25)
                part.set_edgecolor("none")
        jitter = rng.uniform(-width / 4, width / 4, len(values))
        ax.scatter(pos + jitter, values, s=12, color=color, edgecolor="white", linewidth=0.4,
                   zorder=3)
        if len(values):
            ax.hlines(np.median(values), pos - width / 3, pos + width / 3, color="black",
                      linewidth=1.2, zorder=4)


def score_distribution_figure(overall: pd.DataFrame, per_modality: pd.DataFrame):
    """Violins with every point: the score at the level reached, per level,
    overall (left) and per modality (right); black ticks are medians."""
    import matplotlib.pyplot as plt

    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(10.0, 4.4), width_ratios=(1, 1.6))
    present = [lv for lv in LEVEL_RANGE if (overall["level"] == lv).any()]
    pos = np.arange(len(present), dtype=float)
    _strip(ax0, [overall.loc[overall["level"] == lv, "score"].to_numpy() for lv in present],
           pos, [plots.LEVEL_COLORS[_level_label(lv)] for lv in present], 0.8)
    ax0.set_xticks(pos, [f"{_level_label(lv)}\n(n={int((overall['level'] == lv).sum())})"
                         for lv in present])
    ax0.set_ylabel("overall score at the level reached (0-100)")
    ax0.set_xlabel("level reached (overall)")
    ax0.set_title("overall", fontsize=10)

    mods = [m for m in MODALITIES if (per_modality["modality"] == m).any()]
    lv_present = [lv for lv in LEVEL_RANGE if (per_modality["level"] == lv).any()]
    width = 0.8 / max(len(mods), 1)
    for k, m in enumerate(mods):
        sub = per_modality[per_modality["modality"] == m]
        positions = np.arange(len(lv_present)) + (k - (len(mods) - 1) / 2) * width
        _strip(ax1, [sub.loc[sub["level"] == lv, "score"].to_numpy() for lv in lv_present],
               positions, [plots.MODALITY_COLORS[m]] * len(lv_present), width, seed=k + 1)
        ax1.scatter([], [], color=plots.MODALITY_COLORS[m], label=m, s=12)
    ax1.set_xticks(np.arange(len(lv_present)), [_level_label(lv) for lv in lv_present])
    ax1.set_xlabel("level reached within the modality")
    ax1.set_ylabel("modality score at that level (0-100)")
    ax1.legend(loc="upper right", ncols=2)
    ax1.set_title("per modality", fontsize=10)
    fig.suptitle(_wrap(score_distribution_finding(overall, per_modality), 110), fontsize=10,
                 x=0.01, ha="left")
    return fig


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

def level_heatmap_figure(scores: Scores, max_rows: int | None = None):
    """Models x modalities: Level-2 (left) and Level-3 (right), one colour scale;
    models sorted by overall level, then Level-3, then Level-2; models with
    Level-2 = 0 everywhere are left out."""
    import matplotlib.pyplot as plt

    keep = np.flatnonzero(scores.level2_m.sum(axis=1) > 0)
    order = keep[np.lexsort((np.array(scores.model_names, dtype=str)[keep],
                             -scores.level2[keep], -scores.level3[keep],
                             -scores.level[keep]))]
    if max_rows is not None:
        order = order[:max_rows]
    names = [f"{scores.model_names[i]} (L{scores.level[i]})" for i in order]
    vmax = float(max(scores.level2_m[order].max(initial=0), 1.0))
    height = max(3.0, 0.13 * len(order) + 1.4)
    fig, axes = plt.subplots(1, 2, figsize=(7.5, height), sharey=True)
    for ax, (label, data) in zip(axes, (("Level-2", scores.level2_m),
                                        ("Level-3", scores.level3_m)), strict=True):
        image = ax.imshow(data[order], aspect="auto", cmap="viridis", vmin=0, vmax=vmax,
                          interpolation="nearest")
        ax.set_xticks(np.arange(len(scores.modalities)), scores.modalities)
        ax.set_xlabel("modality")
        ax.set_title(label, fontsize=10)
        ax.grid(False)
    axes[0].set_yticks(np.arange(len(order)), names, fontsize=5.5)
    axes[0].set_ylabel("model (overall level reached)")
    fig.colorbar(image, ax=axes, shrink=0.4, label="score (0-100)")
    fig.suptitle(_wrap(heatmap_finding(scores), 90), fontsize=10, x=0.01, ha="left")
    return fig


def heatmap_finding(scores: Scores) -> str:
    """How many modalities the models cover at Level-2 and at Level-3."""
    l2 = (scores.level2_m > 0).sum(axis=1)
    l3 = (scores.level3_m > 0).sum(axis=1)
    listed = l2 > 0
    one = int((l2[listed] == 1).sum())
    cover = {m: int((scores.level3_m[:, k] > 0).sum()) for k, m in enumerate(scores.modalities)}
    best = max(cover, key=cover.get)
    return (f"Breadth is rare: {one} of {int(listed.sum())} scored models have Level-2 in one "
            f"modality only, {int((l2 >= 3).sum())} in three or more; Level-3 credit is most "
            f"common in {best} ({cover[best]} models) and {int((l3 >= 2).sum())} models have "
            f"it in two or more modalities.")


# --------------------------------------------------------------------------- win map

def win_map(bench: Benchmark, profile: str | Profile = "paper") -> pd.DataFrame:
    """Per skill group: tasks, models supporting a task, models winning a task
    (normalised ``score >= SoTA`` on at least one task of the group).

    Columns: ``sheet, skill_group_id, skill_short_name, modality, paradigm,
    tasks, supporting, winners, best_model`` (the model with most wins in the
    group, ties by model id; empty if none), in task order.
    """
    norm = normalise(bench, get_profile(profile))
    with np.errstate(invalid="ignore"):
        won = (np.isfinite(norm.scores) & np.isfinite(norm.sota)[None, :]
               & (norm.scores >= norm.sota[None, :]))
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


def win_map_figure(wmap: pd.DataFrame):
    """A map: one row per sheet (modality x paradigm), one cell per skill group
    in order, coloured by the number of models that win a task of it; a cross
    marks groups no model wins."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import BoundaryNorm, ListedColormap

    sheets = [s[0] for s in SHEETS if (wmap["sheet"] == s[0]).any()]
    width = int(wmap.groupby("sheet").size().max())
    grid = np.full((len(sheets), width), np.nan)
    for r, sheet in enumerate(sheets):
        values = wmap.loc[wmap["sheet"] == sheet, "winners"].to_numpy(dtype=float)
        grid[r, :len(values)] = values
    top = int(np.nanmax(grid)) if np.isfinite(grid).any() else 0
    bounds = np.array([-0.5, 0.5, 1.5, 2.5, 5.5, 10.5, 20.5, max(top, 21) + 0.5])
    cmap = ListedColormap(["#FFFFFF", *[plt.get_cmap("Blues")(v)
                                        for v in np.linspace(0.25, 1.0, len(bounds) - 2)]]
                          ).with_extremes(bad="#F2F2F2")
    fig, ax = plt.subplots(figsize=(10.0, 3.6))
    image = ax.imshow(np.ma.masked_invalid(grid), aspect="auto", cmap=cmap,
                      norm=BoundaryNorm(bounds, cmap.N), interpolation="nearest")
    rows, cols = np.nonzero(grid == 0)
    ax.scatter(cols, rows, marker="x", s=10, color="#D55E00", linewidth=0.7)
    ax.set_yticks(np.arange(len(sheets)),
                  [f"{s} ({int((wmap['sheet'] == s).sum())})" for s in sheets], fontsize=8)
    ax.set_xlabel("skill group (position within its sheet); x = won by no model")
    ax.set_ylabel("sheet (skill groups)")
    ax.grid(False)
    bar = fig.colorbar(image, ax=ax, ticks=(bounds[:-1] + bounds[1:]) / 2)
    bar.set_ticklabels([f"{int(lo + 0.5)}" if hi - lo == 1 else f"{int(lo + 0.5)}-{int(hi - 0.5)}"
                        for lo, hi in pairwise(bounds)])
    bar.set_label("models beating the SoTA on a task (count)")
    ax.set_title(_wrap(win_map_finding(wmap), 95), fontsize=10)
    return fig


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

def distance_table(bench: Benchmark, profile: str | Profile = "paper",
                   raise_unsupported: bool = True) -> pd.DataFrame:
    """:func:`glscore.levels.distance_to_next_level` for ``bench`` under
    ``profile`` (its normalisation, modalities and aggregation; strict rule),
    with the model's display name and the chosen task's modality, paradigm
    and name. ``increase`` is in points of the normalised 0-100 scale."""
    prof = get_profile(profile)
    norm = normalise(bench, prof)
    modalities = bench.modalities_present if prof.overall_over == "present" else MODALITIES
    comp, gen = modality_masks(bench.tasks, modalities)
    names = tuple(modalities)
    if prof.aggregation == "pooled":
        comp, gen, names = comp.any(axis=1)[:, None], gen.any(axis=1)[:, None], ("pooled",)
    nlp = (bench.tasks["paradigm"] == "nlp").to_numpy()
    out = levels.distance_to_next_level(norm.scores, norm.sota, comp, gen, nlp, bench.models,
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


def distances(bench: Benchmark, profile: str | Profile = "paper") -> Distances:
    """:func:`distance_table` in both modes."""
    return Distances(distance_table(bench, profile, True), distance_table(bench, profile, False))


def distance_figure(dist: Distances):
    """Ranked chart: for every model below Level-5, the cheapest single-task
    increase to the next level (bar: any task, unsupported ones from 0,
    labelled with its value, ``eps`` where any positive change suffices;
    diamond: supported tasks only; a cross at the right where that is
    impossible), coloured by the current level."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    frame = dist.combined()
    frame = frame[frame["level"] < 5]
    frame = frame.sort_values(["increase", "level", "name"], kind="stable").reset_index(drop=True)
    n = len(frame)
    fig, ax = plt.subplots(figsize=(7.5, max(3.0, 0.12 * n + 1.8)))
    y = np.arange(n)
    colors = np.array([plots.LEVEL_COLORS[_level_label(lv)] for lv in frame["level"]])
    inc = frame["increase"].to_numpy(dtype=float)
    finite = np.isfinite(inc)
    ax.barh(y[finite], inc[finite], color=colors[finite], height=0.7)
    sup = frame["increase_supported"].to_numpy(dtype=float)
    ok = np.isfinite(sup)
    right = max(float(np.max(sup[ok], initial=0)), float(np.max(inc[finite], initial=0)), 1.0)
    for yi, v in zip(y[finite], inc[finite], strict=True):
        ax.text(v + right * 0.005, yi, "eps" if v == 0 else f"{v:.2f}", va="center",
                fontsize=4.5, color="#555555")
    ax.scatter(sup[ok], y[ok], marker="D", s=9, color="black", zorder=3)
    ax.scatter(np.full(int((~ok).sum()), right * 1.06), y[~ok], marker="x", s=9,
               color="#D55E00", zorder=3)
    labels = [f"{r.name} -> {r.task_id}" if isinstance(r.task_id, str) else r.name
              for r in frame.itertuples()]
    ax.set_yticks(y, labels, fontsize=5.5)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, right * 1.1)
    ax.set_xlabel("smallest single-task increase (points, normalised 0-100 scale)")
    ax.set_ylabel("model -> task to raise (any task)")
    handles = [Patch(color=plots.LEVEL_COLORS[_level_label(lv)], label=f"now {_level_label(lv)}")
               for lv in sorted(frame["level"].unique())]
    handles += [Line2D([], [], marker="D", linestyle="", color="black", markersize=3,
                       label="supported tasks only"),
                Line2D([], [], marker="x", linestyle="", color="#D55E00", markersize=4,
                       label="supported only: impossible")]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=7)
    ax.set_title(_wrap(distance_headline(dist), 62), fontsize=10)
    return fig


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
    top = int((frame["level"] >= 5).sum())
    return ("Smallest single-task increase to the next level (strict rule, normalised scale, "
            "any task, unsupported from 0): " + "; ".join(parts)
            + f"; {_models(top)} already at Level-5.")


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


def breadth_synergy_figure(scores: Scores):
    """Scatter of overall Level-3 against Level-2, coloured by level reached,
    with the y = x line (Level-3 <= Level-2)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 4.6))
    for lv in LEVEL_RANGE:
        sel = scores.level == lv
        if sel.any():
            ax.scatter(scores.level2[sel], scores.level3[sel], s=18,
                       color=plots.LEVEL_COLORS[_level_label(lv)], edgecolor="white",
                       linewidth=0.4, label=f"{_level_label(lv)} (n={int(sel.sum())})",
                       zorder=3)
    top = float(max(scores.level2.max(initial=0), 1.0)) * 1.05
    ax.plot([0, top], [0, top], color="#999999", linewidth=0.8, linestyle="--",
            label="Level-3 = Level-2")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel("overall Level-2 (breadth: mean score, 0-100)")
    ax.set_ylabel("overall Level-3 (synergy credit, 0-100)")
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(_wrap(breadth_synergy_finding(scores), 66), fontsize=10)
    return fig


def breadth_synergy_finding(scores: Scores) -> str:
    """Does breadth buy synergy? The rank correlation as a sentence."""
    r = breadth_synergy(scores)
    strength = ("strongly" if abs(r["rho"]) >= 0.7 else
                "moderately" if abs(r["rho"]) >= 0.4 else "weakly")
    ratio = scores.level3[scores.level2 > 0] / scores.level2[scores.level2 > 0]
    return (f"Breadth and synergy are {strength} rank-correlated (Spearman rho = {r['rho']:.2f}, "
            f"n = {r['n']} models with Level-2 > 0, p = {r['p']:.1g}); Level-3 keeps a median "
            f"{np.median(ratio) * 100:.0f}% of Level-2, and {r['zero_level3']} have none.")


def _wrap(text: str, width: int = 70) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))
