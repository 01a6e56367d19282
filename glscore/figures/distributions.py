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
    Distances,
    _level_label,
    breadth_synergy_finding,
    distance_headline,
    heatmap_finding,
    level_counts_headline,
    score_distribution_finding,
    win_map_finding,
)
from glscore.core.benchmark import MODALITIES, SHEETS
from glscore.core.scoring import Scores
from glscore.figures import style as plots

#: Grey for models a scope does not list.
NOT_LISTED_COLOR = "#BBBBBB"


def level_counts_figure(counts: pd.DataFrame, scope: str | None = None,
                        profile: str | None = None):
    """Stacked bars: models per level, one bar per (scope, profile); the title
    speaks of ``scope``/``profile`` (default: the first of ``counts``)."""
    keys = counts[["scope", "profile"]].drop_duplicates().to_numpy().tolist()
    fig = Figure(figsize=(7.5, 4.2))
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
                        color="black" if level in (0, 1, 4, 5) else "white",
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
    ax.set_xticks(x, [f"Scope-{s}\n{p}" for s, p in keys], fontsize=8)
    ax.set_xlim(-0.6, len(keys) - 0.1)
    ax.set_ylabel("models (count)")
    ax.set_xlabel("scope and scoring profile")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title="highest level")
    ax.set_title(_wrap(level_counts_headline(counts, scope, profile), 80), fontsize=9.5)
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


def score_distribution_figure(overall: pd.DataFrame, per_modality: pd.DataFrame):
    """Every model as a point with the median as a black tick: the score at
    the level reached, per level, overall (left) and per modality (right)."""
    fig = Figure(figsize=(10.0, 4.4))
    (ax0, ax1) = fig.subplots(1, 2, width_ratios=(1, 1.6))
    present = [lv for lv in LEVEL_RANGE if (overall["level"] == lv).any()]
    pos = np.arange(len(present), dtype=float)
    _strip(ax0, [overall.loc[overall["level"] == lv, "score"].to_numpy() for lv in present],
           pos, [plots.LEVEL_COLORS[_level_label(lv)] for lv in present], 0.8)
    ax0.set_xticks(pos, [f"{_level_label(lv)}\n(n={int((overall['level'] == lv).sum())})"
                         for lv in present])
    ax0.set_ylabel("overall score at the level reached\n(points on the 0-100 scale)")
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
    ax1.set_xticks(np.arange(len(lv_present)), [
        f"{_level_label(lv)}\n(n={int((per_modality['level'] == lv).sum())} pairs)"
        for lv in lv_present])
    ax1.set_xlim(-0.6, len(lv_present) - 0.4)
    ax1.set_xlabel("level reached within the modality (model-modality pairs)")
    ax1.set_ylabel("modality score at that level\n(points on the 0-100 scale)")
    ax1.scatter([], [], marker="_", color="black", s=60, label="median")
    ax1.legend(loc="upper right", ncols=3)
    ax1.set_title("per modality", fontsize=10)
    fig.suptitle(_wrap(score_distribution_finding(overall, per_modality), 110), fontsize=10,
                 x=0.01, ha="left")
    return fig


