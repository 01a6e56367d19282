"""Figures of :mod:`glscore.analysis.reproduce`: each function takes that module's
results and returns a :class:`matplotlib.figure.Figure` (it never saves it)."""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from glscore.analysis.reproduce import (
    ACCOUNTING,
    PRINTED_AS_ZERO,
    Reproduction,
    reproduction_headline,
)
from glscore.figures import style as plots

FULL_WIDTH = plots.FULL_WIDTH

#: One colour (the house :data:`~glscore.figures.style.STATUS_COLORS`) and marker
#: per accounting class (shape carries it in greyscale too).
MARKERS: dict[str, str] = {
    "plain formula": "o", "transcription copy": "s", "formula switched per model": "D",
    "fitted constant": "P", "no per-task data": "x", PRINTED_AS_ZERO: "v", "unexplained": "^",
}
CLASS_STYLES: dict[str, tuple[str, str]] = {
    label: (plots.STATUS_COLORS[label], marker) for label, marker in MARKERS.items()}


@plots.house_style
def scatter_figure(rep: Reproduction):
    """Published vs recomputed per level (Level-2, 3, 4), coloured and shaped by
    accounting class; the cells the paper prints as 0 that recompute non-zero sit
    on the vertical axis (published 0)."""
    cells = rep.cells[rep.cells["accounting"] != "no per-task data"]
    kind = cells["accounting"].to_numpy()
    shown = [c for c in ACCOUNTING if c != "no per-task data"]
    fig = Figure(figsize=(FULL_WIDTH, 3.0))
    axes = fig.subplots(1, 3)
    for ax, level in zip(axes, (2, 3, 4), strict=True):
        sel = (cells["level"] == level).to_numpy()
        top = max(float(cells.loc[sel, ["published", "recomputed"]].max().max()), 1.0) * 1.05
        ax.plot([0, top], [0, top], color="#999999", linewidth=0.8)
        for label in shown:
            colour, marker = CLASS_STYLES[label]
            part = sel & (kind == label)
            ax.scatter(cells["published"][part], cells["recomputed"][part], s=12,
                       color=colour, marker=marker, alpha=0.85, linewidths=0, clip_on=False)
        plain = int((sel & (kind == "plain formula")).sum())
        other = int((sel & (cells["status"] != PRINTED_AS_ZERO).to_numpy()).sum())
        ax.set_title(f"Level-{level}: {plain} of {other} reproduce", fontsize=8)
        ax.set_xlabel("published score (paper)", fontsize=7)
        ax.tick_params(labelsize=7)
    axes[0].set_ylabel("recomputed score (glscore)", fontsize=7)
    handles = [Line2D([], [], color=CLASS_STYLES[label][0], marker=CLASS_STYLES[label][1],
                      linestyle="", markersize=4,
                      label=f"{label} ({int((kind == label).sum())})") for label in shown]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=7)
    fig.suptitle(f"{rep.reproduced} of {rep.with_data} published cells with data reproduce with "
                 f"the plain formula (profile '{rep.profile}');\n"
                 f"{rep.count(PRINTED_AS_ZERO)} cells printed as 0 recompute non-zero (on the "
                 "vertical axis)", fontsize=8, x=0.01, ha="left")
    return fig


@plots.house_style
def accounting_figure(rep: Reproduction):
    """Every published non-zero cell, and every cell printed as 0 that recomputes
    non-zero, by accounting class: one bar per table (12, 14, 16)."""
    counts = (rep.cells.groupby(["table", "accounting"]).size().unstack(fill_value=0)
              .reindex(columns=list(ACCOUNTING), fill_value=0))
    fig = Figure(figsize=(FULL_WIDTH, 2.6), layout="constrained")
    ax = fig.subplots()
    left = np.zeros(len(counts))
    labels = [f"Table {t} (Level-{t // 2 - 4})" for t in counts.index]
    free = rep.accounting_counts().set_index("class")["free_numbers"]
    for cls in ACCOUNTING:
        n = counts[cls].to_numpy()
        extra = f", {int(free[cls])} free" if int(free[cls]) else ""
        ax.barh(labels, n, left=left, color=CLASS_STYLES[cls][0],
                hatch=plots.STATUS_HATCHES.get(cls), edgecolor="white",
                linewidth=0.5, label=f"{cls} ({int(n.sum())}{extra})")
        left += n
    ax.invert_yaxis()
    ax.tick_params(labelsize=7)
    ax.set_xlabel("cells (published non-zero, and printed as 0 but recomputed non-zero)",
                  fontsize=7)
    fig.legend(loc="outside lower center", ncols=3, fontsize=7)
    ax.set_title(textwrap.fill(reproduction_headline(rep), 95), fontsize=8)
    return fig
