"""Figures of :mod:`glscore.analysis.distributions`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd

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


def _wrap(text: str, width: int = 70) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))