def level_heatmap_figure(scores: Scores, max_rows: int | None = None):
    """Models x modalities: Level-2 (left) and Level-3 (right), each panel on
    its own colour scale, every cell printed; unsupported modalities are
    hatched (a supported modality scoring 0 is the scale's lowest colour).
    Models sorted by overall level, then Level-3, then Level-2; models with
    Level-2 = 0 everywhere are left out."""
    from matplotlib.patches import Patch

    keep = np.flatnonzero(scores.level2_m.sum(axis=1) > 0)
    order = keep[np.lexsort((np.array(scores.model_names, dtype=str)[keep],
                             -scores.level2[keep], -scores.level3[keep],
                             -scores.level[keep]))]
    if max_rows is not None:
        order = order[:max_rows]
    names = [f"{scores.model_names[i]} (L{scores.level[i]})" for i in order]
    supported = scores.supported_m[order] > 0
    height = max(3.0, 0.125 * len(order) + 1.9)
    fig = Figure(figsize=(7.5, height))
    axes = fig.subplots(1, 2, sharey=True)
    for ax, (label, data) in zip(axes, (("Level-2", scores.level2_m),
                                        ("Level-3", scores.level3_m)), strict=True):
        values = np.where(supported, data[order], np.nan)
        vmax = float(max(np.nanmax(values, initial=0), 1.0))
        cmap = matplotlib.colormaps["viridis"].with_extremes(bad="white")
        image = ax.imshow(values, aspect="auto", cmap=cmap, vmin=0, vmax=vmax,
                          interpolation="nearest")
        rows, cols = np.nonzero(~supported)
        ax.bar(cols, 1.0, bottom=rows - 0.5, width=1.0, color="none", edgecolor="#BBBBBB",
               hatch="////", linewidth=0)
        for (r, c), value in np.ndenumerate(values):
            if np.isfinite(value):
                ax.text(c, r, f"{value:.1f}", ha="center", va="center", fontsize=7,
                        color="black" if value > 0.6 * vmax else "white")
        ax.set_xticks(np.arange(len(scores.modalities)), scores.modalities)
        ax.set_xlabel("modality")
        ax.set_title(f"{label} (scale 0-{vmax:.0f})", fontsize=10)
        ax.grid(False)
        fig.colorbar(image, ax=ax, location="top", shrink=0.8, aspect=25, pad=0.01,
                     label=f"{label} score (points)")
    axes[0].set_yticks(np.arange(len(order)), names, fontsize=7)
    axes[0].set_ylabel("model (overall level reached)")
    fig.legend(handles=[Patch(facecolor="white", edgecolor="#BBBBBB", hatch="////",
                              label="modality not supported")],
               loc="outside lower center")
    fig.suptitle(_wrap(heatmap_finding(scores), 90), fontsize=10, x=0.01, ha="left")
    return fig


def win_map_figure(wmap: pd.DataFrame):
    """A map: one row per sheet (modality x paradigm), one cell per skill group
    in order (numbered 1, 2, ... as in the group ids, e.g. ``I-C-6``),
    coloured by the number of models that win a task of it. A group no model
    wins has one encoding: a vermillion cell."""
    from matplotlib.colors import BoundaryNorm, ListedColormap

    sheets = [s[0] for s in SHEETS if (wmap["sheet"] == s[0]).any()]
    width = int(wmap.groupby("sheet").size().max())
    grid = np.full((len(sheets), width), np.nan)
    for r, sheet in enumerate(sheets):
        values = wmap.loc[wmap["sheet"] == sheet, "winners"].to_numpy(dtype=float)
        grid[r, :len(values)] = values
    top = int(np.nanmax(grid)) if np.isfinite(grid).any() else 0
    bounds = np.array([-0.5, 0.5, 1.5, 2.5, 5.5, 10.5, 20.5, max(top, 21) + 0.5])
    cmap = ListedColormap([plots.OKABE_ITO["vermillion"],
                           *[matplotlib.colormaps["Blues"](v)
                             for v in np.linspace(0.25, 1.0, len(bounds) - 2)]]
                          ).with_extremes(bad="white")
    fig = Figure(figsize=(10.0, 3.8))
    ax = fig.subplots()
    image = ax.imshow(np.ma.masked_invalid(grid), aspect="auto", cmap=cmap,
                      norm=BoundaryNorm(bounds, cmap.N), interpolation="nearest")
    ax.set_yticks(np.arange(len(sheets)),
                  [f"{s} ({int((wmap['sheet'] == s).sum())})" for s in sheets], fontsize=8)
    ticks = [0, *range(4, width, 5)]
    ax.set_xticks(ticks, [str(t + 1) for t in ticks], fontsize=8)
    ax.set_xticks(np.arange(width) + 0.5, minor=True)
    ax.tick_params(axis="x", which="minor", length=0)
    ax.grid(False)
    ax.grid(which="minor", axis="x", color="white", linewidth=0.6)
    ax.set_xlabel("skill group number within its sheet (I-C-6 is the 6th group of I-C)")
    ax.set_ylabel("sheet (skill groups)")
    bar = fig.colorbar(image, ax=ax, ticks=(bounds[:-1] + bounds[1:]) / 2)
    bar.set_ticklabels([f"{int(lo + 0.5)}" if hi - lo == 1 else f"{int(lo + 0.5)}-{int(hi - 0.5)}"
                        for lo, hi in pairwise(bounds)])
    bar.set_label("generalists beating the SoTA\non a task of the group")
    ax.set_title(_wrap(win_map_finding(wmap), 95), fontsize=10)
    return fig


