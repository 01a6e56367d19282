"""Figures of :mod:`glscore.analysis.distributions`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

from itertools import pairwise

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from glscore.analysis.distributions import (
    LEVEL_RANGE,
    NOT_LISTED,
    OVERALL,
    Distances,
    _level_label,
    coverage_win_rate_stats,
    distance_chart_rows,
    distance_headline,
    level_counts_headline,
    win_map_finding,
)
from glscore.core.benchmark import MODALITIES, SHEETS
from glscore.core.scoring import Scores
from glscore.figures import style as plots
from glscore.figures.style import COLUMN_WIDTH, FULL_WIDTH, house_style

#: Grey for models a scope does not list.
NOT_LISTED_COLOR = "#BBBBBB"


@house_style
def level_counts_figure(counts: pd.DataFrame, scope: str | None = None,
                        profile: str | None = None):
    """Stacked bars: models per level, one bar per (scope, profile); the title
    speaks of ``scope``/``profile`` (default: the first of ``counts``)."""
    keys = counts[["scope", "profile"]].drop_duplicates().to_numpy().tolist()
    fig = Figure(figsize=(FULL_WIDTH, 3.6))
    ax = fig.subplots()
    x = np.arange(len(keys))
    bottom = np.zeros(len(keys))
    slivers: list[list[str]] = [[] for _ in keys]
    for level in (0, *LEVEL_RANGE):
        label = NOT_LISTED if level == 0 else _level_label(level)
        sub = counts[counts["level"] == level].set_index(["scope", "profile"])["models"]
        heights = np.array([sub.get((s, p), 0) for s, p in keys], dtype=float)
        color = NOT_LISTED_COLOR if level == 0 else plots.LEVEL_COLORS[label]
        if level == 0:  # not listed: hatched, apart from Level-1's grey
            bars = ax.bar(x, heights, bottom=bottom, color="white", label=label, width=0.75,
                          edgecolor="#999999", hatch="///", linewidth=0.5)
        else:
            bars = ax.bar(x, heights, bottom=bottom, color=color, label=label, width=0.75,
                          edgecolor="white", linewidth=0.5)
        for rect, h in zip(bars, heights, strict=True):
            if h >= 5:  # inside the segment
                ax.text(rect.get_x() + rect.get_width() / 2, rect.get_y() + h / 2, f"{int(h)}",
                        ha="center", va="center", fontsize=7.5,
                        color="black" if level == 0 else plots.text_color_on(color),
                        backgroundcolor="white" if level == 0 else "none")
        if level >= 4:
            for i, h in enumerate(heights):
                if 0 < h < 5:
                    slivers[i].append(f"L{level}: {int(h)}")
        bottom += heights
    for i, parts in enumerate(slivers):  # thin top segments: their counts above the bar
        if parts:
            ax.text(x[i], bottom[i] + 1, "\n".join(parts), ha="center", va="bottom",
                    fontsize=7.5)
    ax.set_ylim(0, bottom.max() * 1.13)
    ax.set_xticks(x, [f"Scope-{s}\n{p}" for s, p in keys], fontsize=7.5)
    ax.tick_params(axis="y", labelsize=7.5)
    ax.set_xlim(-0.6, len(keys) - 0.1)
    ax.set_ylabel("models (count)", fontsize=8)
    ax.set_xlabel("scope and scoring profile", fontsize=8)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title="highest level", fontsize=7.5,
              title_fontsize=7.5)
    ax.set_title(_wrap(level_counts_headline(counts, scope, profile), 88), fontsize=8.5)
    return fig


def _strip(ax, groups: list[np.ndarray], positions: np.ndarray, colors: list[str],
           width: float, seed: int = 0) -> None:
    """Every value as a jittered point, and a black tick at each group's median.

    No density estimate: the groups hold from one to a few dozen models.
    """
    rng = np.random.default_rng(seed)
    for values, pos, color in zip(groups, positions, colors, strict=True):
        jitter = rng.uniform(-width / 4, width / 4, len(values))
        ax.scatter(pos + jitter, values, s=14, color=color, edgecolor="white", linewidth=0.4,
                   zorder=3)
        if len(values):
            ax.hlines(np.median(values), pos - width / 2.5, pos + width / 2.5, color="black",
                      linewidth=1.4, zorder=4)


@house_style
def level_score_figure(table: pd.DataFrame):
    """One panel per level score (Level-2, 3, 4; Level-5 when a model has one):
    every non-zero score of :func:`~glscore.analysis.distributions.level_score_table`
    as a point, overall and per modality, with the median as a black tick. Each
    panel has its own y axis: the level scores are different quantities."""
    present = [k for k in (2, 3, 4, 5) if (table["level_score"] == k).any()]
    fig = Figure(figsize=(FULL_WIDTH, 2.9))
    axes = np.atleast_1d(fig.subplots(1, max(len(present), 1)))
    groups = [OVERALL, *[m for m in MODALITIES if (table["group"] == m).any()]]
    colors = {OVERALL: "#444444", **plots.MODALITY_COLORS}
    for ax, k in zip(axes, present, strict=False):
        sub = table[table["level_score"] == k]
        shown = [g for g in groups if (sub["group"] == g).any()]
        pos = np.arange(len(shown), dtype=float)
        _strip(ax, [sub.loc[sub["group"] == g, "score"].to_numpy() for g in shown], pos,
               [colors[g] for g in shown], 0.8, seed=k)
        ax.set_xticks(pos, [f"{g}\n{int((sub['group'] == g).sum())}" for g in shown],
                      fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
        ax.set_xlim(-0.6, len(shown) - 0.4)
        ax.set_ylim(bottom=0)
        ax.set_title(f"Level-{k} score", fontsize=8)
        ax.set_ylabel(f"Level-{k} (points, 0-100 scale)", fontsize=7)
        ax.set_xlabel("group (models with a\nnon-zero score)", fontsize=7)
    fig.suptitle("Level scores by modality, each on its own axis (medians as ticks; the "
                 "scores are\ndifferent quantities and are not compared across panels)",
                 fontsize=8, x=0.01, ha="left")
    return fig


@house_style
def level_heatmap_figure(scores: Scores, no_data: np.ndarray | None = None,
                         published: dict[str, np.ndarray] | None = None, headline: str = ""):
    """Models x modalities: Level-2 (left) and Level-3 (right), each panel on
    its own colour scale, every cell printed. Three states are drawn apart: a
    scored modality (coloured, 0 included), a modality not supported (light
    grey hatching) and a modality the paper scores without per-task data
    (``no_data``, models x modalities: orange cross-hatching, the published
    value of ``published["level2"]`` / ``["level3"]`` in brackets). Rows: the models with Level-2 in two
    or more modalities or a modality without per-task data (the others, one
    modality each, are counted in the title); sorted by overall level, then
    Level-3, then Level-2."""
    from matplotlib.patches import Patch

    no_data = (np.zeros(scores.level2_m.shape, dtype=bool) if no_data is None
               else np.asarray(no_data, dtype=bool))
    scored = scores.level2_m > 0
    broad = (scored.sum(axis=1) >= 2) | no_data.any(axis=1)
    keep = np.flatnonzero(broad)
    order = keep[np.lexsort((np.array(scores.model_names, dtype=str)[keep],
                             -scores.level2[keep], -scores.level3[keep],
                             -scores.level[keep]))]
    names = [f"{scores.model_names[i]} (L{scores.level[i]})" for i in order]
    supported = scores.supported_m[order] > 0
    missing = no_data[order]
    height = max(2.6, 0.15 * len(order) + 1.6)
    fig = Figure(figsize=(FULL_WIDTH, height))
    axes = fig.subplots(1, 2, sharey=True)
    unsupported = plots.STATUS_COLORS["not supported"]
    hatch_colour = plots.STATUS_COLORS["no per-task data"]
    hatches = plots.STATUS_HATCHES
    for ax, (label, data) in zip(axes, (("Level-2", scores.level2_m),
                                        ("Level-3", scores.level3_m)), strict=True):
        values = np.where(supported, data[order], np.nan)
        vmax = float(max(np.nanmax(values, initial=0), 1.0))
        cmap = matplotlib.colormaps["viridis"].with_extremes(bad="white")
        image = ax.imshow(values, aspect="auto", cmap=cmap, vmin=0, vmax=vmax,
                          interpolation="nearest")
        rows, cols = np.nonzero(~supported & ~missing)
        ax.bar(cols, 1.0, bottom=rows - 0.5, width=1.0, color="none", edgecolor=unsupported,
               hatch=hatches["not supported"], linewidth=0)
        rows, cols = np.nonzero(missing)
        ax.bar(cols, 1.0, bottom=rows - 0.5, width=1.0, color="white", edgecolor=hatch_colour,
               hatch=hatches["no per-task data"], linewidth=0)
        printed = None if published is None else published[label.lower().replace("-", "")]
        for (r, c), value in np.ndenumerate(values):
            if np.isfinite(value):
                ax.text(c, r, f"{value:.1f}", ha="center", va="center", fontsize=7,
                        color="black" if value > 0.6 * vmax else "white")
            elif missing[r, c] and printed is not None:
                ax.text(c, r, f"({printed[order[r], c]:.1f})", ha="center", va="center",
                        fontsize=7, color="black",
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3})
        ax.set_xticks(np.arange(len(scores.modalities)), scores.modalities, fontsize=7)
        ax.set_xlabel("modality", fontsize=7)
        ax.set_title(f"{label} (scale 0-{vmax:.0f})", fontsize=8)
        ax.grid(False)
        bar = fig.colorbar(image, ax=ax, location="top", shrink=0.8, aspect=25, pad=0.01)
        bar.set_label(f"{label} score (points)", fontsize=7)
        bar.ax.tick_params(labelsize=7)
    axes[0].set_yticks(np.arange(len(order)), names, fontsize=7)
    axes[0].set_ylabel("model (overall level reached)", fontsize=7)
    fig.legend(handles=[Patch(facecolor="white", edgecolor=unsupported,
                              hatch=hatches["not supported"], label="modality not supported"),
                        Patch(facecolor="white", edgecolor=hatch_colour,
                              hatch=hatches["no per-task data"],
                              label="no per-task data published (the published value in "
                                    "brackets)")],
               loc="outside lower center", ncols=2, fontsize=7)
    left = int((scored.sum(axis=1) == 1).sum() - (broad & (scored.sum(axis=1) == 1)).sum())
    title = headline or (f"{len(order)} models scored in two or more modalities or with a "
                         f"modality without per-task data ({left} models with one scored "
                         "modality not shown)")
    fig.suptitle(_wrap(title, 100), fontsize=8, x=0.01, ha="left")
    return fig


@house_style
def win_map_figure(wmap: pd.DataFrame):
    """A map: one row per sheet (modality x paradigm), one cell per skill group
    in order (numbered 1, 2, ... as in the group ids, e.g. ``I-C-6``),
    coloured by the number of models that win a task of it; full width.
    The two ways a group goes unwon are drawn apart: attempted by some model
    but never won (vermillion, the status colour ``never won``), and
    supported by no model at all (hatched grey, ``not supported``)."""
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch, Rectangle

    sheets = [s[0] for s in SHEETS if (wmap["sheet"] == s[0]).any()]
    width = int(wmap.groupby("sheet").size().max())
    grid = np.full((len(sheets), width), np.nan)
    nobody = np.zeros((len(sheets), width), dtype=bool)
    for r, sheet in enumerate(sheets):
        part = wmap[wmap["sheet"] == sheet]
        values = part["winners"].to_numpy(dtype=float)
        unsupported = part["supporting"].to_numpy() == 0
        grid[r, :len(values)] = np.where(unsupported, np.nan, values)
        nobody[r, :len(values)] = unsupported
    top = int(np.nanmax(grid)) if np.isfinite(grid).any() else 0
    bounds = np.array([-0.5, 0.5, 1.5, 2.5, 5.5, 10.5, 20.5, max(top, 21) + 0.5])
    cmap = ListedColormap([plots.STATUS_COLORS["never won"],
                           *[matplotlib.colormaps["Blues"](v)
                             for v in np.linspace(0.25, 1.0, len(bounds) - 2)]]
                          ).with_extremes(bad="white")
    fig = Figure(figsize=(FULL_WIDTH, 3.3))
    ax = fig.subplots()
    image = ax.imshow(np.ma.masked_invalid(grid), aspect="auto", cmap=cmap,
                      norm=BoundaryNorm(bounds, cmap.N), interpolation="nearest")
    for r, c in zip(*np.nonzero(nobody), strict=True):
        ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor="white",
                               edgecolor=plots.STATUS_COLORS["not supported"],
                               hatch=plots.STATUS_HATCHES["not supported"], linewidth=0))
    ax.set_yticks(np.arange(len(sheets)),
                  [f"{s} ({int((wmap['sheet'] == s).sum())})" for s in sheets], fontsize=7)
    ticks = [0, *range(4, width, 5)]
    ax.set_xticks(ticks, [str(t + 1) for t in ticks], fontsize=7)
    ax.set_xticks(np.arange(width) + 0.5, minor=True)
    ax.tick_params(axis="x", which="minor", length=0)
    ax.grid(False)
    ax.grid(which="minor", axis="x", color="white", linewidth=0.6)
    ax.set_xlabel("skill group number within its sheet (I-C-6 is the 6th group of I-C)",
                  fontsize=7.5)
    ax.set_ylabel("sheet (skill groups)", fontsize=7.5)
    bar = fig.colorbar(image, ax=ax, ticks=(bounds[:-1] + bounds[1:]) / 2, fraction=0.05)
    bar.set_ticklabels([f"{int(lo + 0.5)}" if hi - lo == 1 else f"{int(lo + 0.5)}-{int(hi - 0.5)}"
                        for lo, hi in pairwise(bounds)], fontsize=7)
    bar.set_label("generalists beating the SoTA\non a task of the group", fontsize=7)
    fig.legend(handles=[Patch(color=plots.STATUS_COLORS["never won"],
                              label="attempted, never won (0)"),
                        Patch(facecolor="white", edgecolor=plots.STATUS_COLORS["not supported"],
                              hatch=plots.STATUS_HATCHES["not supported"],
                              label="supported by no model")],
               loc="outside lower left", ncols=2, fontsize=7)
    fig.suptitle(_wrap(win_map_finding(wmap), 90), fontsize=8.5, fontweight="bold", x=0.01,
                 ha="left")
    return fig


def _row_label(names: str, n: int, task: object, limit: int = 2) -> str:
    shown = names.split(", ")
    who = ", ".join(shown[:limit]) + (f" +{n - limit} more" if n > limit else "")
    return f"{who} -> {task}" if isinstance(task, str) else who


@house_style
def distance_figure(dist: Distances, note: str = ""):
    """Ranked chart of :func:`~glscore.analysis.distributions.distance_chart_rows`:
    for every model below Level-5 (Level-1 models, for which "run any modality
    task" is vacuous, left out and counted), the cheapest single-task increase
    to the next level, coloured by the current level; identical rows share a
    bar, labelled with the models' names (``+k more``) and their count. Left:
    any task may be raised (an unsupported one from 0); a bar with its value,
    or a tick at 0 labelled "any > 0" where any positive change suffices.
    Right, same rows: only supported tasks; a diamond at the increase, or "not
    possible". ``note`` is appended to the title."""
    from matplotlib.patches import Patch

    frame, vacuous = distance_chart_rows(dist)
    n = len(frame)
    fig = Figure(figsize=(FULL_WIDTH, max(2.8, 0.16 * n + 2.1)))
    (ax, side) = fig.subplots(1, 2, sharey=True, width_ratios=[2.0, 1])
    y = np.arange(n)
    colors = np.array([plots.LEVEL_COLORS[_level_label(lv)] for lv in frame["level"]])
    inc = frame["increase"].to_numpy(dtype=float)
    sup = frame["increase_supported"].to_numpy(dtype=float)
    positive = np.isfinite(inc) & (inc > 0)
    zero = np.isfinite(inc) & (inc == 0)
    right = max(float(np.max(inc[np.isfinite(inc)], initial=0)), 1.0)
    ax.barh(y[positive], inc[positive], color=colors[positive], height=0.7)
    ax.scatter(np.zeros(int(zero.sum())), y[zero], marker="|", s=30, color=colors[zero])
    for yi, v, k in zip(y[np.isfinite(inc)], inc[np.isfinite(inc)],
                        frame["models"].to_numpy()[np.isfinite(inc)], strict=True):
        count = f"  ({k} models)" if k > 1 else ""
        ax.text(v + right * 0.01, yi, ("any > 0" if v == 0 else f"{v:.2f}") + count,
                va="center", fontsize=7, color="#444444")
    labels = [_row_label(r.names, int(r.models), r.task_id) for r in frame.itertuples()]
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, right * 1.3)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_xlabel("any task: smallest increase\n(points on the 0-100 scale)", fontsize=7)
    ax.set_ylabel("models -> task to raise (any task)", fontsize=7)
    ok = np.isfinite(sup)
    side_right = max(float(np.max(sup[ok], initial=0)), 1.0)
    side.scatter(sup[ok], y[ok], marker="D", s=12, color=colors[ok], zorder=3)
    for yi in y[~ok]:
        side.text(side_right * 0.03, yi, "not possible", va="center", fontsize=7,
                  color="#777777")
    side.set_xlim(0, side_right * 1.1)
    side.grid(axis="y", visible=False)
    side.tick_params(axis="y", left=False)
    side.tick_params(axis="x", labelsize=7)
    side.set_xlabel("supported tasks only:\nsmallest increase (points)", fontsize=7)
    handles = [Patch(color=plots.LEVEL_COLORS[_level_label(lv)], label=f"now {_level_label(lv)}")
               for lv in sorted(frame["level"].unique())]
    fig.legend(handles=handles, loc="outside lower center", ncols=max(len(handles), 1),
               fontsize=7)
    title = distance_headline(dist) + (f" ({note})" if note else "")
    title += f"; {vacuous} Level-1 models (no modality score) not shown"
    fig.suptitle(_wrap(title, 100), fontsize=8, x=0.01, ha="left")
    return fig


