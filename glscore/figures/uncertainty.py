"""Figures of :mod:`glscore.analysis.uncertainty`: each function takes a
board's frame and facts and returns a :class:`matplotlib.figure.Figure`
(it never saves it). Sized for print: full width :data:`WIDTH` (6.75 in),
no text below :data:`MIN_FONT` points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from glscore.figures.style import FULL_WIDTH, LEVEL_COLORS, house_style

#: Full text width of a two-column paper (inches).
WIDTH = FULL_WIDTH
#: Smallest font size used (points).
MIN_FONT = 7.0
TIE_SHADE = "#EEEEEE"
PUBLISHED_COLOR = "#000000"


def _label(facts: Mapping) -> str:
    return "Scope-A" if facts["scope"] == "A" else str(facts["board"])


def _intervals(ax, frame: pd.DataFrame, published: bool, label_size: float = MIN_FONT) -> None:
    """One row per model (best on top): the 95% rank interval as a bar in the
    level's colour, the recomputed rank as a dot, the published rank as an
    open diamond, rows tied with #1 shaded."""
    y = np.arange(len(frame))
    for yy, tied in zip(y, frame["rank_lo"].to_numpy() == 1, strict=True):
        if tied:
            ax.axhspan(yy - 0.5, yy + 0.5, color=TIE_SHADE, lw=0, zorder=0)
    colors = [LEVEL_COLORS[f"Level-{int(lv)}"] for lv in frame["level"]]
    ax.hlines(y, frame["rank_lo"], frame["rank_hi"], colors=colors, lw=2.2, zorder=2)
    ax.scatter(frame["rank"], y, c=colors, s=14, zorder=3, edgecolors="white", linewidths=0.4)
    if published and "published_rank" in frame.columns:
        ax.scatter(frame["published_rank"], y, marker="D", s=14, facecolors="none",
                   edgecolors=PUBLISHED_COLOR, linewidths=0.7, zorder=4)
    ax.set_yticks(y, [f"{n} ({int(s)})" for n, s in zip(frame["name"], frame["supported"],
                                                        strict=True)], fontsize=label_size)
    ax.set_ylim(len(frame) - 0.5, -0.5)
    ax.tick_params(axis="x", labelsize=MIN_FONT + 0.5)
    ax.grid(axis="y", visible=False)


def _legend(ax, levels: Sequence[int], published: bool, loc: str = "lower right",
            below: bool = False) -> None:
    """The legend of an interval plot: in the axes at ``loc``, or with ``below``
    in one row under the figure (where long bars would run under it)."""
    handles: list[Artist] = [Patch(color=LEVEL_COLORS[f"Level-{k}"], label=f"Level-{k}")
                             for k in levels]
    handles.append(Patch(color=TIE_SHADE, label="interval includes #1"))
    handles.append(Line2D([], [], marker="o", color="grey", lw=0, markersize=4,
                          label="recomputed rank"))
    if published:
        handles.append(Line2D([], [], marker="D", color=PUBLISHED_COLOR, lw=0,
                              markerfacecolor="none", markersize=4, label="published rank"))
    if below:
        ax.figure.legend(handles=handles, fontsize=MIN_FONT, loc="outside lower center",
                         ncols=len(handles), frameon=False)
        return
    ax.legend(handles=handles, fontsize=MIN_FONT, loc=loc, frameon=True,
              framealpha=0.9, edgecolor="none")


@house_style
def rank_intervals(frame: pd.DataFrame, facts: Mapping, top: int = 30,
                   published: bool = True) -> Figure:
    """The first ``top`` models of a board, and below a dashed line any other
    model whose interval includes 1: 95% rank intervals (bars, in the
    recomputed level's colour), the recomputed rank (dot) and, where the
    frame has it, the published rank (open diamond); the rows whose interval
    includes 1 shaded. Labels: name (supported tasks)."""
    head = frame.head(top)
    rest = frame.iloc[top:]
    part = pd.concat([head, rest[rest["rank_lo"] == 1]])
    fig = Figure(figsize=(WIDTH, 1.2 + 0.135 * len(part)))
    ax = fig.add_subplot()
    _intervals(ax, part, published)
    if len(part) > len(head):
        ax.axhline(len(head) - 0.5, color="black", lw=0.6, ls="--")
    ax.set_xlabel("rank on the board (95% interval over the draws)", fontsize=MIN_FONT + 1)
    ax.set_xlim(0, max(float(part["rank_hi"].max()), float(part["rank"].max())) + 1)
    _legend(ax, sorted({int(x) for x in part["level"]}), published, below=True)
    tied = len(facts["tied_with_first"])
    fig.suptitle(f"{_label(facts)}: {tied} of {facts['ranked']} models may rank first; "
                 f"{facts['distinguishable_adjacent']} of {facts['adjacent_pairs']} adjacent "
                 "pairs are separated", fontsize=9, fontweight="bold", x=0.01, ha="left")
    return fig