def distance_figure(dist: Distances, note: str = ""):
    """Ranked chart: for every model below Level-5, the cheapest single-task
    increase to the next level, coloured by the current level. Left: any task
    may be raised (an unsupported one from 0); a bar with its value, or a
    tick at 0 labelled "any > 0" where any positive change suffices. Right,
    same rows: only supported tasks; a diamond at the increase, or "not
    possible" where no supported task would lift the model. ``note`` is
    appended to the title (e.g. which tasks were left out)."""
    from matplotlib.patches import Patch

    frame = dist.combined()
    frame = frame[frame["level"] < 5]
    frame = frame.sort_values(["increase", "level", "name"], kind="stable").reset_index(drop=True)
    n = len(frame)
    fig = Figure(figsize=(8.0, max(3.0, 0.125 * n + 2.3)))
    (ax, side) = fig.subplots(1, 2, sharey=True, width_ratios=[2.2, 1])
    y = np.arange(n)
    colors = np.array([plots.LEVEL_COLORS[_level_label(lv)] for lv in frame["level"]])
    inc = frame["increase"].to_numpy(dtype=float)
    sup = frame["increase_supported"].to_numpy(dtype=float)
    positive = np.isfinite(inc) & (inc > 0)
    zero = np.isfinite(inc) & (inc == 0)
    right = max(float(np.max(inc[np.isfinite(inc)], initial=0)), 1.0)
    ax.barh(y[positive], inc[positive], color=colors[positive], height=0.7)
    ax.scatter(np.zeros(int(zero.sum())), y[zero], marker="|", s=30, color=colors[zero])
    for yi, v in zip(y[np.isfinite(inc)], inc[np.isfinite(inc)], strict=True):
        ax.text(v + right * 0.01, yi, "any > 0" if v == 0 else f"{v:.2f}", va="center",
                fontsize=7, color="#444444")
    labels = [f"{r.name} -> {r.task_id}" if isinstance(r.task_id, str) else r.name
              for r in frame.itertuples()]
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, right * 1.15)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("any task: smallest increase\n(points on the 0-100 scale)")
    ax.set_ylabel("model -> task to raise (any task)")
    ok = np.isfinite(sup)
    side_right = max(float(np.max(sup[ok], initial=0)), 1.0)
    side.scatter(sup[ok], y[ok], marker="D", s=12, color=colors[ok], zorder=3)
    for yi in y[~ok]:
        side.text(0, yi, "not possible", va="center", fontsize=7, color="#777777")
    side.set_xlim(0, side_right * 1.1)
    side.grid(axis="y", visible=False)
    side.tick_params(axis="y", left=False)
    side.set_xlabel("supported tasks only:\nsmallest increase (points)")
    handles = [Patch(color=plots.LEVEL_COLORS[_level_label(lv)], label=f"now {_level_label(lv)}")
               for lv in sorted(frame["level"].unique())]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    title = distance_headline(dist) + (f" ({note})" if note else "")
    fig.suptitle(_wrap(title, 90), fontsize=10, fontweight="bold")
    return fig


def breadth_synergy_figure(scores: Scores):
    """Scatter of overall Level-3 against Level-2, coloured by level reached,
    with the y = x line (Level-3 <= Level-2). Models at (0, 0) (Level-1) would
    hide each other: one marker stands for them, their count in the legend."""
    fig = Figure(figsize=(6.5, 4.6))
    ax = fig.subplots()
    origin = (scores.level2 == 0) & (scores.level3 == 0)
    for lv in LEVEL_RANGE:
        sel = scores.level == lv
        if not sel.any():
            continue
        label = f"{_level_label(lv)} (n={int(sel.sum())})"
        color = plots.LEVEL_COLORS[_level_label(lv)]
        if origin[sel].all():
            ax.scatter([0], [0], s=40, color=color, edgecolor="black", linewidth=0.6,
                       label=f"{_level_label(lv)} (n={int(sel.sum())}, all at 0, 0: one marker)",
                       zorder=5, clip_on=False)
            continue
        ax.scatter(scores.level2[sel], scores.level3[sel], s=18, color=color,
                   edgecolor="white", linewidth=0.4, label=label, zorder=3, clip_on=False)
    top = float(max(scores.level2.max(initial=0), 1.0)) * 1.05
    ax.plot([0, top], [0, top], color="#999999", linewidth=0.8, linestyle="--",
            label="Level-3 = Level-2")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel("overall Level-2 (breadth: mean score, points on 0-100)")
    ax.set_ylabel("overall Level-3 (synergy credit, points on 0-100)")
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(_wrap(breadth_synergy_finding(scores), 76), fontsize=9)
    return fig


def _wrap(text: str, width: int = 70) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))