@house_style
def coverage_win_rate_figure(frame: pd.DataFrame):
    """Coverage (share of tasks run) against the win rate on the tasks run, one
    point per model, coloured by level reached; one column wide."""
    r = coverage_win_rate_stats(frame)
    fig = Figure(figsize=(COLUMN_WIDTH, 3.1))
    ax = fig.subplots()
    for lv in LEVEL_RANGE:
        sel = (frame["level"] == lv).to_numpy()
        if not sel.any():
            continue
        ax.scatter(frame.loc[sel, "coverage"] * 100, frame.loc[sel, "win_rate"] * 100, s=12,
                   color=plots.LEVEL_COLORS[_level_label(lv)], edgecolor="white", linewidth=0.3,
                   label=f"{_level_label(lv)} ({int(sel.sum())})", zorder=3, clip_on=False)
    ax.set_xlim(0, 100)
    ax.set_ylim(0, max(float(frame["win_rate"].max()) * 100 * 1.05, 10))
    ax.set_xlabel("coverage (% of all tasks the model runs)", fontsize=7)
    ax.set_ylabel("win rate (% of its tasks at or above SoTA)", fontsize=7)
    ax.tick_params(labelsize=7)
    ax.legend(loc="upper right", fontsize=7, handletextpad=0.2, borderpad=0.2)
    ax.set_title(f"Coverage vs win rate: Spearman rho = {r['rho']:.2f}\n(n = {r['n']}); "
                 f"{r['no_win']} models win nothing they run", fontsize=8)
    return fig


def _wrap(text: str, width: int = 70) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))