@house_style
def board_panels(frames: Sequence[pd.DataFrame], facts: Sequence[Mapping], top: int = 8,
                 ncols: int = 2) -> Figure:
    """Small multiples: the first ``top`` models of each board with their
    95% rank intervals (as :func:`rank_intervals`), one panel per board."""
    n = len(frames)
    nrows = -(-n // ncols)
    fig = Figure(figsize=(WIDTH, 0.35 + nrows * (0.7 + 0.13 * top)))
    axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
    levels: set[int] = set()
    for ax, frame, f in zip(axes, frames, facts, strict=False):
        part = frame.head(top)
        levels |= {int(x) for x in part["level"]}
        _intervals(ax, part, published=False)
        ax.set_xlim(0, max(float(part["rank_hi"].max()), float(top)) + 1)
        ax.set_title(f"{_label(f)}: {len(f['tied_with_first'])} of {f['ranked']} tied with #1;\n"
                     f"the leader is first in {f['leader_p_first']:.0%} of draws",
                     fontsize=MIN_FONT + 0.5, loc="right")
    for ax in axes[n:]:
        ax.axis("off")
    _legend(axes[-1] if len(axes) > n else axes[0], sorted(levels), published=False)
    axes[min(n, len(axes)) - 1].set_xlabel("rank (95% interval)", fontsize=MIN_FONT + 0.5)
    several = sum(len(f["tied_with_first"]) > 1 for f in facts)
    fig.suptitle(f"Scope-B: on {several} of {n} boards more than one model may rank first "
                 "(95% rank interval includes #1)", fontsize=8.5, fontweight="bold", x=0.01,
                 ha="left")
    return fig


@house_style
def coverage_widths(frame: pd.DataFrame, facts: Mapping, rho: float, n: int,
                    marked: Sequence[str] = (), min_level: int = 3) -> Figure:
    """Rank interval width (places) against the tasks a model supports, one
    dot per ranked model in its level's colour; ``marked`` names annotated;
    ``rho`` (Spearman over the ``n`` models at ``min_level`` or above,
    computed by :func:`glscore.analysis.uncertainty.findings.coverage_correlation`)
    in the title."""
    fig = Figure(figsize=(WIDTH, 3.2))
    ax = fig.add_subplot()
    width = frame["rank_hi"] - frame["rank_lo"] + 1
    colors = [LEVEL_COLORS[f"Level-{int(lv)}"] for lv in frame["level"]]
    ax.scatter(frame["supported"], width, c=colors, s=16, edgecolors="white", linewidths=0.4)
    for name in marked:
        row = frame[frame["name"] == name]
        if len(row):
            x, yv = float(row["supported"].iloc[0]), float(width[row.index[0]])
            ax.annotate(f"{name} (#{int(row['rank'].iloc[0])})", (x, yv), xytext=(4, 4),
                        textcoords="offset points", fontsize=MIN_FONT + 0.5)
    ax.set_xlabel(f"tasks the model supports (of {int(frame['tasks'].iloc[0])})",
                  fontsize=MIN_FONT + 1)
    ax.set_ylabel("95% rank interval (places)", fontsize=MIN_FONT + 1)
    ax.tick_params(labelsize=MIN_FONT + 0.5)
    levels = sorted({int(x) for x in frame["level"]})
    ax.legend(handles=[Patch(color=LEVEL_COLORS[f"Level-{k}"], label=f"Level-{k}")
                       for k in levels], fontsize=MIN_FONT, loc="upper right")
    trend = ("fewer supported tasks, wider rank intervals" if rho < 0
             else "no wider rank intervals with fewer supported tasks")
    fig.suptitle(f"{_label(facts)}: {trend}\n(Spearman rho = {rho:.2f} over the {n} models at "
                 f"Level-{min_level} or above)", fontsize=9, fontweight="bold", x=0.01,
                 ha="left")
    return fig


@house_style
def pairwise_heatmap(pairs: pd.DataFrame, facts: Mapping) -> Figure:
    """P(row ranks above column) for a board's top models, annotated."""
    n = len(pairs)
    fig = Figure(figsize=(WIDTH, 1.2 + 0.42 * n))
    ax = fig.add_subplot()
    values = pairs.to_numpy(dtype=float)
    image = ax.imshow(np.ma.masked_invalid(values), cmap="cividis", vmin=0.0, vmax=1.0,
                      aspect="auto")
    for i in range(n):
        for j in range(n):
            if np.isfinite(values[i, j]):
                ax.text(j, i, f"{values[i, j]:.2f}", ha="center", va="center",
                        fontsize=MIN_FONT, color="white" if values[i, j] < 0.55 else "black")
    ax.set_xticks(range(n), list(pairs.columns), rotation=35, ha="right", fontsize=MIN_FONT)
    ax.set_yticks(range(n), list(pairs.index), fontsize=MIN_FONT)
    ax.grid(False)
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.ax.tick_params(labelsize=MIN_FONT)
    bar.set_label("P(row ranks above column)", fontsize=MIN_FONT + 0.5)
    upper = values[np.triu_indices(n, 1)]
    sure = int((upper >= 0.95).sum())
    fig.suptitle(f"{_label(facts)} top {n}: {sure} of {len(upper)} pairs ordered in at least "
                 "95% of draws", fontsize=9, fontweight="bold", x=0.01, ha="left")
    return fig
